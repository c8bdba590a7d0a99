{#- One row per line of every order in fct_orders: web shop order lines, store sale
    receipt lines, marketplace items (each item row is a line). line_revenue is the
    line's list value (quantity x unit price, before order-level discounts and
    shipping, so web lines do not sum to the order's gross_revenue). Returned quantity
    per line: every line of a fully returned web order, the lines of returned
    marketplace items, and for store return receipts the returned quantity of each SKU
    allocated to the order's lines of that SKU in line order. Category comes from the
    line or, where the channel's export has none, the SKU's most frequent web category.
    The lines come from the incremental int_order_lines_collected; customer, returns
    and categories are joined here on every run. -#}
with

orders as (

    select order_key, customer_id, source_system, sales_channel, ordered_at, currency, is_fully_returned
    from {{ ref('fct_orders') }}

),

order_lines as (

    select
        order_line_key, order_key, line_number, sort_key, sku, product_name, category, quantity, unit_price,
        line_revenue, is_returned_item
    from {{ ref('int_order_lines_collected') }}

),

receipt_lines as (

    select receipt_id, sku, quantity
    from {{ ref('stg_pos__receipt_lines') }}

),

store_returns as (

    select return_receipt_id, order_key
    from {{ ref('int_store_returns_matched') }}
    where order_key is not null

),

-- categories exist on web lines only
sku_category_counts as (

    select sku, category, count(*) as lines
    from order_lines
    where sku is not null and category is not null
    group by sku, category

),

sku_categories as (

    select sku, category
    from sku_category_counts
    qualify row_number() over (partition by sku order by lines desc, category) = 1

),

returned_skus as (

    select store_returns.order_key, receipt_lines.sku, sum(-receipt_lines.quantity) as returned_quantity
    from store_returns
    inner join receipt_lines on store_returns.return_receipt_id = receipt_lines.receipt_id
    group by store_returns.order_key, receipt_lines.sku

),

allocated as (

    select
        order_lines.*,
        orders.customer_id,
        orders.source_system,
        orders.sales_channel,
        orders.ordered_at,
        orders.currency,
        orders.is_fully_returned,
        returned_skus.returned_quantity as sku_returned_quantity,
        coalesce(sum(order_lines.quantity) over (
            partition by order_lines.order_key, order_lines.sku
            order by order_lines.line_number, order_lines.sort_key
            rows between unbounded preceding and 1 preceding
        ), 0) as sku_quantity_before
    from order_lines
    inner join orders on order_lines.order_key = orders.order_key
    left join returned_skus on order_lines.order_key = returned_skus.order_key and order_lines.sku = returned_skus.sku

),

returned as (

    select
        allocated.*,
        case
            when is_fully_returned or is_returned_item then quantity
            when sku_returned_quantity is null then 0
            else least(quantity, greatest(0, sku_returned_quantity - sku_quantity_before))
        end as returned_quantity
    from allocated

)

select
    cast(returned.order_line_key as {{ dbt.type_string() }}) as order_line_key,
    cast(returned.order_key as {{ dbt.type_string() }}) as order_key,
    returned.customer_id,
    returned.source_system,
    returned.sales_channel,
    returned.ordered_at,
    cast(returned.ordered_at as date) as order_date,
    cast(returned.sku as {{ dbt.type_string() }}) as sku,
    cast(returned.product_name as {{ dbt.type_string() }}) as product_name,
    cast(coalesce(returned.category, sku_categories.category) as {{ dbt.type_string() }}) as category,
    cast(returned.quantity as bigint) as quantity,
    returned.unit_price,
    returned.line_revenue,
    cast(returned.returned_quantity as bigint) as returned_quantity,
    cast(returned.returned_quantity * returned.unit_price as double) as returned_line_revenue,
    returned.currency
from returned
left join sku_categories on returned.sku = sku_categories.sku
