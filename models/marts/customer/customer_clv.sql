{#- Historical and predictive customer lifetime value of every buyer as of var
    customer_as_of_date. BG/NBD (Fader, Hardie & Lee 2005) and Gamma-Gamma (Fader,
    Hardie & Lee 2005b) with the parameters of int_customer_btyd_parameters, scored
    here with the same closed forms as lifetimes 0.11.3 (time unit days):
      p_alive = 1 / (1 + [x > 0] * a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x))
      E[Y(t)] = (a + b + x - 1) / (a - 1)
                * (1 - ((alpha + T) / (alpha + T + t))^(r + x) * 2F1(r + x, b + x; a + b + x - 1; t / (alpha + T + t)))
                / (1 + [x > 0] * a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x))
      expected value per purchase = (1 - w) * v * p / (q - 1) + w * m,  w = p x / (p x + q - 1)
      predicted CLV = sum over months k = 1..K of value * (E[Y(k d)] - E[Y((k - 1) d)]) / (1 + discount)^k
    with x = frequency, t_x = recency, T = t, m = monetary_value (customer_rfm),
    d = var customer_clv_days_per_month, K = var customer_clv_months. -#}
with

rfm as (

    select customer_id, frequency, recency, t, monetary_value, net_revenue
    from {{ ref('customer_rfm') }}

),

parameters as (

    select r, alpha, a, b, p, q, v, parameter_source
    from {{ ref('int_customer_btyd_parameters') }}

),

hypergeometric as (

    select frequency, t, horizon, hyp2f1
    from {{ ref('int_customer_btyd_hypergeometric') }}

),

base as (

    select
        rfm.customer_id,
        rfm.frequency,
        rfm.recency,
        rfm.t,
        rfm.monetary_value,
        rfm.net_revenue,
        parameters.r,
        parameters.alpha,
        parameters.a,
        parameters.b,
        parameters.parameter_source,
        case
            when rfm.frequency > 0 then
                1 + parameters.a / (parameters.b + rfm.frequency - 1)
                    * power((parameters.alpha + rfm.t) / (parameters.alpha + rfm.recency), parameters.r + rfm.frequency)
            else 1
        end as alive_denominator,
        case
            when rfm.frequency > 0 then
                (parameters.r + rfm.frequency) * ln((parameters.alpha + rfm.t) / (parameters.alpha + rfm.recency))
                + ln(parameters.a / (parameters.b + rfm.frequency - 1))
        end as log_alive_odds,
        (1 - parameters.p * rfm.frequency / (parameters.p * rfm.frequency + parameters.q - 1))
            * parameters.v * parameters.p / (parameters.q - 1)
            + parameters.p * rfm.frequency / (parameters.p * rfm.frequency + parameters.q - 1) * rfm.monetary_value
            as expected_value_per_purchase
    from rfm
    cross join parameters

),

expected as (

    select
        base.customer_id,
        hypergeometric.horizon,
        (base.a + base.b + base.frequency - 1) / (base.a - 1)
            * (1 - exp(ln(hypergeometric.hyp2f1)
                + (base.r + base.frequency) * ln((base.alpha + base.t) / (base.alpha + hypergeometric.horizon + base.t))))
            / base.alive_denominator as expected_purchases
    from base
    inner join hypergeometric
        on base.frequency = hypergeometric.frequency
        and base.t = hypergeometric.t

),

monthly as (

    select
        expected.customer_id,
        expected.horizon / {{ var('customer_clv_days_per_month') }} as month_number,
        expected.expected_purchases
            - coalesce(lag(expected.expected_purchases) over (
                partition by expected.customer_id order by expected.horizon), 0) as purchases_in_month
    from expected
    where expected.horizon <= {{ var('customer_clv_months') * var('customer_clv_days_per_month') }}
        and mod(cast(expected.horizon as bigint), {{ var('customer_clv_days_per_month') }}) = 0

),

predicted as (

    select
        monthly.customer_id,
        sum(
            base.expected_value_per_purchase * monthly.purchases_in_month
            / power(1 + {{ var('customer_clv_monthly_discount_rate') }}, monthly.month_number)
        ) as predicted_clv
    from monthly
    inner join base on monthly.customer_id = base.customer_id
    group by monthly.customer_id

),

horizon as (

    select customer_id, expected_purchases
    from expected
    where horizon = {{ var('customer_btyd_horizon_days') }}

)

select
    cast(base.customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(base.frequency as double) as frequency,
    cast(base.recency as double) as recency,
    cast(base.t as double) as t,
    cast(base.monetary_value as double) as monetary_value,
    cast(base.net_revenue as double) as historical_clv,
    cast(
        case when base.frequency > 0 then 1 / (1 + exp(base.log_alive_odds)) else 1 end
        as double
    ) as p_alive,
    cast(
        case when base.frequency > 0 then 1 - 1 / (1 + exp(base.log_alive_odds)) else 0 end
        as double
    ) as churn_risk,
    cast(horizon.expected_purchases as double) as expected_purchases_horizon,
    cast(base.expected_value_per_purchase as double) as expected_value_per_purchase,
    cast(predicted.predicted_clv as double) as predicted_clv,
    cast(base.net_revenue + predicted.predicted_clv as double) as total_clv,
    cast(base.parameter_source as {{ dbt.type_string() }}) as parameter_source
from base
inner join predicted on base.customer_id = predicted.customer_id
inner join horizon on base.customer_id = horizon.customer_id
