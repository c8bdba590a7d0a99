{#- Every identity record one row each: int_identity_records_unioned with each group of
    events (page views, ad clicks) expanded back into its events, every event carrying
    its group's ids. Resolution runs on the grouped table; this view is for evaluation
    against ground truth (benchmarks/identity_benchmark.py, Splink alone) and ad-hoc
    questions about single records. A view: it costs nothing at build time. -#}
{{ config(materialized='view') }}

with

records as (

    select
        record_key, source_table, observed_at, is_profile_record, email_canonical, email_hash,
        email_local, email_domain, phone_e164, phone_e164_2, first_name_key, last_name_key,
        birth_date, birth_year, postcode, street_key, city_key, country_code, web_customer_id,
        crm_contact_id, loyalty_card_id, device_id, cookie_id, marketplace_buyer, web_order_id,
        event_group_key, has_blocked_identifier
    from {{ ref('int_identity_records_unioned') }}

),

events as (

    select record_key, observed_at, event_group_key
    from {{ ref('int_identity_events_collected') }}

)

select
    record_key, source_table, observed_at, is_profile_record, email_canonical, email_hash,
    email_local, email_domain, phone_e164, phone_e164_2, first_name_key, last_name_key,
    birth_date, birth_year, postcode, street_key, city_key, country_code, web_customer_id,
    crm_contact_id, loyalty_card_id, device_id, cookie_id, marketplace_buyer, web_order_id,
    has_blocked_identifier
from records
where event_group_key is null
union all
select
    events.record_key, groups.source_table, events.observed_at, groups.is_profile_record,
    groups.email_canonical, groups.email_hash, groups.email_local, groups.email_domain,
    groups.phone_e164, groups.phone_e164_2, groups.first_name_key, groups.last_name_key,
    groups.birth_date, groups.birth_year, groups.postcode, groups.street_key, groups.city_key,
    groups.country_code, groups.web_customer_id, groups.crm_contact_id, groups.loyalty_card_id,
    groups.device_id, groups.cookie_id, groups.marketplace_buyer, groups.web_order_id,
    groups.has_blocked_identifier
from events
inner join records as groups on events.event_group_key = groups.event_group_key
