{#- Markov chain removal effects per channel and order. conversion_probability is the
    probability of reaching (conversion) from (start) in the observed chain of that
    order; conversion_probability_without the same with the channel's states removed;
    removal_effect = 1 - without / with, removal_share its share of the order's removal
    effects and attributed_conversions that share of the converting paths. The chain is
    solved exactly as a fixed point: var attribution_markov_iterations steps from p = 0
    (int_attribution_markov_iterations) and two more here; estimated_error bounds the
    distance to the exact solution from the last two steps' geometric decay (the last change itself when it is at
    the level of double rounding, 1e-15) and must stay below var attribution_markov_tolerance
    (test). Grain: markov_order × channel. -#}

with

edges as (

    select markov_order, removed_channel, from_state, to_state, probability
    from {{ ref('int_attribution_markov_edges') }}

),

step_k as (

    select markov_order, removed_channel, state, p
    from {{ ref('int_attribution_markov_iterations') }}

),

converting_paths as (

    select count(distinct path_key) as converting_paths
    from {{ ref('int_journey_path_touches') }}
    where is_converting

),

step_k1 as (
    {{ omnichannel_cdp.markov_step('edges', 'step_k') }}
),

step_k2 as (
    {{ omnichannel_cdp.markov_step('edges', 'step_k1') }}
),

-- step sizes of the last two steps, per chain (all states)
changes as (

    select
        step_k2.markov_order,
        step_k2.removed_channel,
        max(abs(step_k2.p - coalesce(step_k1.p, 0))) as last_change,
        max(abs(coalesce(step_k1.p, 0) - coalesce(step_k.p, 0))) as previous_change
    from step_k2
    left join step_k1
        on step_k2.markov_order = step_k1.markov_order
        and step_k2.removed_channel = step_k1.removed_channel
        and step_k2.state = step_k1.state
    left join step_k
        on step_k2.markov_order = step_k.markov_order
        and step_k2.removed_channel = step_k.removed_channel
        and step_k2.state = step_k.state
    group by step_k2.markov_order, step_k2.removed_channel

),

errors as (

    select
        markov_order,
        removed_channel,
        case
            -- a change at the level of double rounding: nothing left to converge
            when last_change <= 1e-15 then last_change
            when previous_change = 0 or last_change >= previous_change then cast(1 as double)
            else last_change * (last_change / previous_change) / (1 - last_change / previous_change)
        end as estimated_error
    from changes

),

chains as (

    select
        errors.markov_order,
        errors.removed_channel,
        coalesce(step_k2.p, cast(0 as double)) as conversion_probability,
        errors.estimated_error
    from errors
    left join step_k2
        on errors.markov_order = step_k2.markov_order
        and errors.removed_channel = step_k2.removed_channel
        and step_k2.state = '(start)'

),

effects as (

    select
        removed.markov_order,
        removed.removed_channel as channel,
        observed.conversion_probability,
        removed.conversion_probability as conversion_probability_without,
        case when observed.conversion_probability > 0
            then 1 - removed.conversion_probability / observed.conversion_probability
            else cast(0 as double) end as removal_effect,
        greatest(observed.estimated_error, removed.estimated_error) as estimated_error
    from chains as removed
    inner join chains as observed
        on removed.markov_order = observed.markov_order
        and observed.removed_channel = '(none)'
    where removed.removed_channel <> '(none)'

),

shared as (

    select
        effects.*,
        case when sum(removal_effect) over (partition by markov_order) > 0
            then removal_effect / sum(removal_effect) over (partition by markov_order)
            else cast(0 as double) end as removal_share
    from effects

)

select
    cast(concat('markov_order_', cast(shared.markov_order as {{ dbt.type_string() }})) as {{ dbt.type_string() }}) as attribution_model,
    cast(shared.markov_order as bigint) as markov_order,
    cast(shared.channel as {{ dbt.type_string() }}) as channel,
    cast(shared.conversion_probability as double) as conversion_probability,
    cast(shared.conversion_probability_without as double) as conversion_probability_without,
    cast(shared.removal_effect as double) as removal_effect,
    cast(shared.removal_share as double) as removal_share,
    cast(shared.removal_share * converting_paths.converting_paths as double) as attributed_conversions,
    cast(shared.estimated_error as double) as estimated_error,
    cast(shared.estimated_error <= {{ var('attribution_markov_tolerance') }} as boolean) as is_converged
from shared
cross join converting_paths
