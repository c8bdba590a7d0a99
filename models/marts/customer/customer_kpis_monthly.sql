{#- Customer KPIs per calendar month, all sales channels together (formulas in the
    YAML and the metrics of _customer__semantic.yml). Cross-channel conversion rate =
    conversions whose journey path (fct_journey_paths) touched at least two distinct
    channels / conversions, by the month of the conversion. -#}
with

orders as (

    select customer_id, order_date, gross_revenue, returned_revenue, net_revenue
    from {{ ref('fct_orders') }}

),

acquisition as (

    select customer_id, acquisition_date, acquisition_channel
    from {{ ref('int_customer_acquisition') }}

),

cart_events as (

    select session_id, event_at
    from {{ ref('stg_web_shop__cart_events') }}
    where event_type = 'add_to_cart' and session_id is not null

),

confirmations as (

    select distinct session_id
    from {{ ref('stg_web_shop__page_views') }}
    where page_type = 'confirmation' and session_id is not null

),

journey_conversions as (

    select converted_at, distinct_channels
    from {{ ref('fct_journey_paths') }}
    where is_converting

),

spend as (

    select {{ dbt.date_trunc('month', 'spend_date') }} as month_start, channel, sum(spend_amount) as ad_spend
    from {{ ref('stg_ads__spend') }}
    group by {{ dbt.date_trunc('month', 'spend_date') }}, channel

),

monthly_orders as (

    select
        {{ dbt.date_trunc('month', 'orders.order_date') }} as month_start,
        count(*) as orders,
        count(distinct orders.customer_id) as buyers,
        count(distinct case
            when orders.order_date > acquisition.acquisition_date then orders.customer_id
        end) as returning_buyers,
        sum(orders.gross_revenue) as gross_revenue,
        sum(orders.returned_revenue) as returned_revenue,
        sum(orders.net_revenue) as net_revenue
    from orders
    inner join acquisition on orders.customer_id = acquisition.customer_id
    group by {{ dbt.date_trunc('month', 'orders.order_date') }}

),

paid_channels as (

    select distinct channel
    from spend

),

monthly_acquired as (

    select
        {{ dbt.date_trunc('month', 'acquisition.acquisition_date') }} as month_start,
        count(*) as new_buyers,
        sum(case when paid_channels.channel is not null then 1 else 0 end) as new_buyers_paid_channels
    from acquisition
    left join paid_channels on acquisition.acquisition_channel = paid_channels.channel
    group by {{ dbt.date_trunc('month', 'acquisition.acquisition_date') }}

),

cart_sessions as (

    select
        cart_events.session_id,
        min(cart_events.event_at) as first_cart_at,
        max(case when confirmations.session_id is not null then 1 else 0 end) as converted
    from cart_events
    left join confirmations on cart_events.session_id = confirmations.session_id
    group by cart_events.session_id

),

monthly_carts as (

    select
        {{ dbt.date_trunc('month', 'first_cart_at') }} as month_start,
        count(*) as cart_sessions,
        sum(converted) as converted_cart_sessions
    from cart_sessions
    group by {{ dbt.date_trunc('month', 'first_cart_at') }}

),

monthly_conversions as (

    select
        {{ dbt.date_trunc('month', 'converted_at') }} as month_start,
        count(*) as conversions,
        sum(case when distinct_channels >= 2 then 1 else 0 end) as cross_channel_conversions
    from journey_conversions
    group by {{ dbt.date_trunc('month', 'converted_at') }}

),

monthly_spend as (

    select month_start, sum(ad_spend) as ad_spend
    from spend
    group by month_start

),

months as (

    select month_start from monthly_orders
    union
    select month_start from monthly_carts
    union
    select month_start from monthly_spend
    union
    select month_start from monthly_conversions

)

select
    cast(months.month_start as date) as month_start,
    cast(coalesce(monthly_orders.orders, 0) as bigint) as orders,
    cast(coalesce(monthly_orders.buyers, 0) as bigint) as buyers,
    cast(coalesce(monthly_acquired.new_buyers, 0) as bigint) as new_buyers,
    cast(coalesce(monthly_orders.returning_buyers, 0) as bigint) as returning_buyers,
    cast(coalesce(monthly_orders.gross_revenue, 0) as double) as gross_revenue,
    cast(coalesce(monthly_orders.returned_revenue, 0) as double) as returned_revenue,
    cast(coalesce(monthly_orders.net_revenue, 0) as double) as net_revenue,
    cast(case when monthly_orders.orders > 0 then monthly_orders.net_revenue / monthly_orders.orders end as double)
        as aov,
    cast(case when monthly_orders.buyers > 0 then monthly_orders.net_revenue / monthly_orders.buyers end as double)
        as revenue_per_buyer,
    cast(case when monthly_orders.buyers > 0 then cast(monthly_orders.returning_buyers as double) / monthly_orders.buyers end as double)
        as repeat_buyer_rate,
    cast(coalesce(monthly_carts.cart_sessions, 0) as bigint) as cart_sessions,
    cast(coalesce(monthly_carts.converted_cart_sessions, 0) as bigint) as converted_cart_sessions,
    cast(
        case when monthly_carts.cart_sessions > 0
            then 1 - cast(monthly_carts.converted_cart_sessions as double) / monthly_carts.cart_sessions
        end as double
    ) as cart_abandonment_rate,
    cast(coalesce(monthly_conversions.conversions, 0) as bigint) as conversions,
    cast(coalesce(monthly_conversions.cross_channel_conversions, 0) as bigint) as cross_channel_conversions,
    cast(
        case when monthly_conversions.conversions > 0
            then cast(monthly_conversions.cross_channel_conversions as double) / monthly_conversions.conversions
        end as double
    ) as cross_channel_conversion_rate,
    cast(coalesce(monthly_spend.ad_spend, 0) as double) as ad_spend,
    cast(coalesce(monthly_acquired.new_buyers_paid_channels, 0) as bigint) as new_buyers_paid_channels,
    cast(
        case when monthly_acquired.new_buyers_paid_channels > 0
            then monthly_spend.ad_spend / monthly_acquired.new_buyers_paid_channels
        end as double
    ) as cac_paid_channels
from months
left join monthly_orders on months.month_start = monthly_orders.month_start
left join monthly_acquired on months.month_start = monthly_acquired.month_start
left join monthly_carts on months.month_start = monthly_carts.month_start
left join monthly_conversions on months.month_start = monthly_conversions.month_start
left join monthly_spend on months.month_start = monthly_spend.month_start
