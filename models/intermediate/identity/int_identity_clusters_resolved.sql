{#- Connected components of the link graph by min-label propagation over the
    bipartite record <-> link-node graph. Labels start as a hash of the record key (not
    the key itself: ordered ids along a cookie -> login -> cookie chain would need one
    pass per hop). Each pass gives every link node the smallest label of its records and
    every record the smallest label of its nodes; var identity_max_passes passes are
    unrolled. The data test identity_clusters_converged fails if any link node still
    spans two labels, i.e. if more passes are needed. -#}
{%- set passes = var('identity_max_passes') | int -%}
{{ config(materialized='table') }}

with

records as (

    select record_key from {{ ref('int_identity_records_unioned') }}

),

edges as (

    select distinct record_key, link_node from {{ ref('int_identity_links_unioned') }}

),

labels_0 as (

    select record_key, {{ hash_identifier('record_key') }} as cluster_label
    from records

),

{% for i in range(1, passes + 1) -%}
node_labels_{{ i }} as (

    select edges.link_node, min(labels.cluster_label) as cluster_label
    from edges
    inner join labels_{{ i - 1 }} as labels on edges.record_key = labels.record_key
    group by edges.link_node

),

labels_{{ i }} as (

    select
        labels.record_key,
        least(labels.cluster_label, coalesce(reached.cluster_label, labels.cluster_label)) as cluster_label
    from labels_{{ i - 1 }} as labels
    left join (
        select edges.record_key, min(node_labels.cluster_label) as cluster_label
        from edges
        inner join node_labels_{{ i }} as node_labels on edges.link_node = node_labels.link_node
        group by edges.record_key
    ) as reached on labels.record_key = reached.record_key

){{ ',' if not loop.last }}

{% endfor %}
select
    record_key,
    cluster_label
from labels_{{ passes }}
