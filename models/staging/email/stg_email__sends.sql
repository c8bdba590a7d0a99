with

source as (

    select
        send_id,
        subscriber_id,
        campaign_id,
        campaign_name,
        sent_at,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('email', 'sends') }}

),

renamed as (

    select
        {{ trim_to_null('send_id') }} as send_id,
        {{ trim_to_null('subscriber_id') }} as email_subscriber_id,
        {{ trim_to_null('campaign_id') }} as campaign_id,
        {{ squish('campaign_name') }} as campaign_name,
        cast(sent_at as timestamp) as sent_at,

        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as source_line,
        cast(_loaded_at as timestamp) as loaded_at
    from source

)

select
    cast('email' as {{ dbt.type_string() }}) as source_system,
    send_id,
    email_subscriber_id,
    campaign_id,
    campaign_name,
    sent_at,
    source_file,
    source_line,
    loaded_at
from renamed
