{#- Consent state per customer, purpose and channel, from the systems that hold it:
    the email platform (subscribed with double opt-in = granted; unsubscribed =
    withdrawn; bounced or cleaned = undeliverable; no double opt-in yet = pending),
    the SMS platform (active = granted, opted_out = withdrawn) and app installs (push
    opt-in granted or denied). A customer with several addresses or installs is
    reachable when any of them is granted; otherwise the latest state holds. -#}
with

identity_map as (

    select record_key, customer_id
    from {{ ref('dim_customer_identity_map') }}

),

email_subscribers as (

    select record_key, email_subscriber_id, status, subscribed_at, double_opt_in_at
    from {{ ref('stg_email__subscribers') }}

),

email_unsubscribes as (

    select email_subscriber_id, max(unsubscribed_at) as unsubscribed_at
    from {{ ref('stg_email__unsubscribes') }}
    group by email_subscriber_id

),

sms_subscribers as (

    select record_key, status, opted_in_at, opted_out_at
    from {{ ref('stg_sms__subscribers') }}

),

app_installs as (

    select record_key, installed_at, has_push_opt_in
    from {{ ref('stg_mobile_app__installs') }}

),

record_states as (

    select
        email_subscribers.record_key,
        'email' as channel,
        case
            when email_unsubscribes.unsubscribed_at is not null or email_subscribers.status = 'unsubscribed' then 'withdrawn'
            when email_subscribers.status in ('bounced', 'cleaned') then 'undeliverable'
            when email_subscribers.status = 'subscribed' and email_subscribers.double_opt_in_at is not null then 'granted'
            else 'pending'
        end as consent_status,
        coalesce(email_subscribers.double_opt_in_at, email_subscribers.subscribed_at) as granted_at,
        email_unsubscribes.unsubscribed_at as withdrawn_at
    from email_subscribers
    left join email_unsubscribes on email_subscribers.email_subscriber_id = email_unsubscribes.email_subscriber_id

    union all

    select
        record_key,
        'sms' as channel,
        case
            when status = 'opted_out' or opted_out_at is not null then 'withdrawn'
            when status = 'active' then 'granted'
            else 'pending'
        end as consent_status,
        opted_in_at as granted_at,
        opted_out_at as withdrawn_at
    from sms_subscribers

    union all

    select
        record_key,
        'push' as channel,
        case when has_push_opt_in then 'granted' else 'denied' end as consent_status,
        case when has_push_opt_in then installed_at end as granted_at,
        cast(null as timestamp) as withdrawn_at
    from app_installs
    where has_push_opt_in is not null

),

customer_states as (

    select
        identity_map.customer_id,
        record_states.record_key,
        record_states.channel,
        record_states.consent_status,
        record_states.granted_at,
        record_states.withdrawn_at,
        row_number() over (
            partition by identity_map.customer_id, record_states.channel
            order by
                case when record_states.consent_status = 'granted' then 0 else 1 end,
                coalesce(record_states.withdrawn_at, record_states.granted_at) desc nulls last,
                record_states.record_key
        ) as state_rank
    from record_states
    inner join identity_map on record_states.record_key = identity_map.record_key

),

summary as (

    select
        customer_id,
        channel,
        count(*) as consent_records,
        sum(case when consent_status = 'granted' then 1 else 0 end) as granted_records,
        min(case when consent_status = 'granted' then granted_at end) as first_granted_at,
        max(withdrawn_at) as last_withdrawn_at
    from customer_states
    group by customer_id, channel

)

select
    cast(customer_states.customer_id || ':marketing:' || customer_states.channel as {{ dbt.type_string() }}) as consent_key,
    cast(customer_states.customer_id as {{ dbt.type_string() }}) as customer_id,
    cast('marketing' as {{ dbt.type_string() }}) as purpose,
    cast(customer_states.channel as {{ dbt.type_string() }}) as channel,
    cast(customer_states.consent_status as {{ dbt.type_string() }}) as consent_status,
    customer_states.consent_status = 'granted' as is_consented,
    summary.first_granted_at,
    summary.last_withdrawn_at,
    cast(summary.consent_records as bigint) as consent_records,
    cast(summary.granted_records as bigint) as granted_records,
    cast(customer_states.record_key as {{ dbt.type_string() }}) as deciding_record_key
from customer_states
inner join summary
    on customer_states.customer_id = summary.customer_id
    and customer_states.channel = summary.channel
where customer_states.state_rank = 1
