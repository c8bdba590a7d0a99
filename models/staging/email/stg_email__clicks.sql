with

source as (

    select
        click_id,
        send_id,
        subscriber_id,
        clicked_at,
        url,
        utm_campaign,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('email', 'clicks') }}

),

renamed as (

    select
        {{ trim_to_null('click_id') }} as email_click_id,
        {{ trim_to_null('send_id') }} as send_id,
        {{ trim_to_null('subscriber_id') }} as email_subscriber_id,
        cast(clicked_at as timestamp) as clicked_at,
        {{ trim_to_null('url') }} as url,
        lower({{ trim_to_null('utm_campaign') }}) as utm_campaign,

        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as source_line,
        cast(_loaded_at as timestamp) as loaded_at
    from source

)

select
    cast('email' as {{ dbt.type_string() }}) as source_system,
    email_click_id,
    send_id,
    email_subscriber_id,
    clicked_at,
    url,
    utm_campaign,
    source_file,
    source_line,
    loaded_at
from renamed
