with

source as (

    select
        sms_click_id,
        message_id,
        sms_subscriber_id,
        clicked_at,
        url,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('sms', 'clicks') }}

),

renamed as (

    select
        {{ trim_to_null('sms_click_id') }} as sms_click_id,
        {{ trim_to_null('message_id') }} as sms_message_id,
        {{ trim_to_null('sms_subscriber_id') }} as sms_subscriber_id,
        cast(clicked_at as timestamp) as clicked_at,
        {{ trim_to_null('url') }} as url,

        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as source_line,
        cast(_loaded_at as timestamp) as loaded_at
    from source

)

select
    cast('sms' as {{ dbt.type_string() }}) as source_system,
    sms_click_id,
    sms_message_id,
    sms_subscriber_id,
    clicked_at,
    url,
    source_file,
    source_line,
    loaded_at
from renamed
