with

source as (

    select
        event_id,
        device_id,
        user_id,
        event_ts,
        event_name,
        screen,
        sku,
        order_id,
        revenue,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('mobile_app', 'events') }}

),

renamed as (

    select
        {{ trim_to_null('event_id') }} as app_event_id,
        {{ trim_to_null('device_id') }} as device_id,
        {{ trim_to_null('user_id') }} as customer_id,
        cast(event_ts as timestamp) as event_at,
        lower({{ trim_to_null('event_name') }}) as event_name,
        {{ trim_to_null('screen') }} as screen,
        {{ trim_to_null('sku') }} as sku,
        {{ trim_to_null('order_id') }} as order_id,
        cast(revenue as decimal(12, 2)) as revenue,

        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as source_line,
        cast(_loaded_at as timestamp) as loaded_at
    from source

)

select
    cast('mobile_app' as {{ dbt.type_string() }}) as source_system,
    app_event_id,
    device_id,
    customer_id,
    event_at,
    event_name,
    screen,
    sku,
    order_id,
    revenue,
    source_file,
    source_line,
    loaded_at
from renamed
