{#- hash_identifier(col): lowercase hex SHA-256 of an already normalised identifier, as a
    64-character string; null when col is null. Pseudonymises, does not anonymise:
    hash the normalised value so that equal identifiers hash equally across sources. -#}
{% macro hash_identifier(col) -%}
    {{ return(adapter.dispatch('hash_identifier', 'omnichannel_cdp')(col)) }}
{%- endmacro %}

{#- sha2(x, 256) exists on Spark, Databricks, Snowflake and Hive. -#}
{% macro default__hash_identifier(col) -%}
    cast(case when {{ col }} is not null then lower(sha2(cast({{ col }} as {{ dbt.type_string() }}), 256)) end as {{ dbt.type_string() }})
{%- endmacro %}

{% macro spark__hash_identifier(col) -%}
    cast(case when {{ col }} is not null then lower(sha2(cast({{ col }} as string), 256)) end as string)
{%- endmacro %}

{% macro duckdb__hash_identifier(col) -%}
    cast(case when {{ col }} is not null then lower(sha256(cast({{ col }} as varchar))) end as varchar)
{%- endmacro %}
