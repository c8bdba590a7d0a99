{#- One row per line of every order's source: web shop order lines, store receipt lines
    (sale and return receipts alike: fct_order_lines keeps the lines of orders) and
    marketplace items that were not cancelled (each item row is a line). line_revenue
    is the line's list value (quantity x unit price). Nothing here depends on another
    row, so an incremental run (DuckDB, macros/incremental) inserts the lines loaded
    since the table's newest loaded_at, whatever their order time, and replaces a line
    loaded again. No customer id: fct_order_lines takes it from fct_orders. -#}
{{ config(
    materialized=omnichannel_cdp.large_fact_materialization(),
    incremental_strategy='delete+insert',
    unique_key='order_line_key',
    on_schema_change='fail'
) }}
{%- set incremental = is_incremental() -%}
{%- set since = omnichannel_cdp.incremental_loaded_since() if incremental else none -%}

with

web_lines as (

    select order_line_id, order_id, sku, product_name, category, quantity, unit_price, line_total, loaded_at
    from {{ ref('stg_web_shop__order_lines') }}
    {%- if incremental %}
    where loaded_at >= {{ since }}
    {%- endif %}

),

receipt_lines as (

    select receipt_line_id, receipt_id, line_number, sku, product_name, quantity, unit_price, line_total, loaded_at
    from {{ ref('stg_pos__receipt_lines') }}
    {%- if incremental %}
    where loaded_at >= {{ since }}
    {%- endif %}

),

marketplace_items as (

    select order_item_id, marketplace, marketplace_order_id, sku, quantity, item_price, status, loaded_at
    from {{ ref('stg_marketplace__orders') }}
    where coalesce(status, '') <> 'cancelled'
    {%- if incremental %}
        and loaded_at >= {{ since }}
    {%- endif %}

),

lines as (

    select
        'web_shop.order_lines:' || order_line_id as order_line_key,
        'web_shop.orders:' || order_id as order_key,
        cast(null as bigint) as line_number,
        order_line_id as sort_key,
        sku,
        product_name,
        category,
        quantity,
        cast(unit_price as double) as unit_price,
        cast(line_total as double) as line_revenue,
        false as is_returned_item,
        loaded_at
    from web_lines

    union all

    select
        'pos.receipt_lines:' || receipt_line_id as order_line_key,
        'pos.receipts:' || receipt_id as order_key,
        line_number,
        receipt_line_id as sort_key,
        sku,
        product_name,
        cast(null as {{ dbt.type_string() }}) as category,
        quantity,
        cast(unit_price as double) as unit_price,
        cast(line_total as double) as line_revenue,
        false as is_returned_item,
        loaded_at
    from receipt_lines

    union all

    select
        'marketplace.orders:' || order_item_id as order_line_key,
        'marketplace.orders:' || marketplace || ':' || marketplace_order_id as order_key,
        cast(null as bigint) as line_number,
        order_item_id as sort_key,
        sku,
        cast(null as {{ dbt.type_string() }}) as product_name,
        cast(null as {{ dbt.type_string() }}) as category,
        quantity,
        cast(item_price as double) as unit_price,
        cast(item_price * quantity as double) as line_revenue,
        status = 'returned' as is_returned_item,
        loaded_at
    from marketplace_items

)

select
    cast(order_line_key as {{ dbt.type_string() }}) as order_line_key,
    cast(order_key as {{ dbt.type_string() }}) as order_key,
    cast(line_number as bigint) as line_number,
    cast(sort_key as {{ dbt.type_string() }}) as sort_key,
    cast(sku as {{ dbt.type_string() }}) as sku,
    cast(product_name as {{ dbt.type_string() }}) as product_name,
    cast(category as {{ dbt.type_string() }}) as category,
    quantity,
    unit_price,
    line_revenue,
    is_returned_item,
    cast(loaded_at as timestamp) as loaded_at
from lines
