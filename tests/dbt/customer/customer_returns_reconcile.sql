{#- Matched return events account for exactly the orders' returned revenue. -#}
{{ config(tags=['customer'], meta={'dagster': {'ref': {'name': 'fct_returns'}}}) }}
with

orders as (

    select coalesce({{ exact_sum('returned_revenue') }}, 0) as returned_revenue
    from {{ ref('fct_orders') }}

),

returns as (

    select coalesce({{ exact_sum('returned_revenue') }}, 0) as returned_revenue
    from {{ ref('fct_returns') }}
    where is_matched

)

select orders.returned_revenue as orders_returned, returns.returned_revenue as events_returned
from orders
cross join returns
where abs(orders.returned_revenue - returns.returned_revenue) > 0.005
