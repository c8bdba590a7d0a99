{#- Monthly cohort retention: buyers grouped by the month of their first order; for
    every later month, how many of them ordered again and their net revenue.
    retention_rate = active_buyers / cohort_buyers (month 0 is 1 by definition). -#}
with

orders as (

    select customer_id, order_date, net_revenue
    from {{ ref('fct_orders') }}

),

acquisition as (

    select customer_id, acquisition_date
    from {{ ref('int_customer_acquisition') }}

),

cohorts as (

    select
        customer_id,
        {{ dbt.date_trunc('month', 'acquisition_date') }} as cohort_month
    from acquisition

),

cohort_sizes as (

    select cohort_month, count(*) as cohort_buyers
    from cohorts
    group by cohort_month

),

activity as (

    select
        cohorts.cohort_month,
        {{ dbt.datediff('cohorts.cohort_month', dbt.date_trunc('month', 'orders.order_date'), 'month') }}
            as months_since_first_order,
        count(distinct orders.customer_id) as active_buyers,
        sum(orders.net_revenue) as net_revenue
    from orders
    inner join cohorts on orders.customer_id = cohorts.customer_id
    group by
        cohorts.cohort_month,
        {{ dbt.datediff('cohorts.cohort_month', dbt.date_trunc('month', 'orders.order_date'), 'month') }}

)

select
    cast(cast(activity.cohort_month as date) as {{ dbt.type_string() }})
        || ':' || cast(cast(activity.months_since_first_order as bigint) as {{ dbt.type_string() }}) as cohort_key,
    cast(activity.cohort_month as date) as cohort_month,
    cast(activity.months_since_first_order as bigint) as months_since_first_order,
    cast(cohort_sizes.cohort_buyers as bigint) as cohort_buyers,
    cast(activity.active_buyers as bigint) as active_buyers,
    cast(activity.active_buyers as double) / cohort_sizes.cohort_buyers as retention_rate,
    cast(activity.net_revenue as double) as net_revenue
from activity
inner join cohort_sizes on activity.cohort_month = cohort_sizes.cohort_month
