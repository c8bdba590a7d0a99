{#- No golden email or phone of dim_customer is a placeholder identity resolution ignores
    (seeds/identity/identity_identifier_blocklist.csv, var identity_junk_phone_patterns):
    "test@test.com" typed to skip a form is nobody's email, and an activation export
    must not send to it. -#}
{{ config(tags=['customer'], meta={'dagster': {'ref': {'name': 'dim_customer'}}}) }}
with

customers as (

    select customer_id, email, phone
    from {{ ref('dim_customer') }}

),

blocklist as (

    select identifier_type, value
    from {{ ref('identity_identifier_blocklist') }}

),

placeholders as (

    select customers.customer_id, 'email' as field, customers.email as field_value
    from customers
    inner join blocklist
        on blocklist.identifier_type = 'email'
        and blocklist.value = {{ canonical_email('customers.email') }}
    union all
    select customers.customer_id, 'phone' as field, customers.phone as field_value
    from customers
    left join blocklist
        on blocklist.identifier_type = 'phone'
        and blocklist.value = customers.phone
    where customers.phone is not null
        and (blocklist.value is not null or {{ is_junk_phone('customers.phone') }})

)

select customer_id, field, field_value
from placeholders
