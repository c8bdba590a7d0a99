{#- Purchase days per customer, the transaction grain of the RFM summary and the
    BTYD models (lifetimes' summary_data_from_transaction_data with freq='D'): the
    orders of one day are one transaction, its value their summed net revenue.
    Orders fully returned (net revenue 0) are no purchase; orders after the as-of
    date are not yet observed. -#}
with

orders as (

    select customer_id, order_date, net_revenue
    from {{ ref('fct_orders') }}
    where net_revenue > 0
        and order_date <= {{ customer_as_of_date() }}

)

select
    cast(customer_id || ':' || cast(order_date as {{ dbt.type_string() }}) as {{ dbt.type_string() }}) as transaction_key,
    customer_id,
    order_date as transaction_date,
    cast(count(*) as bigint) as orders,
    cast(sum(net_revenue) as double) as net_revenue
from orders
group by customer_id, order_date
