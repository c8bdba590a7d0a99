{#- One row per return event. returned_revenue is the part of the order's
    returned_revenue (fct_orders) this event accounts for, so matched events sum to the
    orders' returned revenue exactly; a return no order matches keeps order_key null
    and its till refund as returned_revenue. -#}
with

events as (

    select return_key, order_key, source_system, return_channel, returned_at, refund_amount,
        return_customer_id, match_method
    from {{ ref('int_order_returns_unioned') }}

),

orders as (

    select order_key, customer_id, sales_channel, returned_revenue
    from {{ ref('fct_orders') }}

),

matched as (

    select
        events.*,
        orders.order_key is not null as is_matched,
        orders.customer_id as order_customer_id,
        orders.sales_channel as order_sales_channel,
        orders.returned_revenue as order_returned_revenue,
        sum(events.refund_amount) over (partition by events.order_key) as order_refunded,
        count(*) over (partition by events.order_key) as order_events
    from events
    left join orders on events.order_key = orders.order_key

)

select
    return_key,
    case when is_matched then order_key end as order_key,
    coalesce(order_customer_id, return_customer_id) as customer_id,
    source_system,
    return_channel,
    order_sales_channel,
    returned_at,
    cast(returned_at as date) as return_date,
    cast(refund_amount as double) as refund_amount,
    cast(
        case
            when not is_matched then refund_amount
            when order_refunded > 0 then order_returned_revenue * refund_amount / order_refunded
            else order_returned_revenue / order_events
        end as double
    ) as returned_revenue,
    is_matched,
    match_method
from matched
