{#- Every customer with channel activity has exactly one preferred and one discovery channel. -#}
{{ config(tags=['customer']) }}
select customer_id,
    sum(case when is_preferred_channel then 1 else 0 end) as preferred,
    sum(case when is_discovery_channel then 1 else 0 end) as discovery
from {{ ref('customer_channel_insights') }}
group by customer_id
having sum(case when is_preferred_channel then 1 else 0 end) <> 1
    or sum(case when is_discovery_channel then 1 else 0 end) <> 1
