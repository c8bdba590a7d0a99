{#- Transition probabilities of the Markov chain attribution models, for every order in
    var attribution_markov_orders and every removal scenario. A state of order k is the
    last k channels of a path ('email > paid_search > direct'; fewer at the start of a
    path); every path (converting or not) runs (start) -> its states -> (conversion) or
    (null). probability = transitions from the state to the next / all transitions out
    of the state. removed_channel '(none)' is the observed chain; removed_channel = c is
    the chain with every state containing c removed: transitions into such states go to
    (null), so they are left out here (their probability is lost mass). Self-loops are
    eliminated exactly: a state that returns to itself with probability a has its other
    transitions divided by (1 - a), which leaves the absorption probabilities unchanged
    and makes the fixed-point solve converge faster.
    Grain: markov_order × removed_channel × from_state × to_state. -#}
{%- set orders = var('attribution_markov_orders') -%}

with

path_touches as (

    select path_key, is_converting, channel, touch_index, touch_count
    from {{ ref('int_journey_path_touches') }}

),

channels as (

    select distinct channel
    from path_touches

),

{%- for k in orders %}

states_{{ k }} as (

    select
        path_key,
        is_converting,
        touch_index,
        touch_count,
        channel as c1,
        {% if k >= 2 %}lag(channel, 1) over (partition by path_key order by touch_index){% else %}cast(null as {{ dbt.type_string() }}){% endif %} as c2,
        {% if k >= 3 %}lag(channel, 2) over (partition by path_key order by touch_index){% else %}cast(null as {{ dbt.type_string() }}){% endif %} as c3
    from path_touches

),

keyed_{{ k }} as (

    select
        states_{{ k }}.*,
        concat_ws(' > ', c3, c2, c1) as state
    from states_{{ k }}

),

steps_{{ k }} as (

    select
        {{ k }} as markov_order,
        state as from_state, c1 as from_c1, c2 as from_c2, c3 as from_c3,
        coalesce(
            lead(state) over (partition by path_key order by touch_index),
            case when is_converting then '(conversion)' else '(null)' end
        ) as to_state,
        lead(c1) over (partition by path_key order by touch_index) as to_c1,
        lead(c2) over (partition by path_key order by touch_index) as to_c2,
        lead(c3) over (partition by path_key order by touch_index) as to_c3
    from keyed_{{ k }}
    union all
    select
        {{ k }} as markov_order,
        '(start)' as from_state, cast(null as {{ dbt.type_string() }}) as from_c1,
        cast(null as {{ dbt.type_string() }}) as from_c2, cast(null as {{ dbt.type_string() }}) as from_c3,
        state as to_state, c1 as to_c1, c2 as to_c2, c3 as to_c3
    from keyed_{{ k }}
    where touch_index = 1

),
{%- endfor %}

steps as (
{%- for k in orders %}
    select * from steps_{{ k }}
    {%- if not loop.last %}
    union all
    {%- endif %}
{%- endfor %}

),

transitions as (

    select
        markov_order, from_state, from_c1, from_c2, from_c3, to_state, to_c1, to_c2, to_c3,
        count(*) as transitions
    from steps
    group by markov_order, from_state, from_c1, from_c2, from_c3, to_state, to_c1, to_c2, to_c3

),

probabilities as (

    select
        transitions.*,
        cast(transitions as double) / sum(transitions) over (partition by markov_order, from_state) as probability
    from transitions

),

scenarios as (

    select '(none)' as removed_channel
    union all
    select channel as removed_channel from channels

),

kept as (

    select
        probabilities.markov_order,
        scenarios.removed_channel,
        probabilities.from_state,
        probabilities.to_state,
        probabilities.transitions,
        probabilities.probability
    from probabilities
    cross join scenarios
    where not coalesce(
            probabilities.from_c1 = scenarios.removed_channel
            or probabilities.from_c2 = scenarios.removed_channel
            or probabilities.from_c3 = scenarios.removed_channel, false)
        and not coalesce(
            probabilities.to_c1 = scenarios.removed_channel
            or probabilities.to_c2 = scenarios.removed_channel
            or probabilities.to_c3 = scenarios.removed_channel, false)
        and probabilities.to_state <> '(null)'

),

self_loops as (

    select markov_order, removed_channel, from_state, probability as self_probability
    from kept
    where from_state = to_state

)

select
    cast(kept.markov_order as bigint) as markov_order,
    cast(kept.removed_channel as {{ dbt.type_string() }}) as removed_channel,
    cast(kept.from_state as {{ dbt.type_string() }}) as from_state,
    cast(kept.to_state as {{ dbt.type_string() }}) as to_state,
    cast(kept.transitions as bigint) as transitions,
    cast(kept.probability as double) as observed_probability,
    cast(kept.probability / (1 - coalesce(self_loops.self_probability, 0)) as double) as probability
from kept
left join self_loops
    on kept.markov_order = self_loops.markov_order
    and kept.removed_channel = self_loops.removed_channel
    and kept.from_state = self_loops.from_state
where kept.from_state <> kept.to_state
