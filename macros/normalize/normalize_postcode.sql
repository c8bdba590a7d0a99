{#- normalize_postcode(col): postal code as text (leading zeros kept): trimmed,
    upper-cased, whitespace runs collapsed to one space ("sw1a  1aa" -> "SW1A 1AA");
    null when empty. No country-specific reformatting. -#}
{% macro normalize_postcode(col) -%}
    {{ return(adapter.dispatch('normalize_postcode', 'omnichannel_cdp')(col)) }}
{%- endmacro %}

{% macro default__normalize_postcode(col) -%}
    cast(upper({{ omnichannel_cdp.squish(col) }}) as {{ dbt.type_string() }})
{%- endmacro %}
