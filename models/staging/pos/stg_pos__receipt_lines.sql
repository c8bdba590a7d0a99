with

source as (

    select
        receipt_line_id,
        receipt_id,
        line_no,
        sku,
        product_name,
        quantity,
        unit_price,
        line_total,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('pos', 'receipt_lines') }}

),

renamed as (

    select
        {{ trim_to_null('receipt_line_id') }} as receipt_line_id,
        {{ trim_to_null('receipt_id') }} as receipt_id,
        cast(line_no as bigint) as line_number,
        {{ trim_to_null('sku') }} as sku,
        {{ normalize_name('product_name') }} as product_name,
        cast(quantity as bigint) as quantity,
        cast(unit_price as decimal(12, 2)) as unit_price,
        cast(line_total as decimal(12, 2)) as line_total,

        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as source_line,
        cast(_loaded_at as timestamp) as loaded_at
    from source

)

select
    cast('pos' as {{ dbt.type_string() }}) as source_system,
    receipt_line_id,
    receipt_id,
    line_number,
    sku,
    product_name,
    quantity,
    unit_price,
    line_total,
    source_file,
    source_line,
    loaded_at
from renamed
