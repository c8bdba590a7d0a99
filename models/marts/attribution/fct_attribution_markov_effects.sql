{#- Markov chain removal effects per channel and order. conversion_probability is the
    probability of reaching (conversion) from (start) in the observed chain of that
    order; conversion_probability_without the same with the channel's states removed;
    removal_effect = 1 - without / with, removal_share its share of the order's removal
    effects and attributed_conversions that share of the converting paths. The chains
    are solved exactly: int_attribution_markov_iterations brackets each probability
    between a lower and an upper fixed-point iterate; the midpoint is reported and
    error_bound (half the bracket, the larger of the two chains a row compares) must stay
    within var attribution_markov_tolerance (test attribution_markov_converged).
    Grain: markov_order × channel. -#}

with

probabilities as (

    select markov_order, removed_channel, p_lower, p_upper
    from {{ ref('int_attribution_markov_iterations') }}
    where state = '(start)'

),

channels as (

    select distinct markov_order, removed_channel
    from {{ ref('int_attribution_markov_edges') }}

),

converting_paths as (

    select count(distinct path_key) as converting_paths
    from {{ ref('int_journey_path_touches') }}
    where is_converting

),

-- a chain whose (start) cannot reach (conversion) has no row in the iterations: p = 0
chains as (

    select
        channels.markov_order,
        channels.removed_channel,
        (coalesce(probabilities.p_lower, 0) + coalesce(probabilities.p_upper, 0)) / 2 as conversion_probability,
        (coalesce(probabilities.p_upper, 0) - coalesce(probabilities.p_lower, 0)) / 2 as error_bound
    from channels
    left join probabilities
        on channels.markov_order = probabilities.markov_order
        and channels.removed_channel = probabilities.removed_channel

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
        greatest(observed.error_bound, removed.error_bound) as error_bound
    from chains as removed
    inner join chains as observed
        on removed.markov_order = observed.markov_order
        and observed.removed_channel = '(none)'
    where removed.removed_channel <> '(none)'

),

shared as (

    select
        effects.*,
        case when sum(greatest(removal_effect, 0)) over (partition by markov_order) > 0
            then greatest(removal_effect, 0) / sum(greatest(removal_effect, 0)) over (partition by markov_order)
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
    cast(shared.error_bound as double) as error_bound,
    cast(shared.error_bound <= {{ var('attribution_markov_tolerance') }} as boolean) as is_converged
from shared
cross join converting_paths
