{#- canonical_email(col): the matching form of an address. normalize_email(col), then
      1. domain aliases folded (var email_domain_aliases: googlemail.com -> gmail.com),
      2. a plus-tag removed from the local part ("mia+news@x.de" -> "mia@x.de"),
      3. dots removed from the local part on dotless domains (var email_dotless_domains).
    Null when the input is not a plausible address or nothing is left of the local part. -#}
{% macro canonical_email(col) -%}
    {{ return(adapter.dispatch('canonical_email', 'omnichannel_cdp')(col)) }}
{%- endmacro %}

{% macro default__canonical_email(col) -%}
    {%- set aliases = var('email_domain_aliases', {}) -%}
    {%- set dotless = var('email_dotless_domains', []) -%}
    {#- (a namespace, because a plain set inside a for loop does not outlive the loop) -#}
    {%- set ns = namespace(email=omnichannel_cdp.normalize_email(col)) -%}
    {#- 1. domain aliases: "@googlemail.com" at the end -> "@gmail.com" -#}
    {%- for alias in aliases | sort -%}
        {%- set pattern = '@' ~ (alias | lower | replace('.', '[.]')) ~ '$' -%}
        {%- set ns.email = omnichannel_cdp.regexp_replace_all(ns.email, pattern, '@' ~ (aliases[alias] | lower)) -%}
    {%- endfor -%}
    {#- 2. plus-tag: "+anything" up to the "@" -#}
    {%- set email = omnichannel_cdp.regexp_replace_all(ns.email, '[+][^@]*@', '@') -%}
    cast(case
        when {{ email }} like '@%' then null
        {%- for domain in dotless %}
        when {{ email }} like {{ omnichannel_cdp.sql_string('%@' ~ (domain | lower)) }}
            then nullif(replace({{ omnichannel_cdp.regexp_replace_all(email, '@.*$', '') }}, '.', ''), '') || {{ omnichannel_cdp.sql_string('@' ~ (domain | lower)) }}
        {%- endfor %}
        else {{ email }}
    end as {{ dbt.type_string() }})
{%- endmacro %}
