{#- Credit of each touch of each converting path under the rule-based models and the
    Shapley model. Every model's credits of a path sum to 1.
    - first_touch / last_touch: all credit to the first / last touch.
    - last_non_direct: all credit to the last touch whose channel is not direct (the last
      touch when all are direct).
    - linear: 1 / touches.
    - time_decay: weight 2^(-days before the conversion / var
      attribution_time_decay_half_life_days), normalised per path.
    - position_based: var attribution_position_based_weights first / last shares, the
      middle touches split the rest; one touch gets 1, two touches split first : last.
    - w_shaped: var attribution_w_shaped_weights for the first touch, the milestone (the
      first touch of the path with an add to cart) and the last touch; touches holding
      no role split `other`; a touch's role weights add up; normalised per path.
    - shapley: the path's distinct channels share the conversion in proportion to their
      Shapley values (int_attribution_shapley_values, exact over every coalition of
      channels, v(S) = conversion rate of the paths using only channels in S), a negative
      value counting as 0; equal shares when no channel of the path has a positive
      value. A channel's share splits equally over its touches in the path.
    Weights given as decimals are used as written (the middle share of the position-based
    model is 1 - first - last rounded to 12 places).
    Grain: one row per touch of a converting path (conversion_key × touchpoint_key), one
    credit column per model. -#}
{%- set half_life = var('attribution_time_decay_half_life_days') | float -%}
{%- set pos = var('attribution_position_based_weights') -%}
{%- set pos_first = pos['first'] | float -%}
{%- set pos_last = pos['last'] | float -%}
{%- set w = var('attribution_w_shaped_weights') -%}

with

path_touches as (

    select conversion_key, touchpoint_key, channel, is_direct, has_cart_add, touch_index, touch_count, days_before_path_end
    from {{ ref('int_journey_path_touches') }}
    where is_converting

),

shapley_values as (

    select channel, greatest(shapley_value, cast(0 as double)) as positive_value
    from {{ ref('int_attribution_shapley_values') }}

),

-- the distinct channels of each path and their positive Shapley values
path_channel_values as (

    select distinct path_touches.conversion_key, path_touches.channel, shapley_values.positive_value
    from path_touches
    inner join shapley_values on path_touches.channel = shapley_values.channel

),

-- per path (Spark has no distinct window aggregates)
path_channels as (

    select conversion_key, count(*) as distinct_channels, sum(positive_value) as path_shapley_value
    from path_channel_values
    group by conversion_key

),

enriched as (

    select
        path_touches.*,
        coalesce(
            max(case when not path_touches.is_direct then path_touches.touch_index end)
                over (partition by path_touches.conversion_key),
            path_touches.touch_count
        ) as last_non_direct_index,
        min(case when path_touches.has_cart_add then path_touches.touch_index end)
            over (partition by path_touches.conversion_key) as milestone_index,
        exp(-ln(cast(2 as double)) * path_touches.days_before_path_end / cast({{ half_life }} as double)) as decay_weight,
        count(*) over (partition by path_touches.conversion_key, path_touches.channel) as channel_touches,
        path_channels.distinct_channels,
        path_channels.path_shapley_value,
        shapley_values.positive_value as shapley_value
    from path_touches
    inner join path_channels on path_touches.conversion_key = path_channels.conversion_key
    inner join shapley_values on path_touches.channel = shapley_values.channel

),

w_roles as (

    select
        enriched.*,
        case when touch_index = 1 then 1 else 0 end as is_first,
        case when touch_index = touch_count then 1 else 0 end as is_last,
        case when touch_index = milestone_index then 1 else 0 end as is_milestone
    from enriched

),

w_raw as (

    select
        w_roles.*,
        sum(case when is_first + is_last + is_milestone = 0 then 1 else 0 end) over (partition by conversion_key)
            as no_role_touches
    from w_roles

),

w_weighted as (

    select
        w_raw.*,
        cast({{ w['first'] | float }} as double) * is_first
        + cast({{ w['milestone'] | float }} as double) * is_milestone
        + cast({{ w['last'] | float }} as double) * is_last
        + case when is_first + is_last + is_milestone = 0
            then cast({{ w['other'] | float }} as double) / no_role_touches else cast(0 as double) end
            as w_weight
    from w_raw

),

scored as (

    select
        conversion_key,
        touchpoint_key,
        channel,
        touch_index,
        touch_count,
        case when touch_index = 1 then cast(1 as double) else cast(0 as double) end as first_touch,
        case when touch_index = touch_count then cast(1 as double) else cast(0 as double) end as last_touch,
        case when touch_index = last_non_direct_index then cast(1 as double) else cast(0 as double) end as last_non_direct,
        cast(1 as double) / touch_count as linear,
        decay_weight / sum(decay_weight) over (partition by conversion_key) as time_decay,
        case
            when touch_count = 1 then cast(1 as double)
            when touch_count = 2 and touch_index = 1 then cast({{ pos_first }} as double) / cast({{ pos_first + pos_last }} as double)
            when touch_count = 2 then cast({{ pos_last }} as double) / cast({{ pos_first + pos_last }} as double)
            when touch_index = 1 then cast({{ pos_first }} as double)
            when touch_index = touch_count then cast({{ pos_last }} as double)
            else cast({{ (1 - pos_first - pos_last) | round(12) }} as double) / (touch_count - 2)
        end as position_based,
        w_weight / sum(w_weight) over (partition by conversion_key) as w_shaped,
        case
            when path_shapley_value > 0 then shapley_value / path_shapley_value / channel_touches
            else cast(1 as double) / (distinct_channels * channel_touches)
        end as shapley
    from w_weighted

)

select
    cast(conversion_key as {{ dbt.type_string() }}) as conversion_key,
    cast(touchpoint_key as {{ dbt.type_string() }}) as touchpoint_key,
    cast(channel as {{ dbt.type_string() }}) as channel,
    cast(touch_index as bigint) as touch_index,
    cast(touch_count as bigint) as touch_count,
    cast(first_touch as double) as first_touch,
    cast(last_touch as double) as last_touch,
    cast(last_non_direct as double) as last_non_direct,
    cast(linear as double) as linear,
    cast(time_decay as double) as time_decay,
    cast(position_based as double) as position_based,
    cast(w_shaped as double) as w_shaped,
    cast(shapley as double) as shapley
from scored
