{#- One row per return event, whichever channel took it back: a store return receipt
    (of a store sale or of a web order, int_store_returns_matched), a web order whose
    status is `returned` and that no store receipt took back (returned by post), and a
    marketplace order's returned items (status `returned`, grouped per order).
    refund_amount is what the event refunded as far as the source says. -#}
with

store_returns as (

    select return_record_key, order_key, returned_at, refund_amount, return_customer_id, match_method
    from {{ ref('int_store_returns_matched') }}

),

orders as (

    select order_key, customer_id, source_system, ordered_at, gross_revenue, is_fully_returned
    from {{ ref('int_orders_unioned') }}

),

marketplace_items as (

    select marketplace, marketplace_order_id, quantity, item_price, status
    from {{ ref('stg_marketplace__orders') }}

),

store as (

    select
        return_record_key as return_key,
        order_key,
        'pos' as source_system,
        'store' as return_channel,
        returned_at,
        refund_amount,
        return_customer_id,
        match_method
    from store_returns

),

by_post as (

    select
        orders.order_key as return_key,
        orders.order_key,
        'web_shop' as source_system,
        'web' as return_channel,
        cast(null as timestamp) as returned_at,
        orders.gross_revenue as refund_amount,
        orders.customer_id as return_customer_id,
        'order_status' as match_method
    from orders
    where orders.is_fully_returned
        and orders.source_system = 'web_shop'
        and not exists (
            select 1 from store_returns where store_returns.order_key = orders.order_key
        )

),

marketplace_returned as (

    select
        'marketplace.orders:' || marketplace || ':' || marketplace_order_id as order_key,
        cast(sum(item_price * quantity) as double) as refund_amount
    from marketplace_items
    where status = 'returned'
    group by marketplace, marketplace_order_id

),

marketplace as (

    select
        marketplace_returned.order_key as return_key,
        marketplace_returned.order_key,
        'marketplace' as source_system,
        'marketplace' as return_channel,
        cast(null as timestamp) as returned_at,
        marketplace_returned.refund_amount,
        orders.customer_id as return_customer_id,
        'item_status' as match_method
    from marketplace_returned
    left join orders on marketplace_returned.order_key = orders.order_key

),

unioned as (

    select * from store
    union all
    select * from by_post
    union all
    select * from marketplace

)

select
    cast(return_key as {{ dbt.type_string() }}) as return_key,
    cast(order_key as {{ dbt.type_string() }}) as order_key,
    cast(source_system as {{ dbt.type_string() }}) as source_system,
    cast(return_channel as {{ dbt.type_string() }}) as return_channel,
    returned_at,
    refund_amount,
    cast(return_customer_id as {{ dbt.type_string() }}) as return_customer_id,
    cast(match_method as {{ dbt.type_string() }}) as match_method
from unioned
