{#- Integers 0 .. n-1 as a subquery with one column `n` (portable: cross joins of a
    ten-row digits list, no generate_series / range / unnest). -#}
{% macro customer_integer_series(n) -%}
    {%- set digits = (n - 1) | string | length -%}
    (
        select {% for i in range(digits) %}d{{ i }}.d * {{ 10 ** i }}{{ ' + ' if not loop.last }}{% endfor %} as n
        from {% for i in range(digits) %}(
            select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
            union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
        ) as d{{ i }}{{ ', ' if not loop.last }}{% endfor %}
        where {% for i in range(digits) %}d{{ i }}.d * {{ 10 ** i }}{{ ' + ' if not loop.last }}{% endfor %} < {{ n }}
    )
{%- endmacro %}
