{#- Revenue reconciles across the customer view: the customers' net revenue
    (dim_customer), the channels' (customer_channel_insights) and the orders'
    (fct_orders, every sales channel) are the same number (sums in exact decimal
    arithmetic: macro exact_sum). -#}
{{ config(tags=['customer'], meta={'dagster': {'ref': {'name': 'dim_customer'}}}) }}
with

orders as (

    select coalesce({{ exact_sum('net_revenue') }}, 0) as net_revenue
    from {{ ref('fct_orders') }}

),

customers as (

    select coalesce({{ exact_sum('net_revenue') }}, 0) as net_revenue
    from {{ ref('dim_customer') }}

),

channels as (

    select coalesce({{ exact_sum('net_revenue') }}, 0) as net_revenue
    from {{ ref('customer_channel_insights') }}

)

select
    orders.net_revenue as orders_net_revenue,
    customers.net_revenue as customers_net_revenue,
    channels.net_revenue as channels_net_revenue
from orders
cross join customers
cross join channels
where abs(orders.net_revenue - customers.net_revenue) > 0.005
    or abs(orders.net_revenue - channels.net_revenue) > 0.005
