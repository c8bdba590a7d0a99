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
    The touches are read once: one window pass gives each touch its last K channels
    (K = the highest order) and the next channel, and the transitions of every order
    are counted from those windows, aggregated first (a few thousand rows whatever the
    number of journeys).
    Grain: markov_order × removed_channel × from_state × to_state. -#}
{%- set orders = var('attribution_markov_orders') | map('int') | list -%}
{%- set max_order = orders | max -%}

with

path_touches as (

    select path_key, is_converting, channel, touch_index
    from {{ ref('int_journey_path_touches') }}

),

channels as (

    select distinct channel
    from path_touches

),

-- c1 = the touch's channel, c2 the one before, ...; next_channel null at a path's end
windowed as (

    select
        is_converting,
        touch_index,
        channel as c1,
        {%- for j in range(2, max_order + 1) %}
        lag(channel, {{ j - 1 }}) over (partition by path_key order by touch_index) as c{{ j }},
        {%- endfor %}
        lead(channel) over (partition by path_key order by touch_index) as next_channel
    from path_touches

),

touch_windows as (

    select
        {%- for j in range(1, max_order + 1) %}
        c{{ j }},
        {%- endfor %}
        next_channel,
        touch_index = 1 as is_first,
        case when next_channel is null then is_converting end as ends_converting,
        count(*) as touches
    from windowed
    group by all

),

{%- for k in orders %}

{#- the last k channels, oldest first: c<k> > ... > c1 (concat_ws skips the nulls of a path's start) #}
{%- set from_cols = [] -%}{%- for j in range(k, 0, -1) %}{% do from_cols.append('c' ~ j) %}{% endfor -%}
{%- set to_cols = [] -%}{%- for j in range(k - 1, 0, -1) %}{% do to_cols.append('c' ~ j) %}{% endfor -%}{%- do to_cols.append('next_channel') -%}

steps_{{ k }} as (

    select
        {{ k }} as markov_order,
        concat_ws(' > ', {{ from_cols | join(', ') }}) as from_state,
        case
            when next_channel is not null then concat_ws(' > ', {{ to_cols | join(', ') }})
            when ends_converting then '(conversion)'
            else '(null)'
        end as to_state,
        {%- for j in range(1, max_order + 1) %}
        {% if j <= k %}c{{ j }}{% else %}cast(null as {{ dbt.type_string() }}){% endif %} as from_c{{ j }},
        {%- endfor %}
        {%- for j in range(1, max_order + 1) %}
        {% if j <= k %}{{ to_cols[k - j] }}{% else %}cast(null as {{ dbt.type_string() }}){% endif %} as to_c{{ j }},
        {%- endfor %}
        touches
    from touch_windows
    union all
    select
        {{ k }} as markov_order,
        '(start)' as from_state,
        c1 as to_state,
        {%- for j in range(1, max_order + 1) %}
        cast(null as {{ dbt.type_string() }}) as from_c{{ j }},
        {%- endfor %}
        c1 as to_c1,
        {%- for j in range(2, max_order + 1) %}
        cast(null as {{ dbt.type_string() }}) as to_c{{ j }},
        {%- endfor %}
        touches
    from touch_windows
    where is_first

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
        markov_order, from_state, to_state,
        {%- for j in range(1, max_order + 1) %} from_c{{ j }},{% endfor %}
        {%- for j in range(1, max_order + 1) %} to_c{{ j }},{% endfor %}
        sum(touches) as transitions
    from steps
    group by all

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
            {%- for j in range(1, max_order + 1) %}
            probabilities.from_c{{ j }} = scenarios.removed_channel or
            {%- endfor %}
            {%- for j in range(1, max_order + 1) %}
            probabilities.to_c{{ j }} = scenarios.removed_channel{% if not loop.last %} or{% endif %}
            {%- endfor %}, false)
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
