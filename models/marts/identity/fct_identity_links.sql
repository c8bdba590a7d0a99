{#- Why records share a customer id: one row per record and link node, with the
    evidence. An identifier link names the identifier type and its keyed pseudonym
    (macro pseudonymize: cookie, device and account ids are not printed, and the
    unkeyed email and phone hashes of the identity graph cannot be looked up); a
    probabilistic link carries every comparison's level and match weight; a must-link
    carries the analyst's reason. Two rows with the same link_node are directly
    linked; `dbt run-operation why_linked --args '{record_a: ..., record_b: ...}'`
    walks these rows to explain any two records of one customer. -#}
{%- set comparisons = var('identity_comparisons') -%}
with

links as (

    select record_key, link_node, link_kind, link_rule, match_weight
    from {{ ref('int_identity_links_unioned') }}

),

-- 'id:<type>:<value>' -> 'id:<type>:<pseudonym of value>'; other nodes name records
keyed_links as (

    select
        record_key,
        case
            when link_kind = 'identifier'
                then cast('id:' || link_rule || ':'
                    || {{ pseudonymize("substr(link_node, length(link_rule) + 5)") }} as {{ dbt.type_string() }})
            else link_node
        end as link_node,
        link_kind,
        link_rule,
        match_weight
    from links

),

assigned as (

    select record_key, customer_id from {{ ref('int_customer_ids_assigned') }}

),

pairs as (

    select
        cast('pair:' || record_key_l || '|' || record_key_r as {{ dbt.type_string() }}) as link_node,
        {%- for c in comparisons %}
        {{ c.name }}_level,
        {{ c.name }}_weight,
        {%- endfor %}
        match_probability
    from {{ ref('int_identity_pairs_scored') }}
    where is_match

)

select
    assigned.customer_id,
    keyed_links.record_key,
    keyed_links.link_node,
    keyed_links.link_kind,
    keyed_links.link_rule,
    keyed_links.match_weight,
    pairs.match_probability,
    {%- for c in comparisons %}
    pairs.{{ c.name }}_level,
    pairs.{{ c.name }}_weight{{ ',' if not loop.last }}
    {%- endfor %}
from keyed_links
inner join assigned on keyed_links.record_key = assigned.record_key
left join pairs on keyed_links.link_node = pairs.link_node
-- stored per customer: a customer's identity graph is a few row groups of the table
order by assigned.customer_id, keyed_links.record_key, keyed_links.link_node
