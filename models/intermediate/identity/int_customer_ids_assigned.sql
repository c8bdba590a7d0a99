{#- The stable customer id of every identity record. A cluster's id is derived from its
    anchor: the earliest observed record (ties broken by record key). New data arrives
    later than what is already there, so the anchor - and the id - survive rebuilds and
    incremental loads; when two clusters merge, the older one's id survives. -#}
with

clusters as (

    select record_key, cluster_label from {{ ref('int_identity_clusters_resolved') }}

),

records as (

    select record_key, observed_at from {{ ref('int_identity_records_unioned') }}

),

ranked as (

    select
        clusters.record_key,
        clusters.cluster_label,
        row_number() over (
            partition by clusters.cluster_label
            order by coalesce(records.observed_at, cast('9999-12-31' as timestamp)), clusters.record_key
        ) as anchor_rank
    from clusters
    inner join records on clusters.record_key = records.record_key

),

anchors as (

    select cluster_label, record_key as anchor_record_key
    from ranked
    where anchor_rank = 1

)

select
    ranked.record_key,
    cast('cus_' || substr({{ hash_identifier('anchors.anchor_record_key') }}, 1, 20) as {{ dbt.type_string() }}) as customer_id,
    anchors.anchor_record_key,
    ranked.cluster_label
from ranked
inner join anchors on ranked.cluster_label = anchors.cluster_label
