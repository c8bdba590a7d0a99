with

source as (

    select
        order_line_id,
        order_id,
        sku,
        product_name,
        category,
        quantity,
        unit_price,
        line_total,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('web_shop', 'order_lines') }}

),

renamed as (

    select
        {{ trim_to_null('order_line_id') }} as order_line_id,
        {{ trim_to_null('order_id') }} as order_id,
        {{ trim_to_null('sku') }} as sku,
        {{ squish('product_name') }} as product_name,
        {{ squish('category') }} as category,
        cast(quantity as bigint) as quantity,
        cast(unit_price as decimal(12, 2)) as unit_price,
        cast(line_total as decimal(12, 2)) as line_total,

        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as source_line,
        cast(_loaded_at as timestamp) as loaded_at
    from source

)

select
    cast('web_shop' as {{ dbt.type_string() }}) as source_system,
    order_line_id,
    order_id,
    sku,
    product_name,
    category,
    quantity,
    unit_price,
    line_total,
    source_file,
    source_line,
    loaded_at
from renamed
