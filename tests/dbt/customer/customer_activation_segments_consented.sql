{#- Only customers consenting to a segment's purpose are current members of an
    activation-purpose segment (var customer_segment_purpose_consent). -#}
{{ config(tags=['customer'], meta={'dagster': {'ref': {'name': 'customer_segment_memberships'}}}) }}
{%- set consent = var('customer_segment_purpose_consent') %}
select memberships.customer_id, memberships.segment_name, memberships.purpose
from {{ ref('customer_segment_memberships') }} as memberships
inner join {{ ref('dim_customer') }} as customers on memberships.customer_id = customers.customer_id
where memberships.is_current
    and (
        1 = 0
    {%- for purpose, column in consent.items() %}
        or (memberships.purpose = '{{ purpose }}' and not coalesce(customers.{{ column }}, false))
    {%- endfor %}
    )
