{#- One row per order of every sales channel, before returns: web shop orders (app
    orders are web shop orders whose purchase the app logged), store sale receipts and
    marketplace orders (the export has one row per item: items are grouped by
    marketplace and order number). Cancelled web orders and marketplace orders whose
    items are all cancelled were never revenue and are left out; store return receipts
    are returns, not orders (int_order_returns_unioned). -#}
with

web_orders as (

    select record_key, order_id, ordered_at, status, currency, total_amount
    from {{ ref('stg_web_shop__orders') }}

),

app_purchases as (

    select distinct order_id
    from {{ ref('stg_mobile_app__events') }}
    where event_name = 'purchase' and order_id is not null

),

receipts as (

    select record_key, receipt_id, store_id, receipt_at, total_amount
    from {{ ref('stg_pos__receipts') }}
    where not is_return

),

marketplace_items as (

    select record_key, marketplace, marketplace_order_id, ordered_at, quantity, item_price, status
    from {{ ref('stg_marketplace__orders') }}

),

identity_map as (

    select record_key, customer_id
    from {{ ref('dim_customer_identity_map') }}

),

web as (

    select
        web_orders.record_key as order_key,
        web_orders.record_key as source_record_key,
        'web_shop' as source_system,
        web_orders.order_id as source_order_id,
        case when app_purchases.order_id is not null then 'app' else 'web' end as sales_channel,
        cast(null as {{ dbt.type_string() }}) as channel_detail,
        web_orders.ordered_at,
        coalesce(web_orders.currency, '{{ var("customer_default_currency") }}') as currency,
        cast(web_orders.total_amount as double) as gross_revenue,
        coalesce(web_orders.status = 'returned', false) as is_fully_returned
    from web_orders
    left join app_purchases on web_orders.order_id = app_purchases.order_id
    where coalesce(web_orders.status, '') <> 'cancelled'

),

store as (

    select
        record_key as order_key,
        record_key as source_record_key,
        'pos' as source_system,
        receipt_id as source_order_id,
        'store' as sales_channel,
        store_id as channel_detail,
        receipt_at as ordered_at,
        '{{ var("customer_default_currency") }}' as currency,
        cast(total_amount as double) as gross_revenue,
        false as is_fully_returned
    from receipts

),

marketplace as (

    select
        'marketplace.orders:' || marketplace || ':' || marketplace_order_id as order_key,
        min(record_key) as source_record_key,
        'marketplace' as source_system,
        marketplace_order_id as source_order_id,
        'marketplace' as sales_channel,
        marketplace as channel_detail,
        min(ordered_at) as ordered_at,
        '{{ var("customer_default_currency") }}' as currency,
        cast(sum(case when coalesce(status, '') <> 'cancelled' then item_price * quantity else 0 end) as double)
            as gross_revenue,
        false as is_fully_returned
    from marketplace_items
    group by marketplace, marketplace_order_id
    having sum(case when coalesce(status, '') <> 'cancelled' then 1 else 0 end) > 0

),

marketplace_customers as (

    select
        'marketplace.orders:' || marketplace_items.marketplace || ':' || marketplace_items.marketplace_order_id
            as order_key,
        min(identity_map.customer_id) as customer_id
    from marketplace_items
    inner join identity_map on marketplace_items.record_key = identity_map.record_key
    group by marketplace_items.marketplace, marketplace_items.marketplace_order_id

),

orders as (

    select * from web
    union all
    select * from store
    union all
    select * from marketplace

)

select
    cast(orders.order_key as {{ dbt.type_string() }}) as order_key,
    cast(coalesce(identity_map.customer_id, marketplace_customers.customer_id) as {{ dbt.type_string() }})
        as customer_id,
    cast(orders.source_record_key as {{ dbt.type_string() }}) as source_record_key,
    cast(orders.source_system as {{ dbt.type_string() }}) as source_system,
    cast(orders.source_order_id as {{ dbt.type_string() }}) as source_order_id,
    cast(orders.sales_channel as {{ dbt.type_string() }}) as sales_channel,
    cast(orders.channel_detail as {{ dbt.type_string() }}) as channel_detail,
    orders.ordered_at,
    cast(orders.currency as {{ dbt.type_string() }}) as currency,
    orders.gross_revenue,
    orders.is_fully_returned
from orders
left join identity_map
    on orders.order_key = identity_map.record_key
    and orders.source_system <> 'marketplace'
left join marketplace_customers on orders.order_key = marketplace_customers.order_key
