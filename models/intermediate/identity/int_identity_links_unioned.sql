{#- Every reason two records belong together, as edges between a record and a link
    node: a shared identifier value that passed its guards (for household identifier
    types, only the records that carry a first name), a probabilistic pair
    above the threshold, or an analyst's must-link. Cannot-link overrides detach the
    second record of the pair from every automatic link (must-links still apply), so
    the two can never share a customer id. -#}
with

identifiers as (

    select record_key, identifier_type, identifier_value, first_name_key
    from {{ ref('int_identity_identifiers_extracted') }}

),

guarded as (

    select identifier_type, identifier_value, links_named_records_only
    from {{ ref('int_identity_identifiers_guarded') }}
    where link_status = 'linked'

),

pairs as (

    select record_key_l, record_key_r, match_weight
    from {{ ref('int_identity_pairs_scored') }}
    where is_match

),

must_link as (

    select record_key_a, record_key_b, reason
    from {{ ref('identity_must_link') }}

),

cannot_link as (

    select record_key_b as record_key
    from {{ ref('identity_cannot_link') }}

),

identifier_edges as (

    select
        identifiers.record_key,
        cast('id:' || identifiers.identifier_type || ':' || identifiers.identifier_value as {{ dbt.type_string() }}) as link_node,
        cast('identifier' as {{ dbt.type_string() }}) as link_kind,
        identifiers.identifier_type as link_rule,
        cast(null as double) as match_weight
    from identifiers
    inner join guarded
        on identifiers.identifier_type = guarded.identifier_type
        and identifiers.identifier_value = guarded.identifier_value
    -- a household's landline or mailbox says nothing about which member left an unnamed record
    where not (guarded.links_named_records_only and identifiers.first_name_key is null)

),

pair_edges as (

    {% for side in ['l', 'r'] -%}
    select
        record_key_{{ side }} as record_key,
        cast('pair:' || record_key_l || '|' || record_key_r as {{ dbt.type_string() }}) as link_node,
        cast('probabilistic' as {{ dbt.type_string() }}) as link_kind,
        cast('match_weight' as {{ dbt.type_string() }}) as link_rule,
        match_weight
    from pairs
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

must_link_edges as (

    {% for side in ['a', 'b'] -%}
    select
        record_key_{{ side }} as record_key,
        cast('must:' || record_key_a || '|' || record_key_b as {{ dbt.type_string() }}) as link_node,
        cast('must_link' as {{ dbt.type_string() }}) as link_kind,
        cast(reason as {{ dbt.type_string() }}) as link_rule,
        cast(null as double) as match_weight
    from must_link
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

automatic_edges as (

    select record_key, link_node, link_kind, link_rule, match_weight from identifier_edges
    union all
    select record_key, link_node, link_kind, link_rule, match_weight from pair_edges

)

select
    automatic_edges.record_key,
    automatic_edges.link_node,
    automatic_edges.link_kind,
    automatic_edges.link_rule,
    automatic_edges.match_weight
from automatic_edges
left join cannot_link on automatic_edges.record_key = cannot_link.record_key
where cannot_link.record_key is null
union all
select record_key, link_node, link_kind, link_rule, match_weight
from must_link_edges
