{#- Absorption probabilities of the Markov chains of int_attribution_markov_edges,
    bracketed: var attribution_markov_iterations fixed-point steps p <- Q p + r from
    p = 0 give p_lower, from p = 1 give p_upper. The operator is monotone and the chain
    absorbing (every state was seen on a path that ended), so p_lower rises and p_upper
    falls to the exact probability of reaching (conversion) from the state, which lies
    between them: p_upper - p_lower is a rigorous error bound.
    Grain: markov_order × removed_channel × state. -#}
{%- set iterations = var('attribution_markov_iterations') | int -%}

with

edges as (

    select edges.markov_order, edges.removed_channel, bounds.bound, edges.from_state, edges.to_state, edges.probability
    from {{ ref('int_attribution_markov_edges') }} as edges
    cross join (select 'lower' as bound union all select 'upper' as bound) as bounds

),

step_1 as (
    {{ omnichannel_cdp.markov_step('edges') }}
),
{%- for i in range(2, iterations + 1) %}

step_{{ i }} as (
    {{ omnichannel_cdp.markov_step('edges', 'step_' ~ (i - 1)) }}
),
{%- endfor %}

final as (

    select
        markov_order,
        removed_channel,
        state,
        max(case when bound = 'lower' then p end) as p_lower,
        max(case when bound = 'upper' then p end) as p_upper
    from step_{{ iterations }}
    group by markov_order, removed_channel, state

)

select
    cast(markov_order as bigint) as markov_order,
    cast(removed_channel as {{ dbt.type_string() }}) as removed_channel,
    cast(state as {{ dbt.type_string() }}) as state,
    cast(coalesce(p_lower, 0) as double) as p_lower,
    cast(coalesce(p_upper, 0) as double) as p_upper
from final
