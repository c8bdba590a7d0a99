{#- Every touch of every channel with its customer and channel. The channel is the first
    rule of seed attribution_channel_grouping that matches the touch type, source and
    medium (the catch-all rule gives 'other'). A click (ad, email, SMS) whose landing web
    session of the same customer and channel starts within var
    journey_click_landing_minutes of it is one touch with that session, not two: the
    session is kept and takes the click's campaign; clicks with no landing session (the
    web tag blocked, the app opened) stay touches of their own. customer_id is null when
    the touch's identity record is unknown (an app device with no install record).
    Grain: one row per touch (touchpoint_key). -#}
{%- set landing_seconds = var('journey_click_landing_minutes') | int * 60 -%}

with

touches as (

    select
        touchpoint_key, touch_type, source_system, record_key, touched_at, source, medium,
        campaign, campaign_id, landing_location, device_type, session_id, event_count, has_cart_add
    from {{ ref('int_journey_touches_unioned') }}

),

identity_map as (

    select record_key, customer_id
    from {{ ref('dim_customer_identity_map') }}

),

channel_rules as (

    select rule_order, touch_type_pattern, source_pattern, medium_pattern, channel, is_paid, is_direct
    from {{ ref('attribution_channel_grouping') }}

),

-- the first matching rule wins; rules are matched once per distinct touch type,
-- source and medium, not once per touch
touch_kinds as (

    select distinct touch_type, coalesce(source, '') as source, coalesce(medium, '') as medium
    from touches

),

kind_channels as (

    select
        touch_kinds.touch_type,
        touch_kinds.source,
        touch_kinds.medium,
        channel_rules.channel,
        channel_rules.is_paid,
        channel_rules.is_direct,
        channel_rules.rule_order
    from touch_kinds
    inner join channel_rules
        on touch_kinds.touch_type like channel_rules.touch_type_pattern
        and touch_kinds.source like channel_rules.source_pattern
        and touch_kinds.medium like channel_rules.medium_pattern
    qualify row_number() over (
        partition by touch_kinds.touch_type, touch_kinds.source, touch_kinds.medium
        order by channel_rules.rule_order
    ) = 1

),

grouped as (

    select
        touches.touchpoint_key,
        touches.touch_type,
        touches.source_system,
        touches.record_key,
        identity_map.customer_id,
        touches.touched_at,
        touches.source,
        touches.medium,
        touches.campaign,
        touches.campaign_id,
        touches.landing_location,
        touches.device_type,
        touches.session_id,
        touches.event_count,
        touches.has_cart_add,
        kind_channels.channel,
        kind_channels.is_paid,
        kind_channels.is_direct,
        kind_channels.rule_order as channel_rule_order
    from touches
    left join identity_map on touches.record_key = identity_map.record_key
    inner join kind_channels
        on touches.touch_type = kind_channels.touch_type
        and coalesce(touches.source, '') = kind_channels.source
        and coalesce(touches.medium, '') = kind_channels.medium

),

-- clicks that landed in a web session of the same customer and channel
click_landings as (

    select
        clicks.touchpoint_key as click_touchpoint_key,
        sessions.touchpoint_key as session_touchpoint_key,
        clicks.campaign,
        clicks.campaign_id,
        row_number() over (
            partition by sessions.touchpoint_key
            order by sessions.touched_at desc, clicks.touched_at desc, clicks.touchpoint_key
        ) as click_rank
    from grouped as clicks
    inner join grouped as sessions
        on clicks.customer_id = sessions.customer_id
        and clicks.channel = sessions.channel
        and sessions.touch_type = 'web_session'
        and {{ omnichannel_cdp.epoch_seconds('sessions.touched_at') }}
            between {{ omnichannel_cdp.epoch_seconds('clicks.touched_at') }}
            and {{ omnichannel_cdp.epoch_seconds('clicks.touched_at') }} + {{ landing_seconds }}
    where clicks.touch_type in ('ad_click', 'email_click', 'sms_click')

),

landed_clicks as (

    select distinct click_touchpoint_key
    from click_landings

),

session_campaigns as (

    select session_touchpoint_key, campaign, campaign_id
    from click_landings
    where click_rank = 1

)

select
    cast(grouped.touchpoint_key as {{ dbt.type_string() }}) as touchpoint_key,
    cast(grouped.customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(grouped.touch_type as {{ dbt.type_string() }}) as touch_type,
    cast(grouped.source_system as {{ dbt.type_string() }}) as source_system,
    cast(grouped.record_key as {{ dbt.type_string() }}) as record_key,
    cast(grouped.touched_at as timestamp) as touched_at,
    cast(grouped.touched_at as date) as touch_date,
    cast(grouped.channel as {{ dbt.type_string() }}) as channel,
    cast(grouped.is_paid as boolean) as is_paid,
    cast(grouped.is_direct as boolean) as is_direct,
    cast(grouped.channel_rule_order as bigint) as channel_rule_order,
    cast(grouped.source as {{ dbt.type_string() }}) as source,
    cast(grouped.medium as {{ dbt.type_string() }}) as medium,
    cast(coalesce(grouped.campaign, session_campaigns.campaign) as {{ dbt.type_string() }}) as campaign,
    cast(coalesce(grouped.campaign_id, session_campaigns.campaign_id) as {{ dbt.type_string() }}) as campaign_id,
    cast(grouped.landing_location as {{ dbt.type_string() }}) as landing_location,
    cast(grouped.device_type as {{ dbt.type_string() }}) as device_type,
    cast(grouped.session_id as {{ dbt.type_string() }}) as session_id,
    cast(grouped.event_count as bigint) as event_count,
    cast(grouped.has_cart_add as boolean) as has_cart_add
from grouped
left join landed_clicks on grouped.touchpoint_key = landed_clicks.click_touchpoint_key
left join session_campaigns on grouped.touchpoint_key = session_campaigns.session_touchpoint_key
where landed_clicks.click_touchpoint_key is null
