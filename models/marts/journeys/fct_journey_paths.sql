{#- One row per journey path: every conversion (its path may hold no touch: a store
    purchase nobody was tracked to) and every customer's non-converting path after
    their last conversion. Summary: touches, distinct channels, days from the first
    touch to the conversion, the opening channel (first touch), assisting channels
    (distinct channels of the touches between first and last) and closing channel (last
    touch), and the ordered channel path. Grain: one row per path (path_key). -#}
{#- the columns of converting and non_converting, in the order their union lines them up -#}
{%- set path_columns = 'path_key, customer_id, conversion_key, is_converting, conversion_number, '
    ~ 'sales_channel, revenue, currency, first_touched_at, path_end_at, converted_at, touchpoints, '
    ~ 'distinct_channels, opening_channel, assisting_channels, closing_channel, channel_path' -%}

with

path_touches as (

    select path_key, customer_id, conversion_key, is_converting, channel, touched_at, path_end_at, touch_index, touch_count
    from {{ ref('int_journey_path_touches') }}

),

conversions as (

    select conversion_key, customer_id, converted_at, sales_channel, revenue, currency, conversion_number
    from {{ ref('int_journey_conversions') }}

),

summarised as (

    select
        path_key,
        min(customer_id) as customer_id,
        max(touch_count) as touchpoints,
        count(distinct channel) as distinct_channels,
        min(touched_at) as first_touched_at,
        max(touched_at) as last_touched_at,
        max(path_end_at) as path_end_at,
        max(case when touch_index = 1 then channel end) as opening_channel,
        max(case when touch_index = touch_count then channel end) as closing_channel,
        {{ omnichannel_cdp.distinct_string_agg('case when touch_index > 1 and touch_index < touch_count then channel end', ', ') }}
            as assisting_channels,
        {{ omnichannel_cdp.ordered_string_agg('channel', 'touch_index', ' > ') }} as channel_path
    from path_touches
    group by path_key

),

converting as (

    select
        conversions.conversion_key as path_key,
        conversions.customer_id,
        conversions.conversion_key,
        true as is_converting,
        conversions.conversion_number,
        conversions.sales_channel,
        conversions.revenue,
        conversions.currency,
        summarised.first_touched_at,
        conversions.converted_at as path_end_at,
        conversions.converted_at,
        coalesce(summarised.touchpoints, 0) as touchpoints,
        coalesce(summarised.distinct_channels, 0) as distinct_channels,
        summarised.opening_channel,
        summarised.assisting_channels,
        summarised.closing_channel,
        summarised.channel_path
    from conversions
    left join summarised on conversions.conversion_key = summarised.path_key

),

non_converting as (

    select
        summarised.path_key,
        summarised.customer_id,
        cast(null as {{ dbt.type_string() }}) as conversion_key,
        false as is_converting,
        cast(null as bigint) as conversion_number,
        cast(null as {{ dbt.type_string() }}) as sales_channel,
        cast(null as double) as revenue,
        cast(null as {{ dbt.type_string() }}) as currency,
        summarised.first_touched_at,
        summarised.path_end_at,
        cast(null as timestamp) as converted_at,
        summarised.touchpoints,
        summarised.distinct_channels,
        summarised.opening_channel,
        summarised.assisting_channels,
        summarised.closing_channel,
        summarised.channel_path
    from summarised
    where summarised.path_key like 'open:%'

),

paths as (

    select {{ path_columns }} from converting
    union all
    select {{ path_columns }} from non_converting

)

select
    cast(path_key as {{ dbt.type_string() }}) as path_key,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(conversion_key as {{ dbt.type_string() }}) as conversion_key,
    cast(is_converting as boolean) as is_converting,
    cast(conversion_number as bigint) as conversion_number,
    cast(sales_channel as {{ dbt.type_string() }}) as sales_channel,
    cast(revenue as double) as revenue,
    cast(currency as {{ dbt.type_string() }}) as currency,
    cast(first_touched_at as timestamp) as first_touched_at,
    cast(path_end_at as timestamp) as path_end_at,
    cast(converted_at as timestamp) as converted_at,
    cast(touchpoints as bigint) as touchpoints,
    cast(distinct_channels as bigint) as distinct_channels,
    cast(case when is_converting and first_touched_at is not null
        then ({{ omnichannel_cdp.epoch_seconds('converted_at') }} - {{ omnichannel_cdp.epoch_seconds('first_touched_at') }}) / 86400.0
        end as double) as days_to_conversion,
    cast(opening_channel as {{ dbt.type_string() }}) as opening_channel,
    cast(assisting_channels as {{ dbt.type_string() }}) as assisting_channels,
    cast(closing_channel as {{ dbt.type_string() }}) as closing_channel,
    cast(channel_path as {{ dbt.type_string() }}) as channel_path
from paths
