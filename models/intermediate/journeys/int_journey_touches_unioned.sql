{#- Every marketing or service touch of every channel in one shape, before channel
    grouping and identity: web sessions (the shop's own session_id; the landing page
    view gives source / medium / campaign), app sessions (app events of one device with
    no gap over var journey_session_timeout_minutes), ad clicks, email and SMS clicks,
    store visits (WiFi logins) and support tickets. record_key is the identity record
    the touch resolves to a customer through (the landing page view, the click, the
    email / SMS subscriber, the device's app install, the login, the ticket).
    Grain: one row per touch (touchpoint_key).

    Incremental on DuckDB (macros/incremental): a run rebuilds every touch one of whose
    source rows was loaded since the table's newest loaded_at (minus var
    incremental_lookback_minutes), from all of that touch's rows: a web session with a
    late page view or cart event, every app session of a device with a new event or
    install (a late event can renumber the device's sessions: rebuild_key is the
    device), an email / SMS click whose send / message arrived. It carries no customer
    id, so a merge of two customers changes nothing here (fct_touchpoints joins the
    identity map). -#}
{{ config(
    materialized=omnichannel_cdp.large_fact_materialization(),
    incremental_strategy='delete+insert',
    unique_key='rebuild_key',
    on_schema_change='fail'
) }}
{%- set timeout_seconds = var('journey_session_timeout_minutes') | int * 60 -%}
{%- set incremental = is_incremental() -%}
{%- set since = omnichannel_cdp.incremental_loaded_since() if incremental else none -%}

with

{% if incremental -%}
changed_sessions as (

    select session_id from {{ ref('stg_web_shop__page_views') }} where loaded_at >= {{ since }}
    union
    select session_id from {{ ref('stg_web_shop__cart_events') }} where loaded_at >= {{ since }}

),

changed_devices as (

    select device_id from {{ ref('stg_mobile_app__events') }} where loaded_at >= {{ since }}
    union
    select device_id from {{ ref('stg_mobile_app__installs') }} where loaded_at >= {{ since }}

),

changed_email_clicks as (

    select email_click_id from {{ ref('stg_email__clicks') }} where loaded_at >= {{ since }}
    union
    select clicks.email_click_id
    from {{ ref('stg_email__clicks') }} as clicks
    inner join {{ ref('stg_email__sends') }} as sends on clicks.send_id = sends.send_id
    where sends.loaded_at >= {{ since }}

),

changed_sms_clicks as (

    select sms_click_id from {{ ref('stg_sms__clicks') }} where loaded_at >= {{ since }}
    union
    select clicks.sms_click_id
    from {{ ref('stg_sms__clicks') }} as clicks
    inner join {{ ref('stg_sms__messages') }} as messages on clicks.sms_message_id = messages.sms_message_id
    where messages.loaded_at >= {{ since }}

),

{% endif -%}
page_views as (

    select
        record_key, page_view_id, cookie_id, session_id, viewed_at, page_url, page_type,
        referrer, utm_source, utm_medium, utm_campaign, gclid, fbclid, device_type, loaded_at
    from {{ ref('stg_web_shop__page_views') }}
    where session_id is not null
    {%- if incremental %}
        and session_id in (select session_id from changed_sessions)
    {%- endif %}

),

cart_events as (

    select
        session_id,
        max(case when event_type = 'add_to_cart' then 1 else 0 end) as has_cart_add,
        max(loaded_at) as loaded_at
    from {{ ref('stg_web_shop__cart_events') }}
    where session_id is not null
    {%- if incremental %}
        and session_id in (select session_id from changed_sessions)
    {%- endif %}
    group by session_id

),

ad_clicks as (

    select
        record_key, ad_click_id, clicked_at, campaign_id, campaign_name, utm_source, utm_medium, utm_campaign,
        landing_page, loaded_at
    from {{ ref('stg_ads__clicks') }}
    {%- if incremental %}
    where loaded_at >= {{ since }}
    {%- endif %}

),

email_clicks as (

    select email_click_id, send_id, email_subscriber_id, clicked_at, url, utm_campaign, loaded_at
    from {{ ref('stg_email__clicks') }}
    {%- if incremental %}
    where email_click_id in (select email_click_id from changed_email_clicks)
    {%- endif %}

),

email_sends as (

    select send_id, campaign_id, campaign_name, loaded_at
    from {{ ref('stg_email__sends') }}

),

sms_clicks as (

    select sms_click_id, sms_message_id, sms_subscriber_id, clicked_at, url, loaded_at
    from {{ ref('stg_sms__clicks') }}
    {%- if incremental %}
    where sms_click_id in (select sms_click_id from changed_sms_clicks)
    {%- endif %}

),

sms_messages as (

    select sms_message_id, campaign_id, message_type, loaded_at
    from {{ ref('stg_sms__messages') }}

),

app_events as (

    select app_event_id, device_id, event_at, event_name, screen, loaded_at
    from {{ ref('stg_mobile_app__events') }}
    where device_id is not null and event_at is not null
    {%- if incremental %}
        and device_id in (select device_id from changed_devices)
    {%- endif %}

),

app_installs as (

    select device_id, record_key, loaded_at
    from {{ ref('stg_mobile_app__installs') }}
    where device_id is not null
    {%- if incremental %}
        and device_id in (select device_id from changed_devices)
    {%- endif %}
    qualify row_number() over (partition by device_id order by installed_at, install_id) = 1

),

wifi_logins as (

    select record_key, login_id, store_id, logged_in_at, loaded_at
    from {{ ref('stg_wifi__logins') }}
    {%- if incremental %}
    where loaded_at >= {{ since }}
    {%- endif %}

),

tickets as (

    select record_key, ticket_id, channel, created_at, reason, loaded_at
    from {{ ref('stg_support__tickets') }}
    {%- if incremental %}
    where loaded_at >= {{ since }}
    {%- endif %}

),

-- web sessions: the first page view of a session is its landing page
session_pages as (

    select
        page_views.*,
        row_number() over (partition by session_id order by viewed_at, page_view_id) as page_number,
        count(*) over (partition by session_id) as page_view_count,
        max(loaded_at) over (partition by session_id) as session_loaded_at
    from page_views

),

web_sessions as (

    select
        cast('web_session:' || session_pages.session_id as {{ dbt.type_string() }}) as touchpoint_key,
        'web_session' as touch_type,
        'web_shop' as source_system,
        session_pages.record_key,
        session_pages.viewed_at as touched_at,
        case
            when session_pages.utm_source is not null or session_pages.utm_medium is not null
                then coalesce(session_pages.utm_source, '(not set)')
            when session_pages.gclid is not null then 'google'
            when session_pages.fbclid is not null then 'facebook'
            when {{ omnichannel_cdp.url_host('session_pages.referrer') }} is not null
                then {{ omnichannel_cdp.url_host('session_pages.referrer') }}
            else '(direct)'
        end as source,
        case
            when session_pages.utm_source is not null or session_pages.utm_medium is not null
                then coalesce(session_pages.utm_medium, '(not set)')
            when session_pages.gclid is not null then 'cpc'
            when session_pages.fbclid is not null then 'paid_social'
            when {{ omnichannel_cdp.url_host('session_pages.referrer') }} is not null then 'referral'
            else '(none)'
        end as medium,
        session_pages.utm_campaign as campaign,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        session_pages.page_url as landing_location,
        session_pages.device_type,
        session_pages.session_id,
        session_pages.page_view_count as event_count,
        coalesce(cart_events.has_cart_add, 0) = 1 as has_cart_add,
        cast('web_session:' || session_pages.session_id as {{ dbt.type_string() }}) as rebuild_key,
        greatest(session_pages.session_loaded_at, coalesce(cart_events.loaded_at, session_pages.session_loaded_at))
            as loaded_at
    from session_pages
    left join cart_events on session_pages.session_id = cart_events.session_id
    where session_pages.page_number = 1

),

-- app sessions: a new session starts after var journey_session_timeout_minutes without events
app_events_gapped as (

    select
        app_events.*,
        case
            when lag(event_at) over (partition by device_id order by event_at, app_event_id) is null then 1
            when {{ omnichannel_cdp.epoch_seconds('event_at') }}
                - {{ omnichannel_cdp.epoch_seconds('lag(event_at) over (partition by device_id order by event_at, app_event_id)') }}
                > {{ timeout_seconds }} then 1
            else 0
        end as is_session_start
    from app_events

),

app_events_sessionised as (

    select
        app_events_gapped.*,
        sum(is_session_start) over (
            partition by device_id order by event_at, app_event_id rows between unbounded preceding and current row
        ) as session_number
    from app_events_gapped

),

app_sessions_grouped as (

    select
        device_id,
        session_number,
        min(event_at) as started_at,
        min_by(event_name, event_at) as first_event_name,
        min_by(screen, event_at) as first_screen,
        count(*) as event_count,
        max(case when event_name = 'add_to_cart' then 1 else 0 end) as has_cart_add,
        max(loaded_at) as loaded_at
    from app_events_sessionised
    group by device_id, session_number

),

app_sessions as (

    select
        cast('app_session:' || app_sessions_grouped.device_id || ':' || cast(app_sessions_grouped.session_number as {{ dbt.type_string() }}) as {{ dbt.type_string() }}) as touchpoint_key,
        'app_session' as touch_type,
        'mobile_app' as source_system,
        app_installs.record_key,
        app_sessions_grouped.started_at as touched_at,
        'app' as source,
        case when app_sessions_grouped.first_event_name = 'push_open' then 'push' else 'app' end as medium,
        cast(null as {{ dbt.type_string() }}) as campaign,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        app_sessions_grouped.first_screen as landing_location,
        'app' as device_type,
        cast(app_sessions_grouped.device_id || ':' || cast(app_sessions_grouped.session_number as {{ dbt.type_string() }}) as {{ dbt.type_string() }}) as session_id,
        app_sessions_grouped.event_count,
        app_sessions_grouped.has_cart_add = 1 as has_cart_add,
        cast('app_device:' || app_sessions_grouped.device_id as {{ dbt.type_string() }}) as rebuild_key,
        greatest(app_sessions_grouped.loaded_at, coalesce(app_installs.loaded_at, app_sessions_grouped.loaded_at))
            as loaded_at
    from app_sessions_grouped
    left join app_installs on app_sessions_grouped.device_id = app_installs.device_id

),

ad_click_touches as (

    select
        cast('ad_click:' || ad_click_id as {{ dbt.type_string() }}) as touchpoint_key,
        'ad_click' as touch_type,
        'ads' as source_system,
        record_key,
        clicked_at as touched_at,
        coalesce(utm_source, '(not set)') as source,
        coalesce(utm_medium, '(not set)') as medium,
        coalesce(utm_campaign, lower(campaign_name)) as campaign,
        campaign_id,
        landing_page as landing_location,
        cast(null as {{ dbt.type_string() }}) as device_type,
        cast(null as {{ dbt.type_string() }}) as session_id,
        cast(1 as bigint) as event_count,
        false as has_cart_add,
        cast('ad_click:' || ad_click_id as {{ dbt.type_string() }}) as rebuild_key,
        loaded_at
    from ad_clicks

),

email_click_touches as (

    select
        cast('email_click:' || email_clicks.email_click_id as {{ dbt.type_string() }}) as touchpoint_key,
        'email_click' as touch_type,
        'email' as source_system,
        cast('email.subscribers:' || email_clicks.email_subscriber_id as {{ dbt.type_string() }}) as record_key,
        email_clicks.clicked_at as touched_at,
        'newsletter' as source,
        'email' as medium,
        coalesce(email_clicks.utm_campaign, lower(email_sends.campaign_name)) as campaign,
        email_sends.campaign_id,
        email_clicks.url as landing_location,
        cast(null as {{ dbt.type_string() }}) as device_type,
        cast(null as {{ dbt.type_string() }}) as session_id,
        cast(1 as bigint) as event_count,
        false as has_cart_add,
        cast('email_click:' || email_clicks.email_click_id as {{ dbt.type_string() }}) as rebuild_key,
        greatest(email_clicks.loaded_at, coalesce(email_sends.loaded_at, email_clicks.loaded_at)) as loaded_at
    from email_clicks
    left join email_sends on email_clicks.send_id = email_sends.send_id

),

sms_click_touches as (

    select
        cast('sms_click:' || sms_clicks.sms_click_id as {{ dbt.type_string() }}) as touchpoint_key,
        'sms_click' as touch_type,
        'sms' as source_system,
        cast('sms.subscribers:' || sms_clicks.sms_subscriber_id as {{ dbt.type_string() }}) as record_key,
        sms_clicks.clicked_at as touched_at,
        'sms' as source,
        'sms' as medium,
        sms_messages.message_type as campaign,
        sms_messages.campaign_id,
        sms_clicks.url as landing_location,
        cast(null as {{ dbt.type_string() }}) as device_type,
        cast(null as {{ dbt.type_string() }}) as session_id,
        cast(1 as bigint) as event_count,
        false as has_cart_add,
        cast('sms_click:' || sms_clicks.sms_click_id as {{ dbt.type_string() }}) as rebuild_key,
        greatest(sms_clicks.loaded_at, coalesce(sms_messages.loaded_at, sms_clicks.loaded_at)) as loaded_at
    from sms_clicks
    left join sms_messages on sms_clicks.sms_message_id = sms_messages.sms_message_id

),

store_visits as (

    select
        cast('store_visit:' || login_id as {{ dbt.type_string() }}) as touchpoint_key,
        'store_visit' as touch_type,
        'wifi' as source_system,
        record_key,
        logged_in_at as touched_at,
        'store_wifi' as source,
        'store' as medium,
        cast(null as {{ dbt.type_string() }}) as campaign,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        store_id as landing_location,
        cast(null as {{ dbt.type_string() }}) as device_type,
        cast(null as {{ dbt.type_string() }}) as session_id,
        cast(1 as bigint) as event_count,
        false as has_cart_add,
        cast('store_visit:' || login_id as {{ dbt.type_string() }}) as rebuild_key,
        loaded_at
    from wifi_logins

),

support_contacts as (

    select
        cast('support_contact:' || ticket_id as {{ dbt.type_string() }}) as touchpoint_key,
        'support_contact' as touch_type,
        'support' as source_system,
        record_key,
        created_at as touched_at,
        'support' as source,
        coalesce(channel, '(not set)') as medium,
        reason as campaign,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as {{ dbt.type_string() }}) as landing_location,
        cast(null as {{ dbt.type_string() }}) as device_type,
        cast(null as {{ dbt.type_string() }}) as session_id,
        cast(1 as bigint) as event_count,
        false as has_cart_add,
        cast('support_contact:' || ticket_id as {{ dbt.type_string() }}) as rebuild_key,
        loaded_at
    from tickets

),

