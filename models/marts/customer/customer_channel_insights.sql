{#- Engagement and purchases of every customer in every channel they used, from the
    staging models directly: web (page views, sessions), app (events, app opens as
    sessions), store (receipts and WiFi logins; a visit is a store day), marketplace,
    email and SMS (messages, opens, clicks), ads (clicks) and support (tickets);
    purchases and revenue from fct_orders by sales channel. The preferred channel has
    the most orders (then net revenue, then interactions); the discovery channel is
    the one seen first. -#}
with

identity_map as (

    select record_key, customer_id
    from {{ ref('dim_customer_identity_map') }}

),

page_views as (

    select record_key, session_id, viewed_at
    from {{ ref('stg_web_shop__page_views') }}

),

app_installs as (

    select record_key, device_id, installed_at
    from {{ ref('stg_mobile_app__installs') }}

),

app_events as (

    select device_id, event_at, event_name
    from {{ ref('stg_mobile_app__events') }}

),

receipts as (

    select record_key, store_id, receipt_at
    from {{ ref('stg_pos__receipts') }}

),

wifi_logins as (

    select record_key, store_id, logged_in_at
    from {{ ref('stg_wifi__logins') }}

),

marketplace_items as (

    select record_key, ordered_at
    from {{ ref('stg_marketplace__orders') }}

),

email_subscribers as (

    select record_key, email_subscriber_id
    from {{ ref('stg_email__subscribers') }}

),

email_sends as (

    select email_subscriber_id, sent_at
    from {{ ref('stg_email__sends') }}

),

email_opens as (

    select email_subscriber_id, opened_at
    from {{ ref('stg_email__opens') }}

),

email_clicks as (

    select email_subscriber_id, clicked_at
    from {{ ref('stg_email__clicks') }}

),

sms_subscribers as (

    select record_key, sms_subscriber_id
    from {{ ref('stg_sms__subscribers') }}

),

sms_messages as (

    select sms_subscriber_id, sent_at
    from {{ ref('stg_sms__messages') }}

),

sms_clicks as (

    select sms_subscriber_id, clicked_at
    from {{ ref('stg_sms__clicks') }}

),

ad_clicks as (

    select record_key, clicked_at
    from {{ ref('stg_ads__clicks') }}

),

tickets as (

    select record_key, created_at
    from {{ ref('stg_support__tickets') }}

),

orders as (

    select customer_id, sales_channel, ordered_at, gross_revenue, net_revenue
    from {{ ref('fct_orders') }}

),

device_customers as (

    select app_installs.device_id, min(identity_map.customer_id) as customer_id
    from app_installs
    inner join identity_map on app_installs.record_key = identity_map.record_key
    where app_installs.device_id is not null
    group by app_installs.device_id

),

email_customers as (

    select email_subscribers.email_subscriber_id, identity_map.customer_id
    from email_subscribers
    inner join identity_map on email_subscribers.record_key = identity_map.record_key

),

sms_customers as (

    select sms_subscribers.sms_subscriber_id, identity_map.customer_id
    from sms_subscribers
    inner join identity_map on sms_subscribers.record_key = identity_map.record_key

),

{#- one row per interaction: kind is view, session_start, visit, message, open, click, ticket or order -#}
activity as (

    select identity_map.customer_id, 'web' as channel, page_views.viewed_at as seen_at,
        page_views.session_id as session_key, 'view' as kind
    from page_views
    inner join identity_map on page_views.record_key = identity_map.record_key

    union all
    select identity_map.customer_id, 'app', app_installs.installed_at, cast(null as {{ dbt.type_string() }}), 'install'
    from app_installs
    inner join identity_map on app_installs.record_key = identity_map.record_key

    union all
    select device_customers.customer_id, 'app', app_events.event_at,
        case when app_events.event_name = 'app_open' then app_events.device_id || ':' || cast(app_events.event_at as {{ dbt.type_string() }}) end,
        case when app_events.event_name = 'push_open' then 'open' else 'view' end
    from app_events
    inner join device_customers on app_events.device_id = device_customers.device_id

    union all
    select identity_map.customer_id, 'store', receipts.receipt_at,
        receipts.store_id || ':' || cast(cast(receipts.receipt_at as date) as {{ dbt.type_string() }}), 'visit'
    from receipts
    inner join identity_map on receipts.record_key = identity_map.record_key

    union all
    select identity_map.customer_id, 'store', wifi_logins.logged_in_at,
        wifi_logins.store_id || ':' || cast(cast(wifi_logins.logged_in_at as date) as {{ dbt.type_string() }}), 'visit'
    from wifi_logins
    inner join identity_map on wifi_logins.record_key = identity_map.record_key

    union all
    select identity_map.customer_id, 'marketplace', marketplace_items.ordered_at, cast(null as {{ dbt.type_string() }}), 'view'
    from marketplace_items
    inner join identity_map on marketplace_items.record_key = identity_map.record_key

    union all
    select email_customers.customer_id, 'email', email_sends.sent_at, cast(null as {{ dbt.type_string() }}), 'message'
    from email_sends
    inner join email_customers on email_sends.email_subscriber_id = email_customers.email_subscriber_id

    union all
    select email_customers.customer_id, 'email', email_opens.opened_at, cast(null as {{ dbt.type_string() }}), 'open'
    from email_opens
    inner join email_customers on email_opens.email_subscriber_id = email_customers.email_subscriber_id

    union all
    select email_customers.customer_id, 'email', email_clicks.clicked_at, cast(null as {{ dbt.type_string() }}), 'click'
    from email_clicks
    inner join email_customers on email_clicks.email_subscriber_id = email_customers.email_subscriber_id

    union all
    select sms_customers.customer_id, 'sms', sms_messages.sent_at, cast(null as {{ dbt.type_string() }}), 'message'
    from sms_messages
    inner join sms_customers on sms_messages.sms_subscriber_id = sms_customers.sms_subscriber_id

    union all
    select sms_customers.customer_id, 'sms', sms_clicks.clicked_at, cast(null as {{ dbt.type_string() }}), 'click'
    from sms_clicks
    inner join sms_customers on sms_clicks.sms_subscriber_id = sms_customers.sms_subscriber_id

    union all
    select identity_map.customer_id, 'ads', ad_clicks.clicked_at, cast(null as {{ dbt.type_string() }}), 'click'
    from ad_clicks
    inner join identity_map on ad_clicks.record_key = identity_map.record_key

    union all
    select identity_map.customer_id, 'support', tickets.created_at, cast(null as {{ dbt.type_string() }}), 'ticket'
    from tickets
    inner join identity_map on tickets.record_key = identity_map.record_key

    union all
    select customer_id, sales_channel, ordered_at, cast(null as {{ dbt.type_string() }}), 'order'
    from orders

),

engagement as (

    select
        customer_id,
        channel,
        min(seen_at) as first_seen_at,
        max(seen_at) as last_seen_at,
        count(distinct session_key) as sessions,
        sum(case when kind <> 'order' then 1 else 0 end) as interactions,
        sum(case when kind = 'message' then 1 else 0 end) as messages_received,
        sum(case when kind = 'open' then 1 else 0 end) as opens,
        sum(case when kind = 'click' then 1 else 0 end) as clicks
    from activity
    group by customer_id, channel

),

purchases as (

    select
        customer_id,
        sales_channel as channel,
        count(*) as orders,
        sum(gross_revenue) as gross_revenue,
        sum(net_revenue) as net_revenue
    from orders
    group by customer_id, sales_channel

),

combined as (

    select
        engagement.customer_id,
        engagement.channel,
        engagement.first_seen_at,
        engagement.last_seen_at,
        engagement.sessions,
        engagement.interactions,
        engagement.messages_received,
        engagement.opens,
        engagement.clicks,
        coalesce(purchases.orders, 0) as orders,
        coalesce(purchases.gross_revenue, 0) as gross_revenue,
        coalesce(purchases.net_revenue, 0) as net_revenue
    from engagement
    left join purchases
        on engagement.customer_id = purchases.customer_id
        and engagement.channel = purchases.channel

),

ranked as (

    select
        combined.*,
        sum(net_revenue) over (partition by customer_id) as customer_net_revenue,
        row_number() over (
            partition by customer_id
            order by orders desc, net_revenue desc, interactions - messages_received desc, channel
        ) as preference_rank,
        row_number() over (
            partition by customer_id
            order by first_seen_at nulls last, channel
        ) as discovery_rank
    from combined

)

select
    cast(customer_id || ':' || channel as {{ dbt.type_string() }}) as customer_channel_key,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(channel as {{ dbt.type_string() }}) as channel,
    channel in ('web', 'app', 'marketplace') as is_online_sales_channel,
    first_seen_at,
    last_seen_at,
    cast(sessions as bigint) as sessions,
    cast(interactions as bigint) as interactions,
    cast(messages_received as bigint) as messages_received,
    cast(opens as bigint) as opens,
    cast(clicks as bigint) as clicks,
    cast(orders as bigint) as orders,
    cast(gross_revenue as double) as gross_revenue,
    cast(net_revenue as double) as net_revenue,
    cast(case when customer_net_revenue > 0 then net_revenue / customer_net_revenue end as double) as share_of_net_revenue,
    preference_rank = 1 as is_preferred_channel,
    discovery_rank = 1 as is_discovery_channel
from ranked
