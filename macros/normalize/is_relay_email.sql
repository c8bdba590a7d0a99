{#- is_relay_email(col): true when the normalised address's domain, or a subdomain of
    it, is in var email_relay_domains (marketplace masked addresses); false otherwise,
    including for a null or invalid address. Never null. -#}
{% macro is_relay_email(col) -%}
    {{ return(adapter.dispatch('is_relay_email', 'omnichannel_cdp')(col)) }}
{%- endmacro %}

{% macro default__is_relay_email(col) -%}
    {%- set relay_domains = var('email_relay_domains', []) -%}
    {%- if relay_domains | length == 0 -%}
    cast(false as boolean)
    {%- else -%}
    {%- set alternatives = [] -%}
    {%- for domain in relay_domains -%}
        {%- do alternatives.append(domain | lower | trim | replace('.', '[.]')) -%}
    {%- endfor -%}
    {%- set pattern = '@([^@]+[.])?(' ~ (alternatives | join('|')) ~ ')$' -%}
    cast(coalesce({{ omnichannel_cdp.regexp_like(omnichannel_cdp.normalize_email(col), pattern) }}, false) as boolean)
    {%- endif -%}
{%- endmacro %}
