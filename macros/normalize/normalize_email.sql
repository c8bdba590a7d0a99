{#- normalize_email(col): whitespace-trimmed, lowercased address; null when empty or not
    a plausible address: exactly one "@", a non-empty local part, no whitespace, and a
    domain of at least two non-empty dot-separated labels ("a@b.de", not "a@b", "a@.de",
    "a@b..de"). Idempotent. -#}
{% macro normalize_email(col) -%}
    {{ return(adapter.dispatch('normalize_email', 'omnichannel_cdp')(col)) }}
{%- endmacro %}

{% macro default__normalize_email(col) -%}
    {%- set email = 'lower(' ~ omnichannel_cdp.squish(col) ~ ')' -%}
    cast(case when {{ omnichannel_cdp.regexp_like(email, omnichannel_cdp.plausible_email_pattern()) }} then {{ email }} end as {{ dbt.type_string() }})
{%- endmacro %}

{#- plausible_email_pattern(): the regular expression (a Jinja string) a normalised address
    matches; shared by normalize_email and the is_plausible_email test. -#}
{% macro plausible_email_pattern() -%}
    {%- set pattern %}^[^@\s]+@[^@\s.]+([.][^@\s.]+)+${% endset -%}
    {{ return(pattern) }}
{%- endmacro %}
