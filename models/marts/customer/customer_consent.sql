{#- Current consent state per customer, purpose and channel: the current spell of
    customer_consent_spells (which resolves the history of customer_consent_events),
    with counts of the customer's records in the channel from the history. -#}
with

spells as (

    select customer_id, purpose, channel, consent_status, valid_from, deciding_record_key
    from {{ ref('customer_consent_spells') }}
    where is_current

),

events as (

    select customer_id, record_key, purpose, channel, consent_status, event_at, signal
    from {{ ref('customer_consent_events') }}
    where event_at is not null

),

record_latest as (

    select customer_id, record_key, purpose, channel, consent_status
    from events
    qualify row_number() over (
        partition by customer_id, record_key, purpose, channel
        order by event_at desc, {{ consent_status_rank('consent_status') }}, signal
    ) = 1

),

summary as (

    select
        record_latest.customer_id,
        record_latest.purpose,
        record_latest.channel,
        count(*) as consent_records,
        sum(case when record_latest.consent_status = 'granted' then 1 else 0 end) as granted_records
    from record_latest
    group by record_latest.customer_id, record_latest.purpose, record_latest.channel

),

withdrawals as (

    select customer_id, purpose, channel, max(event_at) as last_withdrawn_at
    from events
    where consent_status = 'withdrawn'
    group by customer_id, purpose, channel

)

select
    cast(spells.customer_id || ':' || spells.purpose || ':' || spells.channel as {{ dbt.type_string() }}) as consent_key,
    cast(spells.customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(spells.purpose as {{ dbt.type_string() }}) as purpose,
    cast(spells.channel as {{ dbt.type_string() }}) as channel,
    cast(spells.consent_status as {{ dbt.type_string() }}) as consent_status,
    spells.consent_status = 'granted' as is_consented,
    cast(case when spells.consent_status = 'granted' then spells.valid_from end as timestamp) as first_granted_at,
    cast(withdrawals.last_withdrawn_at as timestamp) as last_withdrawn_at,
    cast(summary.consent_records as bigint) as consent_records,
    cast(summary.granted_records as bigint) as granted_records,
    cast(spells.deciding_record_key as {{ dbt.type_string() }}) as deciding_record_key
from spells
inner join summary
    on spells.customer_id = summary.customer_id
    and spells.purpose = summary.purpose
    and spells.channel = summary.channel
left join withdrawals
    on spells.customer_id = withdrawals.customer_id
    and spells.purpose = withdrawals.purpose
    and spells.channel = withdrawals.channel
