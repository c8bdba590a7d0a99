{#- Connected components of the link graph by min-label propagation.

    Records are not propagated one by one: a record's link nodes (shared identifier
    values, matched pairs, must-links) are all in its component, so the graph that
    matters is between link nodes. Each record stars its nodes onto its first node;
    the distinct node-to-node edges form a graph far smaller than the record graph
    (a cookie seen on 300 page views is one node, not 300 records). Labels start as a
    hash of the node (not the node itself: ordered values along a cookie -> login ->
    cookie chain would need one pass per hop). Each pass gives every node the smallest
    label among itself and its neighbours; var identity_max_passes passes are unrolled,
    each reading the previous pass once (so engines that inline CTEs stay linear).
    A record takes its first node's label; a record without links is its own component.
    The data test identity_clusters_converged fails if a link node still spans two
    labels, i.e. if more passes are needed. -#}
{%- set passes = var('identity_max_passes') | int -%}
{{ config(materialized='table') }}

with

records as (

    select record_key from {{ ref('int_identity_records_unioned') }}

),

edges as (

    select distinct record_key, link_node from {{ ref('int_identity_links_unioned') }}

),

record_first_node as (

    select record_key, min(link_node) as first_node
    from edges
    group by record_key

),

node_edges as (

    select distinct record_first_node.first_node as node_a, edges.link_node as node_b
    from edges
    inner join record_first_node on edges.record_key = record_first_node.record_key
    where edges.link_node <> record_first_node.first_node

),

neighbours as (

    -- both directions, and every node is its own neighbour
    select node_a, node_b from node_edges
    union all
    select node_b as node_a, node_a as node_b from node_edges
    union all
    select distinct link_node as node_a, link_node as node_b from edges

),

labels_0 as (

    select label_source as link_node, {{ hash_identifier('label_source') }} as cluster_label
    from (select distinct link_node as label_source from edges) as nodes

),

{% for i in range(1, passes + 1) -%}
labels_{{ i }} as (

    select neighbours.node_b as link_node, min(labels.cluster_label) as cluster_label
    from labels_{{ i - 1 }} as labels
    inner join neighbours on labels.link_node = neighbours.node_a
    group by neighbours.node_b

),

{% endfor -%}

unlinked as (

    select records.record_key as label_source
    from records
    left join record_first_node on records.record_key = record_first_node.record_key
    where record_first_node.record_key is null

)

select
    record_first_node.record_key,
    labels.cluster_label
from record_first_node
inner join labels_{{ passes }} as labels on record_first_node.first_node = labels.link_node
union all
select
    label_source as record_key,
    {{ hash_identifier('label_source') }} as cluster_label
from unlinked
