-- Per attribution model, fct_attribution_channel_daily's spend adds up to
-- stg_ads__spend, and its attributed conversions and revenue to the conversions.
with

spend as (

    select sum(cast(spend_amount as double)) as spend
    from {{ ref('stg_ads__spend') }}

),

conversions as (

    select count(*) as conversions, sum(revenue) as revenue
    from {{ ref('int_journey_conversions') }}

),

daily as (

    select
        attribution_model,
        sum(spend) as spend,
        sum(attributed_conversions) as conversions,
        sum(attributed_revenue) as revenue
    from {{ ref('fct_attribution_channel_daily') }}
    group by attribution_model

)

select daily.attribution_model, daily.spend, spend.spend as expected_spend,
    daily.conversions, conversions.conversions as expected_conversions,
    daily.revenue, conversions.revenue as expected_revenue
from daily
cross join spend
cross join conversions
where abs(daily.spend - coalesce(spend.spend, 0)) > 0.005
    or abs(daily.conversions - conversions.conversions) > 1e-6
    or abs(daily.revenue - coalesce(conversions.revenue, 0)) > 0.005
