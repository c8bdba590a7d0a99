with

source as (

    select
        message_id,
        sms_subscriber_id,
        campaign_id,
        message_type,
        sent_at,
        delivered,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('sms', 'messages') }}

),

renamed as (

    select
        {{ trim_to_null('message_id') }} as sms_message_id,
        {{ trim_to_null('sms_subscriber_id') }} as sms_subscriber_id,
        {{ trim_to_null('campaign_id') }} as campaign_id,
        lower({{ trim_to_null('message_type') }}) as message_type,
        cast(sent_at as timestamp) as sent_at,
        cast(delivered as boolean) as is_delivered,

        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as source_line,
        cast(_loaded_at as timestamp) as loaded_at
    from source

)

select
    cast('sms' as {{ dbt.type_string() }}) as source_system,
    sms_message_id,
    sms_subscriber_id,
    campaign_id,
    message_type,
    sent_at,
    is_delivered,
    source_file,
    source_line,
    loaded_at
from renamed
