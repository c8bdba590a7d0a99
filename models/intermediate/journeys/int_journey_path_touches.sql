{#- Touches assigned to journey paths. A converting path ends at a conversion and holds
    the customer's touches after their previous conversion, up to the conversion, that
    lie within their channel's lookback window (var attribution_lookback_days). A
    non-converting ("open") path holds the touches after a customer's last conversion
    (all touches of a customer who never converted) within their channel's lookback
    window before the path's last touch. Touches of a customer outside every window are
    in no path. Touches without a customer are in no path.
    Grain: one row per touch in a path (path_key × touchpoint_key; a touch is in at most
    one path). -#}

with

touches as (

    select touchpoint_key, customer_id, touched_at, channel, campaign_id, is_direct, has_cart_add
    from {{ ref('fct_touchpoints') }}
    where customer_id is not null

),

conversions as (

    select conversion_key, customer_id, converted_at, previous_converted_at
    from {{ ref('int_journey_conversions') }}

),

last_conversions as (

    select customer_id, max(converted_at) as last_converted_at
    from conversions
    group by customer_id

),

converting as (

    select
        conversions.conversion_key as path_key,
        touches.customer_id,
        conversions.conversion_key,
        true as is_converting,
        touches.touchpoint_key,
        touches.touched_at,
        touches.channel,
        touches.campaign_id,
        touches.is_direct,
        touches.has_cart_add,
        conversions.converted_at as path_end_at
    from touches
    inner join conversions
        on touches.customer_id = conversions.customer_id
        and touches.touched_at <= conversions.converted_at
        and (conversions.previous_converted_at is null or touches.touched_at > conversions.previous_converted_at)
    where {{ omnichannel_cdp.epoch_seconds('conversions.converted_at') }} - {{ omnichannel_cdp.epoch_seconds('touches.touched_at') }}
        <= 86400 * {{ omnichannel_cdp.lookback_days_for('touches.channel') }}

),

open_touches as (

    select
        touches.*,
        max(touches.touched_at) over (partition by touches.customer_id) as path_end_at
    from touches
    left join last_conversions on touches.customer_id = last_conversions.customer_id
    where last_conversions.last_converted_at is null or touches.touched_at > last_conversions.last_converted_at

),

non_converting as (

    select
        cast('open:' || customer_id as {{ dbt.type_string() }}) as path_key,
        customer_id,
        cast(null as {{ dbt.type_string() }}) as conversion_key,
        false as is_converting,
        touchpoint_key,
        touched_at,
        channel,
        campaign_id,
        is_direct,
        has_cart_add,
        path_end_at
    from open_touches
    where {{ omnichannel_cdp.epoch_seconds('path_end_at') }} - {{ omnichannel_cdp.epoch_seconds('touched_at') }}
        <= 86400 * {{ omnichannel_cdp.lookback_days_for('channel') }}

),

path_touches as (

    select * from converting
    union all
    select * from non_converting

),

positioned as (

    select
        path_touches.*,
        row_number() over (partition by path_key order by touched_at, touchpoint_key) as touch_index,
        count(*) over (partition by path_key) as touch_count
    from path_touches

)

select
    cast(path_key as {{ dbt.type_string() }}) as path_key,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(conversion_key as {{ dbt.type_string() }}) as conversion_key,
    cast(is_converting as boolean) as is_converting,
    cast(touchpoint_key as {{ dbt.type_string() }}) as touchpoint_key,
    cast(touched_at as timestamp) as touched_at,
    cast(channel as {{ dbt.type_string() }}) as channel,
    cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
    cast(is_direct as boolean) as is_direct,
    cast(has_cart_add as boolean) as has_cart_add,
    cast(path_end_at as timestamp) as path_end_at,
    cast(touch_index as bigint) as touch_index,
    cast(touch_count as bigint) as touch_count,
    cast(({{ omnichannel_cdp.epoch_seconds('path_end_at') }} - {{ omnichannel_cdp.epoch_seconds('touched_at') }}) / 86400.0 as double)
        as days_before_path_end
from positioned
