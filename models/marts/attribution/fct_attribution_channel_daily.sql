{#- Spend against attributed results per attribution model, day, channel and campaign.
    Spend is stg_ads__spend by spend day; results are fct_attribution_credits by the day
    of the credited touch (the day the money was spent on the click), or the conversion
    day for 'unattributed'. roas = attributed revenue / spend, cac = spend / attributed
    new customers (credit of first conversions), roi = (attributed revenue - spend) /
    spend (revenue, not margin); null where the divisor is 0. Every model's spend adds
    up to stg_ads__spend and its revenue to the conversions' revenue (test).
    Grain: attribution_model × activity_date × channel × campaign_key × currency. -#}

with

spend as (

    select
        spend_date as activity_date,
        channel,
        coalesce(campaign_id, '(none)') as campaign_key,
        currency,
        sum(cast(spend_amount as double)) as spend,
        sum(impressions) as impressions,
        sum(clicks) as clicks
    from {{ ref('stg_ads__spend') }}
    group by spend_date, channel, coalesce(campaign_id, '(none)'), currency

),

credits as (

    select
        attribution_model,
        coalesce(touch_date, conversion_date) as activity_date,
        channel,
        coalesce(campaign_id, '(none)') as campaign_key,
        currency,
        sum(conversion_credit) as attributed_conversions,
        sum(case when conversion_number = 1 then conversion_credit else 0 end) as attributed_new_customers,
        sum(revenue_credit) as attributed_revenue
    from {{ ref('fct_attribution_credits') }}
    group by attribution_model, coalesce(touch_date, conversion_date), channel, coalesce(campaign_id, '(none)'), currency

),

models as (

    select distinct attribution_model
    from credits

),

model_spend as (

    select models.attribution_model, spend.*
    from spend
    cross join models

),

joined as (

    select
        coalesce(model_spend.attribution_model, credits.attribution_model) as attribution_model,
        coalesce(model_spend.activity_date, credits.activity_date) as activity_date,
        coalesce(model_spend.channel, credits.channel) as channel,
        coalesce(model_spend.campaign_key, credits.campaign_key) as campaign_key,
        coalesce(model_spend.currency, credits.currency) as currency,
        coalesce(model_spend.spend, 0) as spend,
        coalesce(model_spend.impressions, 0) as impressions,
        coalesce(model_spend.clicks, 0) as clicks,
        coalesce(credits.attributed_conversions, 0) as attributed_conversions,
        coalesce(credits.attributed_new_customers, 0) as attributed_new_customers,
        coalesce(credits.attributed_revenue, 0) as attributed_revenue
    from model_spend
    full outer join credits
        on model_spend.attribution_model = credits.attribution_model
        and model_spend.activity_date = credits.activity_date
        and model_spend.channel = credits.channel
        and model_spend.campaign_key = credits.campaign_key
        and model_spend.currency = credits.currency

)

select
    cast(attribution_model as {{ dbt.type_string() }}) as attribution_model,
    cast(activity_date as date) as activity_date,
    cast(channel as {{ dbt.type_string() }}) as channel,
    cast(campaign_key as {{ dbt.type_string() }}) as campaign_key,
    cast(currency as {{ dbt.type_string() }}) as currency,
    cast(spend as double) as spend,
    cast(impressions as bigint) as impressions,
    cast(clicks as bigint) as clicks,
    cast(attributed_conversions as double) as attributed_conversions,
    cast(attributed_new_customers as double) as attributed_new_customers,
    cast(attributed_revenue as double) as attributed_revenue,
    cast(case when spend > 0 then attributed_revenue / spend end as double) as roas,
    cast(case when attributed_new_customers > 0 then spend / attributed_new_customers end as double) as cac,
    cast(case when spend > 0 then (attributed_revenue - spend) / spend end as double) as roi
from joined
