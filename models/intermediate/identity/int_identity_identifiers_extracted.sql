{#- One row per (record, deterministic identifier) from var identity_identifiers.
    Emails and phones are carried hashed: the link graph holds no clear-text PII. -#}
{%- set identifier_columns = {
    'web_customer_id': 'web_customer_id',
    'crm_contact_id': 'crm_contact_id',
    'loyalty_card_id': 'loyalty_card_id',
    'device_id': 'device_id',
    'cookie_id': 'cookie_id',
    'marketplace_buyer': 'marketplace_buyer',
    'web_order_id': 'web_order_id',
    'email': 'email_hash',
    'phone': hash_identifier('phone_e164'),
} -%}
{%- set configured = var('identity_identifiers', {}) -%}

with

records as (

    select
        record_key,
        first_name_key,
        web_customer_id,
        crm_contact_id,
        loyalty_card_id,
        device_id,
        cookie_id,
        marketplace_buyer,
        web_order_id,
        email_hash,
        phone_e164,
        phone_e164_2
    from {{ ref('int_identity_records_unioned') }}

),

extracted as (

    {% for identifier_type, expression in identifier_columns.items() if identifier_type in configured -%}
    select
        record_key,
        cast('{{ identifier_type }}' as {{ dbt.type_string() }}) as identifier_type,
        cast({{ expression }} as {{ dbt.type_string() }}) as identifier_value,
        first_name_key
    from records
    where {{ expression }} is not null
    union all
    {% endfor -%}
    -- a CRM contact's landline beside its mobile
    select
        record_key,
        cast('phone' as {{ dbt.type_string() }}) as identifier_type,
        cast({{ hash_identifier('phone_e164_2') }} as {{ dbt.type_string() }}) as identifier_value,
        first_name_key
    from records
    where phone_e164_2 is not null and phone_e164_2 <> coalesce(phone_e164, '')

)

select distinct
    record_key,
    identifier_type,
    identifier_value,
    first_name_key
from extracted
