{#- The search's golden-record index holds exactly the golden emails and phones of
    dim_customer: every one of them, and nothing else (a customer the search cannot
    find by its golden email, or one found by a stale value, fails). -#}
{{ config(tags=['customer'], meta={'dagster': {'ref': {'name': 'customer_contact_lookup'}}}) }}
with

golden as (

    select customer_id, 'email' as contact_type, email as contact_value
    from {{ ref('dim_customer') }}
    where email is not null
    union all
    select customer_id, 'phone' as contact_type, phone as contact_value
    from {{ ref('dim_customer') }}
    where phone is not null

),

indexed as (

    select customer_id, contact_type, contact_value
    from {{ ref('customer_contact_lookup') }}

),

missing as (

    select customer_id, contact_type, contact_value from golden
    except
    select customer_id, contact_type, contact_value from indexed

),

stale as (

    select customer_id, contact_type, contact_value from indexed
    except
    select customer_id, contact_type, contact_value from golden

)

select 'missing from the lookup' as problem, customer_id, contact_type, contact_value
from missing
union all
select 'not golden in dim_customer' as problem, customer_id, contact_type, contact_value
from stale
