{#- Cart abandonment and cross-device drop-off: one row per web or app session with an
    add to cart. The session converts when the customer buys anything (any sales
    channel) within var journey_cart_conversion_hours of its start; otherwise the cart
    is abandoned. A cross-device drop-off is an abandoned cart after which the customer
    came back on the other device type within the window (cart on the app, a web
    session, no purchase). is_window_complete is false for carts too recent to judge
    (the window reaches past the last event in the data); their flags are null.
    is_cross_channel_conversion: the purchase was in another sales channel than the
    cart's device (app cart bought on the web or in a store, web cart bought in the app).
    Grain: one row per cart session (touchpoint_key). -#}
{%- set window_seconds = var('journey_cart_conversion_hours') | int * 3600 -%}

with

touchpoints as (

    select touchpoint_key, customer_id, touch_type, touched_at, has_cart_add
    from {{ ref('fct_touchpoints') }}
    where customer_id is not null and touch_type in ('web_session', 'app_session')

),

conversions as (

    select conversion_key, customer_id, converted_at, sales_channel
    from {{ ref('int_journey_conversions') }}

),

data_end as (

    select data_end_at
    from {{ ref('int_journey_data_end') }}

),

carts as (

    select
        touchpoint_key,
        customer_id,
        touch_type,
        case when touch_type = 'app_session' then 'app' else 'web' end as cart_device,
        touched_at as carted_at
    from touchpoints
    where has_cart_add

),

first_conversions as (

    select
        carts.touchpoint_key,
        conversions.conversion_key,
        conversions.converted_at,
        conversions.sales_channel,
        row_number() over (partition by carts.touchpoint_key order by conversions.converted_at, conversions.conversion_key)
            as conversion_rank
    from carts
    inner join conversions
        on carts.customer_id = conversions.customer_id
        and conversions.converted_at >= carts.carted_at
        and {{ omnichannel_cdp.epoch_seconds('conversions.converted_at') }} - {{ omnichannel_cdp.epoch_seconds('carts.carted_at') }}
            <= {{ window_seconds }}

),

other_device_returns as (

    select distinct carts.touchpoint_key
    from carts
    inner join touchpoints as later
        on carts.customer_id = later.customer_id
        and later.touch_type <> carts.touch_type
        and later.touched_at > carts.carted_at
        and {{ omnichannel_cdp.epoch_seconds('later.touched_at') }} - {{ omnichannel_cdp.epoch_seconds('carts.carted_at') }}
            <= {{ window_seconds }}

),

flagged as (

    select
        carts.touchpoint_key,
        carts.customer_id,
        carts.cart_device,
        carts.carted_at,
        first_conversions.conversion_key,
        first_conversions.converted_at,
        first_conversions.sales_channel as conversion_sales_channel,
        other_device_returns.touchpoint_key is not null as returned_on_other_device,
        {{ omnichannel_cdp.epoch_seconds('data_end.data_end_at') }} - {{ omnichannel_cdp.epoch_seconds('carts.carted_at') }}
            >= {{ window_seconds }} as is_window_complete
    from carts
    cross join data_end
    left join first_conversions
        on carts.touchpoint_key = first_conversions.touchpoint_key
        and first_conversions.conversion_rank = 1
    left join other_device_returns on carts.touchpoint_key = other_device_returns.touchpoint_key

)

select
    cast(touchpoint_key as {{ dbt.type_string() }}) as touchpoint_key,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(cart_device as {{ dbt.type_string() }}) as cart_device,
    cast(carted_at as timestamp) as carted_at,
    cast(conversion_key as {{ dbt.type_string() }}) as conversion_key,
    cast(converted_at as timestamp) as converted_at,
    cast(conversion_sales_channel as {{ dbt.type_string() }}) as conversion_sales_channel,
    cast(returned_on_other_device as boolean) as returned_on_other_device,
    cast(is_window_complete as boolean) as is_window_complete,
    cast(case when conversion_key is not null then false when is_window_complete then true end as boolean) as is_abandoned,
    cast(case
        when conversion_key is not null then false
        when is_window_complete then returned_on_other_device
    end as boolean) as is_cross_device_drop_off,
    cast(case
        when conversion_key is null then false
        else cart_device <> coalesce(conversion_sales_channel, '')
    end as boolean) as is_cross_channel_conversion
from flagged
