{#- normalize_phone(col, country_col=none): a phone number in E.164 ("+4915112345678").
      - whitespace, dashes, slashes, dots and parentheses are removed; a trunk "(0)" after
        an international prefix is dropped ("+49 (0)30 123456" -> "+4930123456");
      - "+" is kept, a "00" prefix becomes "+";
      - the record's country is country_col (an ISO-3166 alpha-2 expression, e.g. the
        output of normalize_country), or var default_phone_country when country_col is
        omitted or null; its calling code comes from var phone_country_codes (a country
        without a calling code there gives null for national numbers);
      - countries with a trunk prefix (most of Europe): a national number has a single
        leading "0", replaced by the calling code ("0151 ..." -> "+49151 ..."); digits
        without any prefix are accepted only when they already start with the calling
        code and have 10-15 digits (a "+" lost in a spreadsheet);
      - countries without a trunk prefix (var phone_countries_without_trunk_prefix,
        default DK, ES, IT, PL): digits without "+" / "00" are the national number and get
        the calling code in front as they are ("50 123 45 67" -> "+48501234567"; Italian
        "06 ..." keeps its 0); a lost "+" cannot be told apart there and is not recovered.
        (US numbers need "+1", "001" or a leading "1": a bare 10-digit number gives null.)
      - the result must match ^\+[1-9][0-9]{6,14}$ (e164_pattern), else null. Letters,
        extensions ("x12") and any other character give null. -#}
{% macro normalize_phone(col, country_col=none) -%}
    {{ return(adapter.dispatch('normalize_phone', 'omnichannel_cdp')(col, country_col)) }}
{%- endmacro %}

{% macro default__normalize_phone(col, country_col=none) -%}
    {%- set codes = var('phone_country_codes', {}) -%}
    {%- set no_trunk_countries = var('phone_countries_without_trunk_prefix', ['DK', 'ES', 'IT', 'PL']) | map('upper') | list -%}
    {%- set default_country = (var('default_phone_country', '') or '') | upper -%}

    {#- the record's country (upper-case ISO alpha-2, a SQL expression) -#}
    {%- if country_col is none -%}
        {%- set country = omnichannel_cdp.sql_string(default_country) -%}
    {%- else -%}
        {%- set country = 'coalesce(upper(trim(' ~ country_col ~ ')), ' ~ omnichannel_cdp.sql_string(default_country) ~ ')' -%}
    {%- endif -%}

    {#- its calling code (a string, or null when the country has none in the var) -#}
    {%- set calling_code -%}
        (case {{ country }}
            {%- for iso in codes | sort %} when {{ omnichannel_cdp.sql_string(iso | upper) }} then {{ omnichannel_cdp.sql_string(codes[iso] | string) }}{% endfor %}
        end)
    {%- endset -%}

    {#- whether the country dials national numbers without a trunk prefix -#}
    {%- if no_trunk_countries | length == 0 -%}
        {%- set no_trunk = '(1 = 0)' -%}
    {%- else -%}
        {%- set literals = [] -%}
        {%- for iso in no_trunk_countries %}{% do literals.append(omnichannel_cdp.sql_string(iso)) %}{% endfor -%}
        {%- set no_trunk = '(' ~ country ~ ' in (' ~ (literals | join(', ')) ~ '))' -%}
    {%- endif -%}

    {#- trimmed text; "(0)" dropped after an international prefix; separators removed -#}
    {%- set trimmed = omnichannel_cdp.squish(col) -%}
    {%- set without_trunk -%}
        (case when {{ trimmed }} like '+%' or {{ trimmed }} like '00%' then replace({{ trimmed }}, '(0)', '') else {{ trimmed }} end)
    {%- endset -%}
    {%- set separators %}[\s\x{00A0}./()-]{% endset -%}
    {%- set digits = omnichannel_cdp.regexp_replace_all(without_trunk, separators, '') -%}
    {%- set e164_body = '^[1-9][0-9]{6,14}$' -%}

    cast(case
        when {{ omnichannel_cdp.regexp_like(digits, omnichannel_cdp.e164_pattern()) }}
            then {{ digits }}
        when {{ omnichannel_cdp.regexp_like(digits, '^00[1-9][0-9]{6,14}$') }}
            then '+' || substr({{ digits }}, 3)
        when {{ no_trunk }}
            and {{ omnichannel_cdp.regexp_like(digits, '^[0-9]{4,14}$') }}
            and {{ omnichannel_cdp.regexp_like(calling_code ~ ' || ' ~ digits, e164_body) }}
            then '+' || {{ calling_code }} || {{ digits }}
        when not {{ no_trunk }}
            and {{ omnichannel_cdp.regexp_like(digits, '^0[1-9][0-9]{3,14}$') }}
            and {{ omnichannel_cdp.regexp_like(calling_code ~ ' || substr(' ~ digits ~ ', 2)', e164_body) }}
            then '+' || {{ calling_code }} || substr({{ digits }}, 2)
        when not {{ no_trunk }}
            and {{ omnichannel_cdp.regexp_like(digits, '^[1-9][0-9]{9,14}$') }}
            and substr({{ digits }}, 1, length({{ calling_code }})) = {{ calling_code }}
            then '+' || {{ digits }}
    end as {{ dbt.type_string() }})
{%- endmacro %}

{#- e164_pattern(): the regular expression (a Jinja string) of an E.164 number:
    "+", a non-zero digit, then 6 to 14 digits. Shared with the is_e164 test. -#}
{% macro e164_pattern() -%}
    {{ return('^[+][1-9][0-9]{6,14}$') }}
{%- endmacro %}
