{#- RFM summary and scores of every buyer as of var customer_as_of_date, on purchase
    days (int_customer_transactions_daily). The summary columns are exactly those of
    lifetimes' summary_data_from_transaction_data(freq='D'): frequency = repeat
    purchase days, recency = days from first to last purchase, t = days from first
    purchase to the as-of date, monetary_value = mean value of the repeat purchase
    days (0 without repeats). Scores 1-5 by percent rank (ties share a score):
    R on days since the last purchase (recent = 5), F on purchase days, M on net
    revenue; the segment is the first rule of var customer_rfm_segments that holds. -#}
with

transactions as (

    select customer_id, transaction_date, net_revenue
    from {{ ref('int_customer_transactions_daily') }}

),

numbered as (

    select
        customer_id,
        transaction_date,
        net_revenue,
        row_number() over (partition by customer_id order by transaction_date) as purchase_number
    from transactions

),

summary as (

    select
        customer_id,
        min(transaction_date) as first_purchase_date,
        max(transaction_date) as last_purchase_date,
        count(*) as purchase_days,
        sum(net_revenue) as net_revenue,
        sum(case when purchase_number > 1 then net_revenue else 0 end) as repeat_net_revenue
    from numbered
    group by customer_id

),

measured as (

    select
        customer_id,
        first_purchase_date,
        last_purchase_date,
        purchase_days,
        net_revenue,
        cast(purchase_days - 1 as double) as frequency,
        cast({{ dbt.datediff('first_purchase_date', 'last_purchase_date', 'day') }} as double) as recency,
        cast({{ dbt.datediff('first_purchase_date', customer_as_of_date(), 'day') }} as double) as t,
        case
            when purchase_days > 1 then repeat_net_revenue / (purchase_days - 1)
            else 0
        end as monetary_value,
        cast({{ dbt.datediff('last_purchase_date', customer_as_of_date(), 'day') }} as double) as days_since_last_purchase
    from summary

),

scored as (

    select
        measured.*,
        least(5, 1 + floor(5 * percent_rank() over (order by days_since_last_purchase desc))) as r_score,
        least(5, 1 + floor(5 * percent_rank() over (order by purchase_days))) as f_score,
        least(5, 1 + floor(5 * percent_rank() over (order by net_revenue))) as m_score
    from measured

)

select
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    first_purchase_date,
    last_purchase_date,
    cast(purchase_days as bigint) as purchase_days,
    cast(frequency as double) as frequency,
    cast(recency as double) as recency,
    cast(t as double) as t,
    cast(monetary_value as double) as monetary_value,
    cast(net_revenue as double) as net_revenue,
    cast(days_since_last_purchase as double) as days_since_last_purchase,
    cast(r_score as bigint) as r_score,
    cast(f_score as bigint) as f_score,
    cast(m_score as bigint) as m_score,
    cast(cast(r_score as bigint) as {{ dbt.type_string() }})
        || cast(cast(f_score as bigint) as {{ dbt.type_string() }})
        || cast(cast(m_score as bigint) as {{ dbt.type_string() }}) as rfm_cell,
    cast(
        case
        {%- for seg in var('customer_rfm_segments') %}
            when {{ seg.rule }} then '{{ seg.name }}'
        {%- endfor %}
            else 'other'
        end as {{ dbt.type_string() }}
    ) as rfm_segment
from scored
