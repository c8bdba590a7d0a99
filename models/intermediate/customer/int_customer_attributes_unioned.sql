{#- Every value a source holds for a golden-record field, keyed to the customer: one
    row per record × field with a value. The address is one field (street, postcode,
    city and country survive together, never mixed from two records) and needs at
    least a street, postcode and city. Relay emails of marketplaces are no one's
    address and are left out, and so are the placeholders identity resolution ignores
    (seeds/identity/identity_identifier_blocklist.csv: "test@test.com", "+490000000";
    var identity_junk_phone_patterns): they are nobody's email or phone. Gender and
    salutation spellings map through seeds/customer/customer_gender_values.csv. Each
    branch joins only its own source's rows of the identity map: the whole map (most of
    it page views) would otherwise be the build side of every branch's join. -#}
{%- set sources = [
    {'model': 'stg_web_shop__customers', 'observed_at': 'coalesce(s.updated_at, s.created_at)', 'fields': {
        'first_name': 's.first_name', 'last_name': 's.last_name', 'email': 'case when not s.is_relay_email then s.email_normalized end',
        'phone': 's.phone_e164', 'birth_date': 's.birth_date', 'gender': 's.gender',
        'address': {'street': 's.street', 'postcode': 's.postcode', 'city': 's.city', 'country_code': 's.country_code'}}},
    {'model': 'stg_crm__contacts', 'observed_at': 'coalesce(s.updated_at, s.created_at)', 'fields': {
        'first_name': 's.first_name', 'last_name': 's.last_name', 'email': 'case when not s.is_relay_email then s.email_normalized end',
        'phone': ['s.mobile_e164', 's.phone_e164'], 'birth_date': 's.birth_date', 'gender': 's.salutation',
        'address': {'street': 's.street', 'postcode': 's.postcode', 'city': 's.city', 'country_code': 's.country_code'}}},
    {'model': 'stg_loyalty__members', 'observed_at': 's.enrolled_at', 'fields': {
        'first_name': 's.first_name', 'last_name': 's.last_name', 'email': 'case when not s.is_relay_email then s.email_normalized end',
        'phone': 's.phone_e164', 'birth_date': 's.birth_date'}},
    {'model': 'stg_surveys__responses', 'observed_at': 's.submitted_at', 'fields': {
        'first_name': 's.first_name', 'last_name': 's.last_name', 'email': 'case when not s.is_relay_email then s.email_normalized end',
        'gender': 's.gender'}},
    {'model': 'stg_email__subscribers', 'observed_at': 'coalesce(s.double_opt_in_at, s.subscribed_at)', 'fields': {
        'first_name': 's.first_name', 'email': 'case when not s.is_relay_email then s.email_normalized end'}},
    {'model': 'stg_sms__subscribers', 'observed_at': 's.opted_in_at', 'fields': {
        'first_name': 's.first_name', 'phone': 's.phone_e164'}},
    {'model': 'stg_mobile_app__installs', 'observed_at': 's.installed_at', 'fields': {
        'email': 'case when not s.is_relay_email then s.email_normalized end'}},
    {'model': 'stg_web_shop__orders', 'observed_at': 's.ordered_at', 'fields': {
        'email': 'case when not s.is_relay_email then s.email_normalized end'}},
    {'model': 'stg_marketplace__orders', 'observed_at': 's.ordered_at', 'fields': {
        'address': {'street': 's.ship_street', 'postcode': 's.ship_postcode', 'city': 's.ship_city', 'country_code': 's.ship_country_code'}}},
    {'model': 'stg_support__tickets', 'observed_at': 's.created_at', 'fields': {
        'email': 'case when not s.is_relay_email then s.email_normalized end', 'phone': 's.phone_e164'}},
    {'model': 'stg_wifi__logins', 'observed_at': 's.logged_in_at', 'fields': {
        'email': 'case when not s.is_relay_email then s.email_normalized end', 'phone': 's.phone_e164'}},
    {'model': 'stg_pos__receipts', 'observed_at': 's.receipt_at', 'fields': {
        'email': 'case when not s.is_relay_email then s.email_normalized end', 'phone': 's.phone_e164'}},
] -%}
{%- set string = dbt.type_string() -%}
with

