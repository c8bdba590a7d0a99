-- Per attribution model, fct_attribution_channel_daily's spend adds up to
-- stg_ads__spend, and its attributed conversions and revenue to the conversions
-- (sums in exact decimal arithmetic: macro exact_sum).
with

spend as (

    select {{ exact_sum('spend_amount') }} as spend
    from {{ ref('stg_ads__spend') }}

),

conversions as (

    select count(*) as conversions, {{ exact_sum('revenue') }} as revenue
    from {{ ref('int_journey_conversions') }}

),

daily as (

    select
        attribution_model,
        {{ exact_sum('spend') }} as spend,
        {{ exact_sum('attributed_conversions') }} as conversions,
        {{ exact_sum('attributed_revenue') }} as revenue
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
