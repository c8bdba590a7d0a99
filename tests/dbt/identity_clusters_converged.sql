-- Connected components converged: no link node joins records with different cluster
-- labels. If this fails, raise var identity_max_passes.
select links.link_node, count(distinct clusters.cluster_label) as labels
from {{ ref('int_identity_links_unioned') }} as links
inner join {{ ref('int_identity_clusters_resolved') }} as clusters
    on links.record_key = clusters.record_key
group by links.link_node
having count(distinct clusters.cluster_label) > 1
