{#- Consent history: one row per consent signal, a source row's statement about one
    purpose and channel, dated, with the customer, record and source it came from.
    Which purpose, channel and status each signal means is in the seed
    customer_consent_signals (a signal missing there is dropped). -#}
with

identity_map as (

    select record_key, customer_id
    from {{ ref('dim_customer_identity_map') }}

),

signal_meanings as (

    select signal, source_table, purpose, channel, consent_status
    from {{ ref('customer_consent_signals') }}

),

email_subscribers as (

    select record_key, email_subscriber_id, status, subscribed_at, double_opt_in_at, loaded_at
    from {{ ref('stg_email__subscribers') }}

),

email_unsubscribes as (

    select unsubscribe_id, email_subscriber_id, unsubscribed_at
    from {{ ref('stg_email__unsubscribes') }}

),

sms_subscribers as (

    select record_key, sms_subscriber_id, status, opted_in_at, opted_out_at, loaded_at
    from {{ ref('stg_sms__subscribers') }}

),

app_installs as (

    select record_key, install_id, installed_at, has_push_opt_in
    from {{ ref('stg_mobile_app__installs') }}
    where has_push_opt_in is not null

),

last_unsubscribes as (

    select email_subscriber_id, max(unsubscribed_at) as unsubscribed_at
    from email_unsubscribes
    group by email_subscriber_id

),

signals as (

    select record_key, email_subscriber_id as source_row_id, 'email_sign_up' as signal, subscribed_at as event_at
    from email_subscribers
    where subscribed_at is not null

    union all

    select record_key, email_subscriber_id, 'email_double_opt_in', double_opt_in_at
    from email_subscribers
    where double_opt_in_at is not null

    union all

    -- the list says unsubscribed and no unsubscribe event after the last opt-in
    -- explains it: the export is the evidence, dated when it was loaded
    select email_subscribers.record_key, email_subscribers.email_subscriber_id, 'email_status_unsubscribed', email_subscribers.loaded_at
    from email_subscribers
    left join last_unsubscribes on email_subscribers.email_subscriber_id = last_unsubscribes.email_subscriber_id
    where email_subscribers.status = 'unsubscribed'
        and (
            last_unsubscribes.unsubscribed_at is null
            or last_unsubscribes.unsubscribed_at < coalesce(email_subscribers.double_opt_in_at, email_subscribers.subscribed_at)
        )

    union all

    select record_key, email_subscriber_id, 'email_status_undeliverable', loaded_at
    from email_subscribers
    where status in ('bounced', 'cleaned')

    union all

    select email_subscribers.record_key, email_unsubscribes.unsubscribe_id, 'email_unsubscribe', email_unsubscribes.unsubscribed_at
    from email_unsubscribes
    inner join email_subscribers on email_unsubscribes.email_subscriber_id = email_subscribers.email_subscriber_id
    where email_unsubscribes.unsubscribed_at is not null

    union all

    select record_key, sms_subscriber_id, 'sms_opt_in', coalesce(opted_in_at, loaded_at)
    from sms_subscribers
    where opted_in_at is not null or status = 'active'

    union all

    select record_key, sms_subscriber_id, 'sms_opt_out', coalesce(opted_out_at, loaded_at)
    from sms_subscribers
    where opted_out_at is not null or status = 'opted_out'

    union all

    select record_key, install_id, case when has_push_opt_in then 'push_opt_in' else 'push_denied' end, installed_at
    from app_installs
    where installed_at is not null

),

sourced as (

    select
        signals.record_key,
        signals.source_row_id,
        signals.signal,
        signals.event_at,
        signal_meanings.source_table,
        signal_meanings.purpose,
        signal_meanings.channel,
        signal_meanings.consent_status
    from signals
    inner join signal_meanings on signals.signal = signal_meanings.signal

)

select
    cast(sourced.signal || ':' || sourced.source_row_id || ':' || sourced.purpose || ':' || sourced.channel
        as {{ dbt.type_string() }}) as consent_event_key,
    cast(identity_map.customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(sourced.record_key as {{ dbt.type_string() }}) as record_key,
    cast(sourced.purpose as {{ dbt.type_string() }}) as purpose,
    cast(sourced.channel as {{ dbt.type_string() }}) as channel,
    cast(sourced.consent_status as {{ dbt.type_string() }}) as consent_status,
    cast(sourced.event_at as timestamp) as event_at,
    cast(sourced.signal as {{ dbt.type_string() }}) as signal,
    cast(sourced.source_table as {{ dbt.type_string() }}) as source_table,
    cast(sourced.source_row_id as {{ dbt.type_string() }}) as source_row_id
from sourced
inner join identity_map on sourced.record_key = identity_map.record_key
