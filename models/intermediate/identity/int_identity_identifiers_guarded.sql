{#- Each deterministic identifier value with its guard verdict. Only values with
    link_status = 'linked' join records directly:
      - over_cap: more records than var identity_identifiers[type].max_records;
      - shared_by_different_names: for types with name_agreement, two of its records
        carry first names that cannot be one person (not equal, not a prefix or initial
        of each other, not the same nickname root, more than one typo apart): a family
        mailbox, a household landline, a junk value nobody block-listed.
    A linked value of a type with named_records_only (landline, household_email) joins
    only its records that carry a first name (int_identity_links_unioned). -#}
{%- set configured = var('identity_identifiers', {}) -%}

with

identifiers as (

    select record_key, identifier_type, identifier_value, first_name_key, grouped_records
    from {{ ref('int_identity_identifiers_extracted') }}

),

name_roots as (

    select name_key, root_key from {{ ref('identity_name_roots') }}

),

per_value as (

    select
        identifier_type,
        identifier_value,
        -- source records, not graph rows: a group of page views counts every view
        cast(sum(grouped_records) as bigint) as records,
        count(distinct first_name_key) as distinct_first_names
    from identifiers
    group by identifier_type, identifier_value

),

value_names as (

    select distinct
        identifiers.identifier_type,
        identifiers.identifier_value,
        identifiers.first_name_key,
        coalesce(name_roots.root_key, identifiers.first_name_key) as first_name_root
    from identifiers
    inner join per_value
        on identifiers.identifier_type = per_value.identifier_type
        and identifiers.identifier_value = per_value.identifier_value
    left join name_roots on identifiers.first_name_key = name_roots.name_key
    where identifiers.first_name_key is not null
      and per_value.distinct_first_names between 2 and 25

),

name_conflicts as (

    select distinct
        a.identifier_type,
        a.identifier_value
    from value_names as a
    inner join value_names as b
        on a.identifier_type = b.identifier_type
        and a.identifier_value = b.identifier_value
        and a.first_name_key < b.first_name_key
    where not (
        a.first_name_root = b.first_name_root
        or a.first_name_key like b.first_name_key || '%'
        or b.first_name_key like a.first_name_key || '%'
        or levenshtein(a.first_name_key, b.first_name_key) <= 1
    )

),

caps as (

    {% for identifier_type, rule in configured.items() -%}
    select
        cast('{{ identifier_type }}' as {{ dbt.type_string() }}) as identifier_type,
        cast({{ rule.get('max_records', 1000000) }} as bigint) as max_records,
        {{ 'true' if rule.get('name_agreement', false) else 'false' }} as needs_name_agreement,
        {{ 'true' if rule.get('named_records_only', false) else 'false' }} as links_named_records_only
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

)

select
    per_value.identifier_type,
    per_value.identifier_value,
    per_value.records,
    per_value.distinct_first_names,
    caps.max_records,
    caps.needs_name_agreement,
    caps.links_named_records_only,
    case
        when per_value.records > caps.max_records then 'over_cap'
        when caps.needs_name_agreement
            and (per_value.distinct_first_names > 25 or name_conflicts.identifier_value is not null)
            then 'shared_by_different_names'
        else 'linked'
    end as link_status
from per_value
inner join caps on per_value.identifier_type = caps.identifier_type
left join name_conflicts
    on per_value.identifier_type = name_conflicts.identifier_type
    and per_value.identifier_value = name_conflicts.identifier_value
