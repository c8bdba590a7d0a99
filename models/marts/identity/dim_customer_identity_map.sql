{#- Every identity record of every channel with the customer id it resolved to: the
    join key from any source row to the single customer view. -#}
with

assigned as (

    select record_key, customer_id, anchor_record_key
    from {{ ref('int_customer_ids_assigned') }}

),

records as (

    select record_key, source_table, observed_at, is_profile_record, has_blocked_identifier
    from {{ ref('int_identity_records_unioned') }}

),

links as (

    select record_key, count(*) as links
    from {{ ref('int_identity_links_unioned') }}
    group by record_key

)

select
    assigned.record_key,
    assigned.customer_id,
    records.source_table,
    cast(substr(assigned.record_key, length(records.source_table) + 2) as {{ dbt.type_string() }}) as source_record_id,
    records.observed_at,
    records.is_profile_record,
    records.has_blocked_identifier,
    cast(coalesce(links.links, 0) as bigint) as link_count,
    assigned.record_key = assigned.anchor_record_key as is_anchor_record
from assigned
inner join records on assigned.record_key = records.record_key
left join links on assigned.record_key = links.record_key