unioned as (

    select * from web_sessions
    union all
    select * from app_sessions
    union all
    select * from ad_click_touches
    union all
    select * from email_click_touches
    union all
    select * from sms_click_touches
    union all
    select * from store_visits
    union all
    select * from support_contacts

)

select
    cast(touchpoint_key as {{ dbt.type_string() }}) as touchpoint_key,
    cast(touch_type as {{ dbt.type_string() }}) as touch_type,
    cast(source_system as {{ dbt.type_string() }}) as source_system,
    cast(record_key as {{ dbt.type_string() }}) as record_key,
    cast(touched_at as timestamp) as touched_at,
    cast(lower(source) as {{ dbt.type_string() }}) as source,
    cast(lower(medium) as {{ dbt.type_string() }}) as medium,
    cast(campaign as {{ dbt.type_string() }}) as campaign,
    cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
    cast(landing_location as {{ dbt.type_string() }}) as landing_location,
    cast(device_type as {{ dbt.type_string() }}) as device_type,
    cast(session_id as {{ dbt.type_string() }}) as session_id,
    cast(event_count as bigint) as event_count,
    cast(has_cart_add as boolean) as has_cart_add,
    cast(rebuild_key as {{ dbt.type_string() }}) as rebuild_key,
    cast(loaded_at as timestamp) as loaded_at
from unioned
where touched_at is not null
