{#- epoch_seconds(ts): seconds since 1970-01-01 of a timestamp, as a double
    (DuckDB epoch(), Spark unix_timestamp(), which drops fractions of a second). -#}
{% macro epoch_seconds(ts) -%}
    {{ return(adapter.dispatch('epoch_seconds', 'omnichannel_cdp')(ts)) }}
{%- endmacro %}

{% macro default__epoch_seconds(ts) -%}
    cast(epoch({{ ts }}) as double)
{%- endmacro %}

{% macro spark__epoch_seconds(ts) -%}
    cast(unix_timestamp({{ ts }}) as double)
{%- endmacro %}

{#- url_host(col): the host of an http(s) URL ('www.google.com'), lower-case; null when
    col is null or not an http(s) URL. -#}
{% macro url_host(col) -%}
    nullif(lower(regexp_extract({{ col }}, '^[hH][tT][tT][pP][sS]?://([^/?#:]+)', 1)), '')
{%- endmacro %}

{#- lookback_days_for(channel_col): the lookback window in days of a channel, from var
    attribution_lookback_days ({channel: days}, 'default' for every other channel). -#}
{% macro lookback_days_for(channel_col) -%}
    {%- set windows = var('attribution_lookback_days') -%}
    case
    {%- for channel, days in windows.items() if channel != 'default' %}
        when {{ channel_col }} = {{ omnichannel_cdp.sql_string(channel) }} then {{ days | int }}
    {%- endfor %}
        else {{ windows.get('default', 90) | int }}
    end
{%- endmacro %}

{#- markov_step(edges, previous): one fixed-point step p(s) <- sum over transitions s -> t
    of probability * p(t) with p((conversion)) = 1, for the lower and the upper bound
    (column bound) of every chain. `edges` has markov_order, removed_channel, bound,
    from_state, to_state, probability; `previous` (a relation or CTE with markov_order,
    removed_channel, bound, state, p) holds the last step, and a state absent from it
    has p = 0 (it has no way to convert). Without `previous` it is the first step from
    p = 0 (bound 'lower') and p = 1 (bound 'upper'). -#}
{% macro markov_step(edges, previous=none) -%}
    select
        e.markov_order,
        e.removed_channel,
        e.bound,
        e.from_state as state,
        sum(e.probability * case
            when e.to_state = '(conversion)' then cast(1 as double)
            {%- if previous is not none %}
            else coalesce(prev.p, cast(0 as double))
            {%- else %}
            when e.bound = 'upper' then cast(1 as double)
            else cast(0 as double)
            {%- endif %}
        end) as p
    from {{ edges }} as e
    {%- if previous is not none %}
    left join {{ previous }} as prev
        on e.markov_order = prev.markov_order
        and e.removed_channel = prev.removed_channel
        and e.bound = prev.bound
        and e.to_state = prev.state
    {%- endif %}
    group by e.markov_order, e.removed_channel, e.bound, e.from_state
{%- endmacro %}

{#- ordered_string_agg(expr, order_by, separator): the group's values of expr joined by
    separator in order_by order. -#}
{% macro ordered_string_agg(expr, order_by, separator) -%}
    {{ return(adapter.dispatch('ordered_string_agg', 'omnichannel_cdp')(expr, order_by, separator)) }}
{%- endmacro %}

{% macro default__ordered_string_agg(expr, order_by, separator) -%}
    string_agg({{ expr }}, {{ omnichannel_cdp.sql_string(separator) }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__ordered_string_agg(expr, order_by, separator) -%}
    nullif(array_join(transform(array_sort(collect_list(struct({{ order_by }} as o, {{ expr }} as v))), x -> x.v), {{ omnichannel_cdp.sql_string(separator) }}), '')
{%- endmacro %}

{#- distinct_string_agg(expr, separator): the group's distinct non-null values of expr,
    sorted, joined by separator; null when there are none. -#}
{% macro distinct_string_agg(expr, separator) -%}
    {{ return(adapter.dispatch('distinct_string_agg', 'omnichannel_cdp')(expr, separator)) }}
{%- endmacro %}

{% macro default__distinct_string_agg(expr, separator) -%}
    string_agg(distinct {{ expr }}, {{ omnichannel_cdp.sql_string(separator) }} order by {{ expr }})
{%- endmacro %}

{% macro spark__distinct_string_agg(expr, separator) -%}
    nullif(array_join(array_sort(collect_set({{ expr }})), {{ omnichannel_cdp.sql_string(separator) }}), '')
{%- endmacro %}

{#- attribution_settings(model): the settings a credit row was computed with, as text. -#}
{% macro attribution_settings(model) -%}
    {%- set lookback = var('attribution_lookback_days') -%}
    {%- set parts = ['lookback_days=' ~ (lookback.items() | sort | map('join', ':') | join(','))] -%}
    {%- if model == 'time_decay' -%}
        {%- do parts.append('half_life_days=' ~ var('attribution_time_decay_half_life_days')) -%}
    {%- elif model == 'position_based' -%}
        {%- set w = var('attribution_position_based_weights') -%}
        {%- do parts.append('first=' ~ w['first'] ~ ',last=' ~ w['last']) -%}
    {%- elif model == 'w_shaped' -%}
        {%- set w = var('attribution_w_shaped_weights') -%}
        {%- do parts.append('first=' ~ w['first'] ~ ',milestone=' ~ w['milestone'] ~ ',last=' ~ w['last'] ~ ',other=' ~ w['other'] ~ ',milestone_event=add_to_cart') -%}
    {%- elif model.startswith('markov_order_') -%}
        {%- do parts.append('order=' ~ model[13:] ~ ',iterations=' ~ var('attribution_markov_iterations') ~ ',tolerance=' ~ var('attribution_markov_tolerance')) -%}
    {%- elif model == 'shapley' -%}
        {%- do parts.append('value=conversions_of_paths_within_coalition') -%}
    {%- endif -%}
    {{ return(parts | join('; ')) }}
{%- endmacro %}


{#- markov_chunk_sql(edges_relation, previous, steps): a query taking `steps` fixed-point
    steps (markov_step) for both bounds of every chain, starting from the table
    `previous` (markov_order, removed_channel, bound, state, p) or, without it, from
    p = 0 (bound 'lower') / p = 1 (bound 'upper'), which takes at least one step.
    Returns markov_order, removed_channel, bound, state, p. -#}
{% macro markov_chunk_sql(edges_relation, previous, steps) -%}
{%- set steps = steps | int -%}
with

edges as (

    select edges.markov_order, edges.removed_channel, bounds.bound, edges.from_state, edges.to_state, edges.probability
    from {{ edges_relation }} as edges
    cross join (select 'lower' as bound union all select 'upper' as bound) as bounds

),
{%- if previous is not none %}

step_0 as (

    select markov_order, removed_channel, bound, state, p
    from {{ previous }}

),
{%- set first = 1 %}
{%- set last = steps %}
{%- else %}

step_1 as (
    {{ omnichannel_cdp.markov_step('edges') }}
),
{%- set first = 2 %}
{%- set last = [steps, 1] | max %}
{%- endif %}
{%- for i in range(first, last + 1) %}

step_{{ i }} as (
    {{ omnichannel_cdp.markov_step('edges', 'step_' ~ (i - 1)) }}
),
{%- endfor %}

result as (

    select markov_order, removed_channel, bound, state, p
    from step_{{ last }}

)

select markov_order, removed_channel, bound, state, p
from result
{%- endmacro %}

{#- markov_chunk_relation(this, n): the table holding chunk n of a chunked Markov solve. -#}
{% macro markov_chunk_relation(model_relation, n) -%}
    {{ return(api.Relation.create(database=model_relation.database, schema=model_relation.schema,
                                  identifier=model_relation.identifier ~ '__chunk_' ~ n, type='table')) }}
{%- endmacro %}
