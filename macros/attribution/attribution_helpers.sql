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
        {%- do parts.append('value=conversion_rate_of_paths_within_coalition,credit=positive_shapley_share,max_channels=' ~ var('attribution_shapley_max_channels')) -%}
    {%- endif -%}
    {{ return(parts | join('; ')) }}
{%- endmacro %}

{#- attribution_model_names(): every model of fct_attribution_credits, the rule-based
    ones, shapley, then markov_order_<k> for each k in var attribution_markov_orders. -#}
{% macro attribution_model_names() -%}
    {%- set names = ['first_touch', 'last_touch', 'last_non_direct', 'linear', 'time_decay', 'position_based', 'w_shaped', 'shapley'] -%}
    {%- for k in var('attribution_markov_orders') -%}
        {%- do names.append('markov_order_' ~ (k | int)) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}