identity_map as (

    select record_key, customer_id, source_table
    from {{ ref('dim_customer_identity_map') }}

),

blocklist as (

    select identifier_type, value
    from {{ ref('identity_identifier_blocklist') }}
    where identifier_type in ('email', 'phone')

),

gender_values as (

    select raw_value, gender
    from {{ ref('customer_gender_values') }}

),

candidates as (

{%- for src in sources %}
{%- set outer_loop = loop %}
{%- for field, expr in src.fields.items() %}
    {#- a phone: the first of the record's numbers (a list: in order) that is not a placeholder -#}
    {%- set phones = ([expr] if expr is string else expr) if field == 'phone' else [] %}
    {%- if field == 'phone' %}
        {%- set value -%}
            case{% for p in phones %} when {{ p }} is not null and blocked_phone_{{ loop.index }}.value is null and not {{ is_junk_phone(p) }} then {{ p }}{% endfor %} end
        {%- endset %}
    {%- else %}
        {%- set value = expr %}
    {%- endif %}
    {%- if not (outer_loop.first and loop.first) %}
    union all
    {%- endif %}
    select
        identity_map.customer_id,
        identity_map.source_table,
        s.record_key,
        {{ src.observed_at }} as observed_at,
        '{{ field }}' as field,
    {%- if field == 'address' %}
        {{ expr.postcode }} || '|' || {{ expr.street }} || '|' || {{ expr.city }} || '|' || coalesce({{ expr.country_code }}, '') as field_value,
        cast({{ expr.street }} as {{ string }}) as street,
        cast({{ expr.postcode }} as {{ string }}) as postcode,
        cast({{ expr.city }} as {{ string }}) as city,
        cast({{ expr.country_code }} as {{ string }}) as country_code
    {%- elif field == 'gender' %}
        gender_values.gender as field_value,
        cast(null as {{ string }}) as street,
        cast(null as {{ string }}) as postcode,
        cast(null as {{ string }}) as city,
        cast(null as {{ string }}) as country_code
    {%- else %}
        cast({{ value }} as {{ string }}) as field_value,
        cast(null as {{ string }}) as street,
        cast(null as {{ string }}) as postcode,
        cast(null as {{ string }}) as city,
        cast(null as {{ string }}) as country_code
    {%- endif %}
    from {{ ref(src.model) }} as s
    inner join identity_map
        on s.record_key = identity_map.record_key
        and identity_map.source_table = '{{ src.model[4:] | replace('__', '.') }}'
    {%- if field == 'gender' %}
    inner join gender_values on lower(trim({{ expr }})) = gender_values.raw_value
    {%- elif field == 'email' %}
    left join blocklist on blocklist.identifier_type = 'email' and blocklist.value = s.email_canonical
    {%- endif %}
    {%- for p in phones %}
    left join blocklist as blocked_phone_{{ loop.index }}
        on blocked_phone_{{ loop.index }}.identifier_type = 'phone' and blocked_phone_{{ loop.index }}.value = {{ p }}
    {%- endfor %}
    {%- if field == 'address' %}
    where {{ expr.street }} is not null and {{ expr.postcode }} is not null and {{ expr.city }} is not null
    {%- else %}
    where {{ value }} is not null
    {%- endif %}
    {%- if field == 'email' %}
        and blocklist.value is null
    {%- endif %}
{%- endfor %}
{%- endfor %}

)

select
    cast(customer_id as {{ string }}) as customer_id,
    cast(field as {{ string }}) as field,
    cast(field_value as {{ string }}) as field_value,
    street,
    postcode,
    city,
    country_code,
    cast(source_table as {{ string }}) as source_table,
    cast(record_key as {{ string }}) as record_key,
    cast(observed_at as timestamp) as observed_at
from candidates
