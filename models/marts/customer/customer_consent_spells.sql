{#- Consent over time: spells of one consent status per customer, purpose and channel
    from the history customer_consent_events.
    1. Per record (an email address, a phone number, an app install) the newest
       statement holds; statements of one record at the same instant: the safer one
       wins (macro consent_status_rank: no consent beats consent).
    2. Per customer, at every instant one of their records changes: granted while
       at least one of their records is granted (each address is its own consent);
       otherwise the status of their newest statement (ties: the safer).
    3. Consecutive instants with the same status are one spell: valid_from to
       valid_to (exclusive; null while current). -#}
with

events as (

    select customer_id, record_key, purpose, channel, consent_status, event_at, signal
    from {{ ref('customer_consent_events') }}
    where event_at is not null

),

record_points as (

    select
        customer_id,
        record_key,
        purpose,
        channel,
        event_at,
        consent_status,
        {{ consent_status_rank('consent_status') }} as status_rank
    from events
    qualify row_number() over (
        partition by customer_id, record_key, purpose, channel, event_at
        order by {{ consent_status_rank('consent_status') }}, signal
    ) = 1

),

change_points as (

    select distinct customer_id, purpose, channel, event_at as point_at
    from record_points

),

record_states as (

    select
        change_points.customer_id,
        change_points.purpose,
        change_points.channel,
        change_points.point_at,
        record_points.record_key,
        record_points.consent_status,
        record_points.status_rank,
        record_points.event_at
    from change_points
    inner join record_points
        on change_points.customer_id = record_points.customer_id
        and change_points.purpose = record_points.purpose
        and change_points.channel = record_points.channel
        and record_points.event_at <= change_points.point_at
    qualify row_number() over (
        partition by change_points.customer_id, change_points.purpose, change_points.channel,
            change_points.point_at, record_points.record_key
        order by record_points.event_at desc
    ) = 1

),

customer_points as (

    select
        customer_id,
        purpose,
        channel,
        point_at,
        consent_status,
        record_key as deciding_record_key
    from record_states
    qualify row_number() over (
        partition by customer_id, purpose, channel, point_at
        order by
            case when consent_status = 'granted' then 0 else 1 end,
            event_at desc,
            status_rank,
            record_key
    ) = 1

),

changes as (

    select
        customer_id,
        purpose,
        channel,
        point_at,
        consent_status,
        deciding_record_key,
        lag(consent_status) over (partition by customer_id, purpose, channel order by point_at) as previous_status
    from customer_points

),

spell_starts as (

    select customer_id, purpose, channel, point_at as valid_from, consent_status, deciding_record_key
    from changes
    where previous_status is null or previous_status <> consent_status

),

spells as (

    select
        customer_id,
        purpose,
        channel,
        valid_from,
        lead(valid_from) over (partition by customer_id, purpose, channel order by valid_from) as valid_to,
        row_number() over (partition by customer_id, purpose, channel order by valid_from) as spell_number,
        consent_status,
        deciding_record_key
    from spell_starts

)

select
    cast(customer_id || ':' || purpose || ':' || channel || ':' || cast(spell_number as {{ dbt.type_string() }})
        as {{ dbt.type_string() }}) as consent_spell_key,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(purpose as {{ dbt.type_string() }}) as purpose,
    cast(channel as {{ dbt.type_string() }}) as channel,
    cast(spell_number as bigint) as spell_number,
    cast(consent_status as {{ dbt.type_string() }}) as consent_status,
    consent_status = 'granted' as is_consented,
    cast(valid_from as timestamp) as valid_from,
    cast(valid_to as timestamp) as valid_to,
    valid_to is null as is_current,
    cast(deciding_record_key as {{ dbt.type_string() }}) as deciding_record_key
from spells
