{#- The records that probabilistic matching compares: those with a name, with the
    derived attributes the comparison levels in var identity_comparisons use.

    Some channels print the recipient's name, not the buyer's: a marketplace order
    shipped to a family member carries that member's name at the buyer's address.
    For the sources listed in var identity_recipient_name_sources (source table ->
    the identifier that names the buyer), a record's name is trusted only when it is
    the name on a strict majority of that buyer's orders (counted by distinct order
    time, so multi-item orders count once). Other records of the buyer are not
    compared by name at all: they still join the buyer through the identifier.

    An email or phone its guards rejected (int_identity_identifiers_guarded: over its
    cap, or shared by different first names, like kunde@kunde.de) is no evidence for a
    probabilistic match either: it is left null here. -#}
{%- set recipient_sources = var('identity_recipient_name_sources', {}) -%}

with

records as (

    select
        record_key,
        source_table,
        observed_at,
        marketplace_buyer,
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

),

rejected_contacts as (

    select
        case when identifier_type in ('email', 'household_email') then 'email' else 'phone' end as contact_kind,
        identifier_value
    from {{ ref('int_identity_identifiers_guarded') }}
    where link_status <> 'linked'
      and identifier_type in ('email', 'household_email', 'phone', 'landline')

),

{% if recipient_sources %}
recipient_records as (

    {% for source_table, group_column in recipient_sources.items() -%}
    select
        record_key,
        cast('{{ source_table }}' || ':' || {{ group_column }} as {{ dbt.type_string() }}) as buyer_group,
        observed_at,
        coalesce(first_name_key, '') || '|' || coalesce(last_name_key, '') as full_name_key
    from records
    where source_table = '{{ source_table }}' and {{ group_column }} is not null
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

name_orders as (

    select buyer_group, full_name_key, count(distinct observed_at) as orders
    from recipient_records
    group by buyer_group, full_name_key

),

group_orders as (

    select buyer_group, sum(orders) as orders
    from name_orders
    group by buyer_group

),

recipient_names_distrusted as (

    -- the name is on at most half of the buyer's orders: it may be someone else's
    select recipient_records.record_key
    from recipient_records
    inner join name_orders
        on recipient_records.buyer_group = name_orders.buyer_group
        and recipient_records.full_name_key = name_orders.full_name_key
    inner join group_orders on recipient_records.buyer_group = group_orders.buyer_group
    where 2 * name_orders.orders <= group_orders.orders

),
{% endif %}

comparable as (

    select
        records.record_key,
        records.source_table,
        records.marketplace_buyer,
        records.first_name_key,
        records.last_name_key,
        records.birth_date,
        records.birth_year,
        records.postcode,
        records.street_key,
        records.city_key,
        case when rejected_email.identifier_value is null then records.email_hash end as email_hash,
        case when rejected_email.identifier_value is null then records.email_local end as email_local,
        case when rejected_email.identifier_value is null then records.email_domain end as email_domain,
        case when rejected_phone.identifier_value is null then records.phone_e164 end as phone_e164
    from records
    left join rejected_contacts as rejected_email
        on rejected_email.contact_kind = 'email'
        and records.email_hash = rejected_email.identifier_value
    left join rejected_contacts as rejected_phone
        on rejected_phone.contact_kind = 'phone'
        and {{ hash_identifier('records.phone_e164') }} = rejected_phone.identifier_value
    {%- if recipient_sources %}
    left join recipient_names_distrusted
        on records.record_key = recipient_names_distrusted.record_key
    where recipient_names_distrusted.record_key is null
    {%- endif %}

)

select
    comparable.record_key,
    comparable.source_table,
    comparable.first_name_key,
    coalesce(name_roots.root_key, comparable.first_name_key) as first_name_root,
    comparable.last_name_key,
    -- "mueller" and "muller" (an umlaut written without its e) fold to the same key
    replace(replace(replace(comparable.last_name_key, 'ae', 'a'), 'oe', 'o'), 'ue', 'u') as last_name_fold,
    comparable.birth_date,
    comparable.birth_year,
    comparable.postcode,
    comparable.street_key,
    comparable.city_key,
    comparable.email_hash,
    comparable.email_local,
    comparable.email_domain,
    comparable.phone_e164,
    comparable.marketplace_buyer
from comparable
left join name_roots on comparable.first_name_key = name_roots.name_key
