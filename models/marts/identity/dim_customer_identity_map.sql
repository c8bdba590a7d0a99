{#- Every identity record of every channel with the customer id it resolved to: the
    join key from any source row to the single customer view. Event records (page
    views, ad clicks) were resolved as groups with the same ids; each is mapped
    through its group's representative (linked_via_record_key). -#}
with

assigned as (

    select record_key, customer_id, anchor_record_key
    from {{ ref('int_customer_ids_assigned') }}

),

records as (

    select record_key, source_table, observed_at, is_profile_record, has_blocked_identifier, event_group_key
    from {{ ref('int_identity_records_unioned') }}

),

events as (

    select record_key, source_table, observed_at, event_group_key
    from {{ ref('int_identity_events_collected') }}

),

links as (

    select record_key, count(*) as links
    from {{ ref('int_identity_links_unioned') }}
    group by record_key

),

graph_records as (

    select
        assigned.record_key,
        assigned.customer_id,
        records.source_table,
        records.observed_at,
        records.is_profile_record,
        records.has_blocked_identifier,
        links.links,
        assigned.record_key = assigned.anchor_record_key as is_anchor_record,
        assigned.record_key as linked_via_record_key
    from assigned
    inner join records on assigned.record_key = records.record_key
    left join links on assigned.record_key = links.record_key
    where records.event_group_key is null

),

event_records as (

    select
        events.record_key,
        assigned.customer_id,
        events.source_table,
        events.observed_at,
        false as is_profile_record,
        false as has_blocked_identifier,
        links.links,
        events.record_key = assigned.anchor_record_key as is_anchor_record,
        groups.record_key as linked_via_record_key
    from events
    inner join records as groups on events.event_group_key = groups.event_group_key
    inner join assigned on groups.record_key = assigned.record_key
    left join links on groups.record_key = links.record_key

),

mapped as (

    select record_key, customer_id, source_table, observed_at, is_profile_record, has_blocked_identifier,
        links, is_anchor_record, linked_via_record_key
    from graph_records
    union all
    select record_key, customer_id, source_table, observed_at, is_profile_record, has_blocked_identifier,
        links, is_anchor_record, linked_via_record_key
    from event_records

)

select
    record_key,
    customer_id,
    source_table,
    cast(substr(record_key, length(source_table) + 2) as {{ dbt.type_string() }}) as source_record_id,
    observed_at,
    is_profile_record,
    has_blocked_identifier,
    cast(coalesce(links, 0) as bigint) as link_count,
    is_anchor_record,
    linked_via_record_key
from mapped
