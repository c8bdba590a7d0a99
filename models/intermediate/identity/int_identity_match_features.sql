{#- The records that probabilistic matching compares: those with a name, with the
    derived attributes the comparison levels in var identity_comparisons use. -#}
with

records as (

    select
        record_key,
        source_table,
        first_name_key,
        last_name_key,
        birth_date,
        birth_year,
        postcode,
        street_key,
        city_key,
        email_hash,
        email_local,
        email_domain,
        phone_e164
    from {{ ref('int_identity_records_unioned') }}
    where first_name_key is not null or last_name_key is not null

),

name_roots as (

    select name_key, root_key from {{ ref('identity_name_roots') }}

)

select
    records.record_key,
    records.source_table,
    records.first_name_key,
    coalesce(name_roots.root_key, records.first_name_key) as first_name_root,
    records.last_name_key,
    -- "mueller" and "muller" (an umlaut written without its e) fold to the same key
    replace(replace(replace(records.last_name_key, 'ae', 'a'), 'oe', 'o'), 'ue', 'u') as last_name_fold,
    records.birth_date,
    records.birth_year,
    records.postcode,
    records.street_key,
    records.city_key,
    records.email_hash,
    records.email_local,
    records.email_domain,
    records.phone_e164
from records
left join name_roots on records.first_name_key = name_roots.name_key
