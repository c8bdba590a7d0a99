{#- person_name_part(col, part): the first or last name inside a one-field name as
    cashiers, marketplaces and help desks write it, for matching. part is 'first' or
    'last'. Salutations (Herr, Frau, Hr., Fr., Mr, Mrs, Ms, Dr.) are dropped, then:
      "Schmidt, M."   -> first "M.",  last "Schmidt"   (comma form)
      "SCHMIDT Mia"   -> first "Mia", last "SCHMIDT"   (upper-case family name first)
      "Mia S."        -> first "Mia", last "S."
      "Mia Sophie Schmidt" -> first "Mia", last "Schmidt" (first and last token)
      "Schmidt"       -> first null,  last "Schmidt"   (one token is a family name)
    Feed the result to name_key(). Portable: regexp_extract exists on DuckDB and Spark. -#}
{% macro person_name_part(col, part) -%}
    {%- set salutation %}^(?i)(herr|frau|hr\.?|fr\.?|mr\.?|mrs\.?|ms\.?|dr\.?)\s+{% endset -%}
    {%- set name = 'trim(' ~ omnichannel_cdp.regexp_replace_all(omnichannel_cdp.squish(col), salutation, '') ~ ')' -%}
        {%- set comma %}^([^,]+),\s*(.+)${% endset -%}
    {%- set caps_first %}^([A-ZÄÖÜ][A-ZÄÖÜß'-]+)\s+(.*[a-zäöüß].*)${% endset -%}
    {%- set general %}^(\S+)\s+(.*\s)?(\S+)${% endset -%}
    {%- if part == 'first' -%}
    (case
        when {{ omnichannel_cdp.regexp_like(name, comma) }} then regexp_extract({{ name }}, {{ omnichannel_cdp.sql_string(comma) }}, 2)
        when {{ omnichannel_cdp.regexp_like(name, caps_first) }} then regexp_extract({{ name }}, {{ omnichannel_cdp.sql_string(caps_first) }}, 2)
        when {{ omnichannel_cdp.regexp_like(name, general) }} then regexp_extract({{ name }}, {{ omnichannel_cdp.sql_string(general) }}, 1)
    end)
    {%- elif part == 'last' -%}
    (case
        when {{ omnichannel_cdp.regexp_like(name, comma) }} then regexp_extract({{ name }}, {{ omnichannel_cdp.sql_string(comma) }}, 1)
        when {{ omnichannel_cdp.regexp_like(name, caps_first) }} then regexp_extract({{ name }}, {{ omnichannel_cdp.sql_string(caps_first) }}, 1)
        when {{ omnichannel_cdp.regexp_like(name, general) }} then regexp_extract({{ name }}, {{ omnichannel_cdp.sql_string(general) }}, 3)
        else nullif({{ name }}, '')
    end)
    {%- else -%}
        {{ exceptions.raise_compiler_error("person_name_part: part must be 'first' or 'last'") }}
    {%- endif -%}
{%- endmacro %}
