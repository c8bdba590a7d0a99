{#- The Gaussian hypergeometric function 2F1(r+x, b+x; a+b+x-1; z), z = t/(alpha+T+t),
    that the BG/NBD conditional expectation needs, for every distinct (x, T) of
    customer_rfm and every horizon t the CLV uses (each month of var
    customer_clv_months at var customer_clv_days_per_month days, and var
    customer_btyd_horizon_days). Summed as its power series
    sum_n (r+x)_n (b+x)_n / ((a+b+x-1)_n n!) z^n over var customer_btyd_series_terms
    terms, each term from the previous by the running sum of the logarithms of the
    term ratios (portable: ln, exp and a window sum). Each series stops once the rest
    is provably below 1e-16 of the sum: the term ratio rho_n falls below s =
    (1 + z) / 2 for every n past the larger root of a quadratic in n, and from there
    the tail is at most s^k / (1 - s) of the sum; at most var customer_btyd_series_terms
    terms. tail_bound bounds the omitted rest relative to the sum (last term x
    rho / (1 - rho), rho the larger of the last term ratio and z): the test
    customer_btyd_series_converged fails when it is not below 1e-15. -#}
{%- set terms = var('customer_btyd_series_terms') -%}
with

parameters as (

    select r, alpha, a, b
    from {{ ref('int_customer_btyd_parameters') }}

),

customers as (

    select distinct frequency as x, t as t_obs
    from {{ ref('customer_rfm') }}

),

horizons as (

    select distinct cast(horizon as double) as horizon
    from (
        select (n + 1) * {{ var('customer_clv_days_per_month') }} as horizon
        from {{ customer_integer_series(var('customer_clv_months')) }} as months
        union all
        select {{ var('customer_btyd_horizon_days') }} as horizon
    ) as h

),

arguments as (

    select
        customers.x,
        customers.t_obs,
        horizons.horizon,
        parameters.r + customers.x as h_a,
        parameters.b + customers.x as h_b,
        parameters.a + parameters.b + customers.x - 1 as h_c,
        horizons.horizon / (parameters.alpha + customers.t_obs + horizons.horizon) as z
    from customers
    cross join horizons
    cross join parameters

),

{#- rho_n < s  <=>  (s - z) n^2 + (s (c + 1) - z (a + b)) n + (s c - z a b) > 0 -#}
bounds as (

    select
        arguments.*,
        (1 + z) / 2 as s,
        (1 + z) / 2 - z as q_a,
        (1 + z) / 2 * (h_c + 1) - z * (h_a + h_b) as q_b,
        (1 + z) / 2 * h_c - z * h_a * h_b as q_c
    from arguments

),

truncated as (

    select
        x,
        t_obs,
        horizon,
        h_a,
        h_b,
        h_c,
        z,
        least(
            {{ terms }},
            greatest(0, ceil(
                case
                    when q_b * q_b - 4 * q_a * q_c >= 0 then (sqrt(q_b * q_b - 4 * q_a * q_c) - q_b) / (2 * q_a)
                    else 0
                end
            )) + ceil(ln(1e-16 * (1 - s)) / ln(s)) + 1
        ) as terms_needed
    from bounds

),

series as (

    select
        truncated.x,
        truncated.t_obs,
        truncated.horizon,
        truncated.terms_needed,
        truncated.h_a,
        truncated.h_b,
        truncated.h_c,
        truncated.z,
        terms.n,
        exp(coalesce(sum(
            ln((truncated.h_a + terms.n) * (truncated.h_b + terms.n) * truncated.z
                / ((truncated.h_c + terms.n) * (terms.n + 1)))
        ) over (
            partition by truncated.x, truncated.t_obs, truncated.horizon
            order by terms.n
            rows between unbounded preceding and 1 preceding
        ), 0)) as term
    from truncated
    inner join {{ customer_integer_series(terms) }} as terms on terms.n < truncated.terms_needed

),

summed as (

    select
        x,
        t_obs,
        horizon,
        max(terms_needed) as terms_needed,
        sum(term) as hyp2f1,
        max(case when n = terms_needed - 1 then term end) as last_term,
        max(z) as z,
        {#- term ratio at the last summed term: past it the ratios tend monotonically to z,
            so none exceeds greatest(this, z) -#}
        max(case when n = terms_needed - 1 then
            z * (h_a + n) * (h_b + n) / ((h_c + n) * (n + 1))
        end) as last_ratio
    from series
    group by x, t_obs, horizon

)

select
    cast(x as double) as frequency,
    cast(t_obs as double) as t,
    cast(horizon as double) as horizon,
    cast(hyp2f1 as double) as hyp2f1,
    cast(terms_needed as bigint) as terms,
    cast(last_term / hyp2f1 as double) as last_term_ratio,
    cast(
        case
            when greatest(last_ratio, z) < 1
                then last_term * greatest(last_ratio, z) / (1 - greatest(last_ratio, z)) / hyp2f1
        end as double
    ) as tail_bound,
    terms_needed >= {{ terms }} as hit_term_cap
from summed
