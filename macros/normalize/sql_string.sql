{#-
    sql_string(value): render a Jinja/Python string as a SQL string literal for the
    current adapter. Regex patterns written with backslashes ("\s", "\x{00A0}") reach the
    regex engine unchanged on every adapter:
      - DuckDB (and ANSI default): backslashes are literal, a quote is doubled.
      - Spark: string literals process backslash escapes, so backslashes are doubled and
        a quote is written as \'.
-#}
{% macro sql_string(value) -%}
    {{ return(adapter.dispatch('sql_string', 'omnichannel_cdp')(value)) }}
{%- endmacro %}

{% macro default__sql_string(value) -%}
    {{ return("'" ~ (value | string | replace("'", "''")) ~ "'") }}
{%- endmacro %}

{% macro spark__sql_string(value) -%}
    {{ return("'" ~ (value | string | replace("\\", "\\\\") | replace("'", "\\'")) ~ "'") }}
{%- endmacro %}
