{#- The golden-record half of the customer search: the golden email and phone of each
    customer of dim_customer, stored in contact_value order, so that a point lookup by
    email or phone reads a few row groups (DuckDB's and Parquet's min/max statistics)
    instead of every row of dim_customer, which is stored in customer-id order for the
    profile. Its other half, every identifier a customer was linked by, is
    customer_identifier_lookup. -#}
with

customers as (

    select customer_id, email, phone
    from {{ ref('dim_customer') }}

),

golden_emails as (

    select
        'email' as contact_type,
        email as contact_value,
        customer_id
    from customers
    where email is not null

),

golden_phones as (

    select
        'phone' as contact_type,
        phone as contact_value,
        customer_id
    from customers
    where phone is not null

),

contacts as (

    select contact_type, contact_value, customer_id from golden_emails
    union all
    select contact_type, contact_value, customer_id from golden_phones

)

select
    cast(contact_value as {{ dbt.type_string() }}) as contact_value,
    cast(contact_type as {{ dbt.type_string() }}) as contact_type,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id
from contacts
order by contact_value, contact_type, customer_id
