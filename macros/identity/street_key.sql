{#- street_key(col): matching key of a street address: name_key-style folding (umlauts
    spelled out, accents stripped, lower case), "strasse"/"str." written "str",
    "platz"/"pl." written "pl", and everything but letters and digits removed:
    "Hauptstraße 5", "Hauptstr. 5" and "Hauptstrasse 5" all give "hauptstr5". -#}
{% macro street_key(col) -%}
    {%- set ns = namespace(key='lower(' ~ omnichannel_cdp.unicode_nfc('cast(' ~ col ~ ' as ' ~ dbt.type_string() ~ ')') ~ ')') -%}
    {%- for letter, spelled in [('ä', 'ae'), ('ö', 'oe'), ('ü', 'ue'), ('ß', 'ss')] -%}
        {%- set ns.key = 'replace(' ~ ns.key ~ ", '" ~ letter ~ "', '" ~ spelled ~ "')" -%}
    {%- endfor -%}
    {%- set folded = omnichannel_cdp.fold_accents(ns.key) -%}
    {%- set strasse = omnichannel_cdp.regexp_replace_all(folded, 'strasse|str\\.', 'str') -%}
    {%- set platz = omnichannel_cdp.regexp_replace_all(strasse, 'platz|pl\\.', 'pl') -%}
    cast(nullif({{ omnichannel_cdp.regexp_replace_all(platz, '[^a-z0-9]+', '') }}, '') as {{ dbt.type_string() }})
{%- endmacro %}
