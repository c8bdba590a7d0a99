{#- normalize_country(col): ISO-3166 alpha-2 code in upper case. The value is NFC-
    normalised, whitespace collapsed, dots removed and compared case-insensitively with
    the spellings in var country_aliases and the codes themselves ("Deutschland",
    "germany", " d ", "U.S.A."); an unlisted value that is already two letters is kept
    as upper(value) ("pt" -> "PT"); any other free text gives null.

    Implementation: one anchored regexp_replace per country turns a listed spelling into
    its upper-case code (the spellings are lower case, so a code produced earlier is never
    matched again), and a last replace empties everything that is not exactly two
    letters. The cleaned value is thus computed once; a CASE over IN-lists repeats it per
    country (4-5x slower on DuckDB, which does not share subexpressions inside CASE). -#}
{% macro normalize_country(col) -%}
    {{ return(adapter.dispatch('normalize_country', 'omnichannel_cdp')(col)) }}
{%- endmacro %}

{% macro default__normalize_country(col) -%}
    {%- set aliases = var('country_aliases', {}) -%}
    {%- set ns = namespace(expr='lower(' ~ omnichannel_cdp.squish('replace(' ~ omnichannel_cdp.unicode_nfc(col) ~ ", '.', '')") ~ ')') -%}
    {%- for iso in aliases | sort -%}
        {%- set alternatives = [] -%}
        {%- for spelling in aliases[iso] + [iso] -%}
            {%- set pattern = omnichannel_cdp.regex_escape_literal(spelling | string | lower | trim) -%}
            {%- if pattern not in alternatives %}{% do alternatives.append(pattern) %}{% endif -%}
        {%- endfor -%}
        {%- set ns.expr = omnichannel_cdp.regexp_replace_all(ns.expr, '^(?:' ~ (alternatives | join('|')) ~ ')$', iso | upper | trim) -%}
    {%- endfor -%}
    cast(upper(nullif({{ omnichannel_cdp.regexp_replace_all(ns.expr, '^(?:.|.{3,}|.*[^A-Za-z].*)$', '') }}, '')) as {{ dbt.type_string() }})
{%- endmacro %}


{#- regex_escape_literal(text): a Jinja string as a regular expression matching exactly
    that text: letters, digits and spaces as they are, any other character inside a
    bracket expression ("u.s." -> "u[.]s[.]"). Characters that cannot be bracketed
    portably (backslash, ], ^) are refused. -#}
{% macro regex_escape_literal(text) -%}
    {%- set out = [] -%}
    {%- for ch in text -%}
        {%- if ch in ['\\', ']', '^'] -%}
            {{ exceptions.raise_compiler_error("regex_escape_literal: unsupported character " ~ ch ~ " in " ~ text) }}
        {%- elif ch.isalnum() or ch == ' ' -%}
            {%- do out.append(ch) -%}
        {%- else -%}
            {%- do out.append('[' ~ ch ~ ']') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(out | join('')) }}
{%- endmacro %}
