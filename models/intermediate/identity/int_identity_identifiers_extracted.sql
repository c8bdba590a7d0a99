{#- One row per (record, deterministic identifier) from var identity_identifiers.
    Emails and phones are carried hashed: the link graph holds no clear-text PII.
    Phones and emails are typed by who they belong to: a landline (macro
    phone_identifier_type) and a family mailbox (email_identifier_type) are a
    household's, not a person's, so they get their own identifier types with their own
    guards in var identity_identifiers. grouped_records is how many source records
    the row stands for (a group of page views on one cookie counts every view). -#}
{%- set identifier_columns = {
    'web_customer_id': 'web_customer_id',
    'crm_contact_id': 'crm_contact_id',
    'loyalty_card_id': 'loyalty_card_id',
    'device_id': 'device_id',
    'cookie_id': 'cookie_id',
    'marketplace_buyer': 'marketplace_buyer',
    'web_order_id': 'web_order_id',
} -%}
{%- set configured = var('identity_identifiers', {}) -%}

with

records as (

    select
        record_key,
        grouped_records,
        first_name_key,
        web_customer_id,
        crm_contact_id,
        loyalty_card_id,
        device_id,
        cookie_id,
        marketplace_buyer,
        web_order_id,
        email_hash,
        email_local,
        phone_e164,
        phone_e164_2
    from {{ ref('int_identity_records_unioned') }}

),

phones as (

    select record_key, grouped_records, first_name_key, phone_e164 as phone from records where phone_e164 is not null
    union all
    -- a CRM contact's landline beside its mobile
    select record_key, grouped_records, first_name_key, phone_e164_2 as phone from records
    where phone_e164_2 is not null and phone_e164_2 <> coalesce(phone_e164, '')

),

extracted as (

    {% for identifier_type, expression in identifier_columns.items() if identifier_type in configured -%}
    select
        record_key,
        cast('{{ identifier_type }}' as {{ dbt.type_string() }}) as identifier_type,
        cast({{ expression }} as {{ dbt.type_string() }}) as identifier_value,
        first_name_key,
        grouped_records
    from records
    where {{ expression }} is not null
    union all
    {% endfor -%}
    select
        record_key,
        cast({{ email_identifier_type('email_local') }} as {{ dbt.type_string() }}) as identifier_type,
        email_hash as identifier_value,
        first_name_key,
        grouped_records
    from records
    where email_hash is not null
    union all
    select
        record_key,
        cast({{ phone_identifier_type('phone') }} as {{ dbt.type_string() }}) as identifier_type,
        cast({{ hash_identifier('phone') }} as {{ dbt.type_string() }}) as identifier_value,
        first_name_key,
        grouped_records
    from phones

)

select distinct
    extracted.record_key,
    extracted.identifier_type,
    extracted.identifier_value,
    extracted.first_name_key,
    extracted.grouped_records
from extracted
where extracted.identifier_type in (
    {%- for identifier_type in configured %}'{{ identifier_type }}'{{ ', ' if not loop.last }}{% endfor -%}
)
