{#- normalize_name(col): a person's name for display and exact matching: Unicode NFC
    (DuckDB; see unicode_nfc for Spark), whitespace runs collapsed to one space, trimmed;
    case is kept as given (initcap would break "McDonald", "van der Berg");
    null when empty. -#}
{% macro normalize_name(col) -%}
    {{ return(adapter.dispatch('normalize_name', 'omnichannel_cdp')(col)) }}
{%- endmacro %}

{% macro default__normalize_name(col) -%}
    cast({{ omnichannel_cdp.squish(omnichannel_cdp.unicode_nfc(col)) }} as {{ dbt.type_string() }})
{%- endmacro %}
