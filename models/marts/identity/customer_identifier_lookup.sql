{#- The serving index of the customer search: which customer each pseudonymised
    identifier (email, phone, account, device, cookie ...) belongs to. One row per
    identifier node of fct_identity_links and customer, stored in link_node order, so
    that a point lookup by link_node reads a few row groups of the table (DuckDB's and
    Parquet's min/max statistics) instead of every row of fct_identity_links. -#}
with

identifier_links as (

    select link_node, link_rule, customer_id
    from {{ ref('fct_identity_links') }}
    where link_kind = 'identifier'

),

per_customer as (

    select
        link_node,
        link_rule,
        customer_id,
        count(*) as records
    from identifier_links
    group by link_node, link_rule, customer_id

)

select
    cast(link_node as {{ dbt.type_string() }}) as link_node,
    cast(link_rule as {{ dbt.type_string() }}) as identifier_type,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(records as bigint) as records
from per_customer
order by link_node, customer_id
