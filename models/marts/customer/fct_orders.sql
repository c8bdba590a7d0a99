{#- One row per order across every sales channel, returns netted: a web order
    returned in a store appears once, as returned (its store return receipt is a
    return event in fct_returns, not a negative store sale). -#}
with

orders as (

    select
        order_key, customer_id, source_record_key, source_system, source_order_id, sales_channel,
        channel_detail, ordered_at, currency, gross_revenue, is_fully_returned
    from {{ ref('int_orders_unioned') }}

),

return_events as (

    select order_key, refund_amount
    from {{ ref('int_order_returns_unioned') }}
    where order_key is not null

),

returns_per_order as (

    select order_key, count(*) as return_events, sum(refund_amount) as refunded
    from return_events
    group by order_key

),

netted as (

    select
        orders.*,
        coalesce(returns_per_order.return_events, 0) as return_events,
        case
            when orders.is_fully_returned then orders.gross_revenue
            else least(orders.gross_revenue, coalesce(returns_per_order.refunded, 0))
        end as returned_revenue
    from orders
    left join returns_per_order on orders.order_key = returns_per_order.order_key

)

select
    order_key,
    customer_id,
    source_record_key,
    source_system,
    source_order_id,
    sales_channel,
    channel_detail,
    ordered_at,
    cast(ordered_at as date) as order_date,
    currency,
    cast(gross_revenue as double) as gross_revenue,
    cast(returned_revenue as double) as returned_revenue,
    cast(gross_revenue - returned_revenue as double) as net_revenue,
    returned_revenue > 0 as is_returned,
    returned_revenue > 0 and returned_revenue >= gross_revenue as is_fully_returned,
    cast(return_events as bigint) as return_events
from netted
