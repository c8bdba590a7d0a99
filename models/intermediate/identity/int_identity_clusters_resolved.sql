{#- Connected components of the link graph by min-label propagation.

    Records are not propagated one by one: a record's link nodes (shared identifier
    values, matched pairs, must-links) are all in its component, so the graph that
    matters is between link nodes. Each record stars its nodes onto its first node;
    the distinct node-to-node edges form a graph far smaller than the record graph
    (a cookie seen on 300 page views is one node, not 300 records). Nodes are numbered
    in the order of their hash (not of their value: ordered values along a cookie ->
    login -> cookie chain would need one pass per hop); integer labels keep every pass
    a cheap join, and numbering, unlike truncating the hash, cannot collide. Each pass
    gives every node the smallest label among itself and its neighbours; var identity_max_passes passes are unrolled,
    each reading the previous pass once (so engines that inline CTEs stay linear).
    A record takes its first node's label; a record without links is its own component
    (a negative label).
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

nodes as (

    -- dense integer ids in hash order: collision-free, and as well mixed as the hash
    select
        link_node,
        row_number() over (order by {{ hash_identifier('link_node') }}, link_node) as node_id
    from (select distinct link_node from edges) as distinct_nodes

),

record_nodes as (

    select edges.record_key, nodes.node_id
    from edges
    inner join nodes on edges.link_node = nodes.link_node

),

record_first_node as (

    select record_key, min(node_id) as first_node
    from record_nodes
    group by record_key

),

node_edges as (

    select distinct record_first_node.first_node as node_a, record_nodes.node_id as node_b
    from record_nodes
    inner join record_first_node on record_nodes.record_key = record_first_node.record_key
    where record_nodes.node_id <> record_first_node.first_node

),

neighbours as (

    -- both directions, and every node is its own neighbour
    select node_a, node_b from node_edges
    union all
    select node_b as node_a, node_a as node_b from node_edges
    union all
    select node_id as node_a, node_id as node_b from nodes

),

labels_0 as (

    select node_id, node_id as cluster_label from nodes

),

{% for i in range(1, passes + 1) -%}
labels_{{ i }} as (

    select neighbours.node_b as node_id, min(labels.cluster_label) as cluster_label
    from labels_{{ i - 1 }} as labels
    inner join neighbours on labels.node_id = neighbours.node_a
    group by neighbours.node_b

),

{% endfor -%}

unlinked as (

    select records.record_key
    from records
    left join record_first_node on records.record_key = record_first_node.record_key
    where record_first_node.record_key is null

)

select
    record_first_node.record_key,
    labels.cluster_label
from record_first_node
inner join labels_{{ passes }} as labels on record_first_node.first_node = labels.node_id
union all
-- a record without links is its own cluster; negative labels never meet node labels
select
    record_key,
    -row_number() over (order by record_key) as cluster_label
from unlinked
