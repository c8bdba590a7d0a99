-- Every conversion's credits sum to 1 under every attribution model (a conversion
-- missing from a model counts as 0).
with

models as (

    select distinct attribution_model
    from {{ ref('fct_attribution_credits') }}

),

expected as (

    select models.attribution_model, conversions.conversion_key, conversions.revenue
    from {{ ref('int_journey_conversions') }} as conversions
    cross join models

),

credited as (

    select attribution_model, conversion_key, sum(conversion_credit) as credit, sum(revenue_credit) as revenue_credit
    from {{ ref('fct_attribution_credits') }}
    group by attribution_model, conversion_key

)

select
    expected.attribution_model,
    expected.conversion_key,
    credited.credit,
    credited.revenue_credit,
    expected.revenue
from expected
left join credited
    on expected.attribution_model = credited.attribution_model
    and expected.conversion_key = credited.conversion_key
where credited.credit is null
    or abs(credited.credit - 1) > 1e-9
    or abs(credited.revenue_credit - expected.revenue) > 1e-6 * greatest(abs(expected.revenue), 1)
