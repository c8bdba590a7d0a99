{#- Array helpers of the exact Markov solve (int_attribution_markov_iterations) and the
    Shapley coalitions (int_attribution_shapley_values). DuckDB
    lists are 1-based like Spark's element_at. -#}

{#- struct_of(fields): a struct of [name, expression] pairs. -#}
{% macro struct_of(fields) -%}
    {{ return(adapter.dispatch('struct_of', 'omnichannel_cdp')(fields)) }}
{%- endmacro %}

{% macro default__struct_of(fields) -%}
    struct_pack({% for name, expr in fields %}{{ name }} := {{ expr }}{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

{% macro spark__struct_of(fields) -%}
    named_struct({% for name, expr in fields %}'{{ name }}', {{ expr }}{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

{#- array_agg_ordered(expr, order_by): the group's values of expr as an array, in
    order_by order (order_by unique within the group). -#}
{% macro array_agg_ordered(expr, order_by) -%}
    {{ return(adapter.dispatch('array_agg_ordered', 'omnichannel_cdp')(expr, order_by)) }}
{%- endmacro %}

{% macro default__array_agg_ordered(expr, order_by) -%}
    list({{ expr }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__array_agg_ordered(expr, order_by) -%}
    transform(array_sort(collect_list(struct({{ order_by }} as o, {{ expr }} as v))), x -> x.v)
{%- endmacro %}

{#- array_element(arr, i): element i (1-based) of an array. -#}
{% macro array_element(arr, i) -%}
    {{ return(adapter.dispatch('array_element', 'omnichannel_cdp')(arr, i)) }}
{%- endmacro %}

{% macro default__array_element(arr, i) -%}
    {{ arr }}[{{ i }}]
{%- endmacro %}

{% macro spark__array_element(arr, i) -%}
    element_at({{ arr }}, cast({{ i }} as int))
{%- endmacro %}

{#- markov_fixed_point(state_rows, state_count, initial, steps): `steps` fixed-point steps
    p(s) <- to_conversion(s) + sum over s's transitions of probability * p(to_number),
    from p = initial in every state, of the chain whose states 1..state_count have
    the rows state_rows (array of struct(to_conversion double, transitions
    array<struct(to_number, probability)>), ordered by state number). Returns the array
    of p by state number. -#}
{% macro markov_fixed_point(state_rows, state_count, initial, steps) -%}
    {{ return(adapter.dispatch('markov_fixed_point', 'omnichannel_cdp')(state_rows, state_count, initial, steps)) }}
{%- endmacro %}

{% macro default__markov_fixed_point(state_rows, state_count, initial, steps) -%}
    list_reduce(
        range({{ steps | int }}),
        lambda p, step: list_transform({{ state_rows }}, lambda row: row.to_conversion
            + coalesce(list_sum(list_transform(row.transitions, lambda t: t.probability * p[t.to_number])), 0)),
        list_transform(range({{ state_count }}), lambda s: cast({{ initial }} as double)))
{%- endmacro %}

{% macro spark__markov_fixed_point(state_rows, state_count, initial, steps) -%}
    aggregate(
        sequence(1, {{ steps | int }}),
        array_repeat(cast({{ initial }} as double), cast({{ state_count }} as int)),
        (p, step) -> transform({{ state_rows }}, row -> row.to_conversion
            + coalesce(aggregate(row.transitions, cast(0 as double),
                (acc, t) -> acc + t.probability * element_at(p, t.to_number)), cast(0 as double))))
{%- endmacro %}

{#- integer_series(upper): a select-list expression giving one row per integer
    0 .. upper - 1 (upper a column or expression of the row it is selected from). -#}
{% macro integer_series(upper) -%}
    {{ return(adapter.dispatch('integer_series', 'omnichannel_cdp')(upper)) }}
{%- endmacro %}

{% macro default__integer_series(upper) -%}
    unnest(range(0, cast({{ upper }} as bigint)))
{%- endmacro %}

{% macro spark__integer_series(upper) -%}
    explode(sequence(cast(0 as bigint), cast({{ upper }} as bigint) - 1))
{%- endmacro %}
