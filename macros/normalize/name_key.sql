{#- name_key(col): the matching key of a name: lowercased, German umlauts and ß
    transliterated (ä -> ae, ö -> oe, ü -> ue, ß -> ss; also æ -> ae, œ -> oe, ø -> oe,
    ł -> l, đ -> d),
    other accents stripped (é -> e), then everything that is not a letter removed
    (spaces, hyphens, dots, apostrophes, digits). "Müller", "Mueller", "MÜLLER" and
    "Mu" + U+0308 + "ller" all give "mueller"; "Muller" gives "muller" (fuzzy matching
    handles that later). Null when no letter is left. -#}
{% macro name_key(col) -%}
    {{ return(adapter.dispatch('name_key', 'omnichannel_cdp')(col)) }}
{%- endmacro %}

{% macro default__name_key(col) -%}
    {%- set ns = namespace(key='lower(' ~ omnichannel_cdp.unicode_nfc('cast(' ~ col ~ ' as ' ~ dbt.type_string() ~ ')') ~ ')') -%}
    {%- for letter, spelled in [('ä', 'ae'), ('ö', 'oe'), ('ü', 'ue'), ('ß', 'ss'), ('æ', 'ae'), ('œ', 'oe'), ('ø', 'oe'), ('ł', 'l'), ('đ', 'd')] -%}
        {%- set ns.key = 'replace(' ~ ns.key ~ ", '" ~ letter ~ "', '" ~ spelled ~ "')" -%}
    {%- endfor -%}
    {%- set non_letters %}[^\p{L}]+{% endset -%}
    cast(nullif({{ omnichannel_cdp.regexp_replace_all(omnichannel_cdp.fold_accents(ns.key), non_letters, '') }}, '') as {{ dbt.type_string() }})
{%- endmacro %}
