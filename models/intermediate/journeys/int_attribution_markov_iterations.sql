{#- Absorption probabilities of the Markov chains of int_attribution_markov_edges,
    bracketed: var attribution_markov_iterations fixed-point steps p <- Q p + r from
    p = 0 give p_lower, from p = 1 give p_upper. The operator is monotone and the chain
    absorbing (every state was seen on a path that ended), so p_lower rises and p_upper
    falls to the exact probability of reaching (conversion) from the state, which lies
    between them: p_upper - p_lower is a rigorous error bound.
    Each chain (markov_order × removed_channel) is one row: its states numbered 1..n, and
    an array holding per state its probability r of converting next and its transitions
    (to state number, probability) to the other states. All the steps of all the chains
    then run inside one query as array functions (macro markov_fixed_point: DuckDB
    list_reduce / list_transform, Spark aggregate / transform), with no join or shuffle
    per step; a chain has at most channels^order states, so its arrays stay small.
    Grain: markov_order × removed_channel × state. -#}
{%- set steps = [var('attribution_markov_iterations') | int, 1] | max -%}

with

edges as (

    select markov_order, removed_channel, from_state, to_state, probability
    from {{ ref('int_attribution_markov_edges') }}

),

-- every transient state of a chain: left by a transition, or entered by one (a state
-- whose every way out was removed is entered only, and never converts)
states as (

    select markov_order, removed_channel, from_state as state
    from edges
    union
    select markov_order, removed_channel, to_state as state
    from edges
    where to_state <> '(conversion)'

),

numbered as (

    select
        markov_order,
        removed_channel,
        state,
        row_number() over (partition by markov_order, removed_channel order by state) as state_number
    from states

),

to_conversion as (

    select markov_order, removed_channel, from_state, sum(probability) as probability
    from edges
    where to_state = '(conversion)'
    group by markov_order, removed_channel, from_state

),

to_states as (

    select
        edges.markov_order,
        edges.removed_channel,
        edges.from_state,
        {{ omnichannel_cdp.array_agg_ordered(
            omnichannel_cdp.struct_of([['to_number', 'numbered.state_number'], ['probability', 'edges.probability']]),
            'numbered.state_number') }} as transitions
    from edges
    inner join numbered
        on edges.markov_order = numbered.markov_order
        and edges.removed_channel = numbered.removed_channel
        and edges.to_state = numbered.state
    group by edges.markov_order, edges.removed_channel, edges.from_state

),

state_rows as (

    select
        numbered.markov_order,
        numbered.removed_channel,
        numbered.state_number,
        {{ omnichannel_cdp.struct_of([
            ['to_conversion', 'cast(coalesce(to_conversion.probability, 0) as double)'],
            ['transitions', 'to_states.transitions']]) }} as state_row
    from numbered
    left join to_conversion
        on numbered.markov_order = to_conversion.markov_order
        and numbered.removed_channel = to_conversion.removed_channel
        and numbered.state = to_conversion.from_state
    left join to_states
        on numbered.markov_order = to_states.markov_order
        and numbered.removed_channel = to_states.removed_channel
        and numbered.state = to_states.from_state

),

chains as (

    select
        markov_order,
        removed_channel,
        count(*) as state_count,
        {{ omnichannel_cdp.array_agg_ordered('state_row', 'state_number') }} as state_rows
    from state_rows
    group by markov_order, removed_channel

),

solved as (

    select
        markov_order,
        removed_channel,
        state_count,
        {{ omnichannel_cdp.markov_fixed_point('state_rows', 'state_count', 0, steps) }} as p_lower,
        {{ omnichannel_cdp.markov_fixed_point('state_rows', 'state_count', 1, steps) }} as p_upper
    from chains

),

-- one row per chain and state index, the arrays still in their chain's row: Spark reads
-- array elements this way ~20x faster than after a join of the arrays to numbered
state_indexes as (

    select
        markov_order,
        removed_channel,
        p_lower,
        p_upper,
        {{ omnichannel_cdp.integer_series('state_count') }} as state_index
    from solved

),

solved_states as (

    select
        markov_order,
        removed_channel,
        state_index + 1 as state_number,
        {{ omnichannel_cdp.array_element('p_lower', 'state_index + 1') }} as p_lower,
        {{ omnichannel_cdp.array_element('p_upper', 'state_index + 1') }} as p_upper
    from state_indexes

)

select
    cast(numbered.markov_order as bigint) as markov_order,
    cast(numbered.removed_channel as {{ dbt.type_string() }}) as removed_channel,
    cast(numbered.state as {{ dbt.type_string() }}) as state,
    cast(solved_states.p_lower as double) as p_lower,
    cast(solved_states.p_upper as double) as p_upper
from numbered
inner join solved_states
    on numbered.markov_order = solved_states.markov_order
    and numbered.removed_channel = solved_states.removed_channel
    and numbered.state_number = solved_states.state_number
