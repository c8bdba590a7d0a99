{#- is_junk_phone(col): true when an E.164 number matches one of the patterns in var
    identity_junk_phone_patterns (all-same digits, keyboard sequences); false for null. -#}
{% macro is_junk_phone(col) -%}
    {%- set patterns = var('identity_junk_phone_patterns', []) -%}
    {%- if patterns | length == 0 -%}
        false
    {%- else -%}
        coalesce(({% for p in patterns %}{{ omnichannel_cdp.regexp_like(col, p) }}{% if not loop.last %} or {% endif %}{% endfor %}), false)
    {%- endif -%}
{%- endmacro %}

{#- split_email(col, part): 'local' (before the @) or 'domain' (after it) of an email. -#}
{% macro split_email(col, part) -%}
    {%- if part == 'local' -%}
        split_part({{ col }}, '@', 1)
    {%- elif part == 'domain' -%}
        split_part({{ col }}, '@', 2)
    {%- else -%}
        {{ exceptions.raise_compiler_error("split_email: part must be 'local' or 'domain'") }}
    {%- endif -%}
{%- endmacro %}

{#- log2_expr(expr): base-2 logarithm as a double (DuckDB log2, Spark log(2, x)). -#}
{% macro log2_expr(expr) -%}
    {{ return(adapter.dispatch('log2_expr', 'omnichannel_cdp')(expr)) }}
{%- endmacro %}

{% macro default__log2_expr(expr) -%}
    (ln(cast({{ expr }} as double)) / ln(cast(2 as double)))
{%- endmacro %}

{% macro spark__log2_expr(expr) -%}
    log(cast(2 as double), cast({{ expr }} as double))
{%- endmacro %}

{#- phone_identifier_type(col): 'landline' for an E.164 number of a country listed in var
    identity_mobile_number_patterns that is outside that country's mobile ranges (a
    household's shared line), else 'phone' (mobile, or a country whose ranges are not
    configured). -#}
{% macro phone_identifier_type(col) -%}
    {%- set patterns = var('identity_mobile_number_patterns', {}) -%}
    {%- if patterns | length == 0 -%}
        cast('phone' as {{ dbt.type_string() }})
    {%- else -%}
        case
        {%- for calling_code, mobile_pattern in patterns.items() %}
            when {{ col }} like '+{{ calling_code }}%' and not {{ omnichannel_cdp.regexp_like(col, mobile_pattern) }} then 'landline'
        {%- endfor %}
            else 'phone'
        end
    {%- endif -%}
{%- endmacro %}

{#- email_identifier_type(local_col): 'household_email' when the local part of an email
    matches one of var identity_household_email_patterns (familie.mueller@, the.smiths@),
    else 'email'. -#}
{% macro email_identifier_type(local_col) -%}
    {%- set patterns = var('identity_household_email_patterns', []) -%}
    {%- if patterns | length == 0 -%}
        cast('email' as {{ dbt.type_string() }})
    {%- else -%}
        case when {% for p in patterns %}{{ omnichannel_cdp.regexp_like(local_col, p) }}{% if not loop.last %} or {% endif %}{% endfor %}
            then 'household_email' else 'email' end
    {%- endif -%}
{%- endmacro %}

{#- rule_pairs(relation, rules): the distinct record pairs (record_key_l < record_key_r)
    of `relation` joined to itself on any of `rules` (SQL over aliases l and r): the
    candidate pairs of blocking rules, or the pairs the prior's rules find. -#}
{% macro rule_pairs(relation, rules) -%}
    {%- for rule in rules %}
    select l.record_key as record_key_l, r.record_key as record_key_r
    from {{ relation }} as l
    inner join {{ relation }} as r
        on {{ rule }}
        and l.record_key < r.record_key
    {%- if not loop.last %}
    union
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- earliest_of(order_col, key_col): the key_col of the row with the smallest
    (order_col, key_col) in a group, as an aggregate: ties on order_col are broken by
    key_col, so the pick is deterministic. Null order values sort last. -#}
{% macro earliest_of(order_col, key_col) -%}
    {{ return(adapter.dispatch('earliest_of', 'omnichannel_cdp')(order_col, key_col)) }}
{%- endmacro %}

{% macro default__earliest_of(order_col, key_col) -%}
    min(struct_pack(o := coalesce({{ order_col }}, cast('9999-12-31' as timestamp)), k := {{ key_col }})).k
{%- endmacro %}

{% macro spark__earliest_of(order_col, key_col) -%}
    min(named_struct('o', coalesce({{ order_col }}, cast('9999-12-31' as timestamp)), 'k', {{ key_col }})).k
{%- endmacro %}
