{#- exact_sum(expr): the sum of a double expression in exact decimal arithmetic, for the
    reconciliation tests. A sum of doubles depends on the order parallel threads add
    them: at 1M persons (5e8 of revenue) two runs of the same query differed by 0.001,
    and a cent-level reconciliation failed at random. Each value is rounded to 12
    decimals (decimal(38, 12): 26 integer digits), then added without rounding. -#}
{% macro exact_sum(expr) -%}
    sum(cast({{ expr }} as decimal(38, 12)))
{%- endmacro %}
