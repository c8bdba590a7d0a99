with

source as (

    select
        event_id,
        cookie_id,
        customer_id,
        session_id,
        event_ts,
        page_url,
        page_type,
        referrer,
        utm_source,
        utm_medium,
        utm_campaign,
        gclid,
        fbclid,
        device_type,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('web_shop', 'page_views') }}

),

renamed as (

    select
        {{ trim_to_null('event_id') }} as page_view_id,
        {{ trim_to_null('cookie_id') }} as cookie_id,
        {{ trim_to_null('customer_id') }} as customer_id,
        {{ trim_to_null('session_id') }} as session_id,
        cast(event_ts as timestamp) as viewed_at,

        {{ trim_to_null('page_url') }} as page_url,
        lower({{ trim_to_null('page_type') }}) as page_type,
        {{ trim_to_null('referrer') }} as referrer,
        lower({{ trim_to_null('utm_source') }}) as utm_source,
        lower({{ trim_to_null('utm_medium') }}) as utm_medium,
        lower({{ trim_to_null('utm_campaign') }}) as utm_campaign,
        {{ trim_to_null('gclid') }} as gclid,
        {{ trim_to_null('fbclid') }} as fbclid,
        lower({{ trim_to_null('device_type') }}) as device_type,

        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as source_line,
        cast(_loaded_at as timestamp) as loaded_at
    from source

)

select
    cast('web_shop.page_views:' || page_view_id as {{ dbt.type_string() }}) as record_key,
    cast('web_shop' as {{ dbt.type_string() }}) as source_system,
    page_view_id,
    cookie_id,
    customer_id,
    session_id,
    viewed_at,
    page_url,
    page_type,
    referrer,
    utm_source,
    utm_medium,
    utm_campaign,
    gclid,
    fbclid,
    device_type,
    source_file,
    source_line,
    loaded_at
from renamed
