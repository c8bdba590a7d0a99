with

source as (

    select
        event_id,
        cookie_id,
        customer_id,
        session_id,
        event_ts,
        event_type,
        sku,
        quantity,
        unit_price,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('web_shop', 'cart_events') }}

),

renamed as (

    select
        {{ trim_to_null('event_id') }} as cart_event_id,
        {{ trim_to_null('cookie_id') }} as cookie_id,
        {{ trim_to_null('customer_id') }} as customer_id,
        {{ trim_to_null('session_id') }} as session_id,
        cast(event_ts as timestamp) as event_at,
        lower({{ trim_to_null('event_type') }}) as event_type,
        {{ trim_to_null('sku') }} as sku,
        cast(quantity as bigint) as quantity,
        cast(unit_price as decimal(12, 2)) as unit_price,

        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as source_line,
        cast(_loaded_at as timestamp) as loaded_at
    from source

)

select
    cast('web_shop' as {{ dbt.type_string() }}) as source_system,
    cart_event_id,
    cookie_id,
    customer_id,
    session_id,
    event_at,
    event_type,
    sku,
    quantity,
    unit_price,
    source_file,
    source_line,
    loaded_at
from renamed
