{#- Absorption probabilities of the Markov chains of int_attribution_markov_edges after
    var attribution_markov_iterations fixed-point steps from p = 0: p(s) converges from
    below to the exact probability of reaching (conversion) from s. The last steps and
    the convergence check are in fct_attribution_markov_effects.
    Grain: markov_order × removed_channel × state. -#}
{%- set iterations = var('attribution_markov_iterations') | int -%}

with

edges as (

    select markov_order, removed_channel, from_state, to_state, probability
    from {{ ref('int_attribution_markov_edges') }}

),

step_1 as (
    {{ omnichannel_cdp.markov_step('edges') }}
),
{%- for i in range(2, iterations + 1) %}

step_{{ i }} as (
    {{ omnichannel_cdp.markov_step('edges', 'step_' ~ (i - 1)) }}
){% if not loop.last %},{% endif %}
{%- endfor %}

select
    cast(markov_order as bigint) as markov_order,
    cast(removed_channel as {{ dbt.type_string() }}) as removed_channel,
    cast(state as {{ dbt.type_string() }}) as state,
    cast(p as double) as p
from step_{{ iterations }}
