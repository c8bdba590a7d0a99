{#- is_junk_phone(col): true when an E.164 number matches one of the patterns in var
    identity_junk_phone_patterns (all-same digits, keyboard sequences); false for null. -#}
{% macro is_junk_phone(col) -%}
    {%- set patterns = var('identity_junk_phone_patterns', []) -%}
    {%- if patterns | length == 0 -%}
        false
    {%- else -%}
        coalesce(({% for p in patterns %}{{ omnichannel_cdp.regexp_like(col, p) }}{% if not loop.last %} or {% endif %}{% endfor %}), false)
    {%- endif -%}
{%- endmacro %}

{#- split_email(col, part): 'local' (before the @) or 'domain' (after it) of an email. -#}
{% macro split_email(col, part) -%}
    {%- if part == 'local' -%}
        split_part({{ col }}, '@', 1)
    {%- elif part == 'domain' -%}
        split_part({{ col }}, '@', 2)
    {%- else -%}
        {{ exceptions.raise_compiler_error("split_email: part must be 'local' or 'domain'") }}
    {%- endif -%}
{%- endmacro %}

{#- log2_expr(expr): base-2 logarithm as a double (DuckDB log2, Spark log(2, x)). -#}
{% macro log2_expr(expr) -%}
    {{ return(adapter.dispatch('log2_expr', 'omnichannel_cdp')(expr)) }}
{%- endmacro %}

{% macro default__log2_expr(expr) -%}
    (ln(cast({{ expr }} as double)) / ln(cast(2 as double)))
{%- endmacro %}

{% macro spark__log2_expr(expr) -%}
    log(cast(2 as double), cast({{ expr }} as double))
{%- endmacro %}
