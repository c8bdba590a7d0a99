{#- Customer acquisition cost and value per acquisition channel over the whole
    period: ad spend of the channel (ads.spend) over the buyers it acquired, and the
    acquired buyers' mean historical and predicted CLV. Channels without spend (store,
    marketplace, direct_or_organic) have no CAC. -#}
with

acquisition as (

    select customer_id, acquisition_channel
    from {{ ref('int_customer_acquisition') }}

),

clv as (

    select customer_id, historical_clv, predicted_clv
    from {{ ref('customer_clv') }}

),

orders as (

    select customer_id, sum(net_revenue) as net_revenue
    from {{ ref('fct_orders') }}
    group by customer_id

),

spend as (

    select channel, sum(spend_amount) as ad_spend
    from {{ ref('stg_ads__spend') }}
    group by channel

),

acquired as (

    select
        acquisition.acquisition_channel,
        count(*) as acquired_customers,
        sum(orders.net_revenue) as net_revenue,
        avg(clv.predicted_clv) as avg_predicted_clv,
        avg(coalesce(orders.net_revenue, 0) + coalesce(clv.predicted_clv, 0)) as avg_total_clv
    from acquisition
    left join orders on acquisition.customer_id = orders.customer_id
    left join clv on acquisition.customer_id = clv.customer_id
    group by acquisition.acquisition_channel

),

channels as (

    select acquisition_channel as channel from acquired
    union
    select channel from spend

)

select
    cast(channels.channel as {{ dbt.type_string() }}) as acquisition_channel,
    cast(coalesce(acquired.acquired_customers, 0) as bigint) as acquired_customers,
    cast(spend.ad_spend as double) as ad_spend,
    cast(case when acquired.acquired_customers > 0 then spend.ad_spend / acquired.acquired_customers end as double)
        as cac,
    cast(coalesce(acquired.net_revenue, 0) as double) as net_revenue,
    cast(case when acquired.acquired_customers > 0 then acquired.net_revenue / acquired.acquired_customers end as double)
        as avg_historical_clv,
    cast(acquired.avg_predicted_clv as double) as avg_predicted_clv,
    cast(acquired.avg_total_clv as double) as avg_total_clv,
    cast(
        case when spend.ad_spend > 0 and acquired.acquired_customers > 0
            then acquired.avg_total_clv / (spend.ad_spend / acquired.acquired_customers)
        end as double
    ) as clv_to_cac
from channels
left join acquired on channels.channel = acquired.acquisition_channel
left join spend on channels.channel = spend.channel
