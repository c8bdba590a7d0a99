{#- Shapley value of every channel in the cooperative game of the journeys, computed
    exactly over every coalition of channels. The value of a coalition S of channels is
    the conversion rate of the paths (converting and not) that use only channels in S:
        v(S) = conversions of paths whose channel set lies in S / paths whose channel set lies in S
    (v = 0 when no path lies in S; the empty coalition has no path). The Shapley value of
    channel i is the average over every order of adding the channels of what i adds:
        phi(i) = sum over S not holding i of |S|! (n - |S| - 1)! / n! * (v(S + i) - v(S))
    with n the channels seen in the paths. The values add up to v(all channels), the
    overall conversion rate; a channel whose paths convert less often than those without
    it gets a negative value. Channels are numbered 0..n-1 and a coalition is the bit
    mask of its channels; there are 2^n coalitions, so n is capped by var
    attribution_shapley_max_channels (above it the model is empty and the test
    attribution_shapley_channel_limit fails).
    Grain: one row per channel. -#}
{%- set max_channels = var('attribution_shapley_max_channels') | int -%}

with

path_touches as (

    select distinct path_key, is_converting, channel
    from {{ ref('int_journey_path_touches') }}

),

channels as (

    select
        channel,
        row_number() over (order by channel) - 1 as channel_number
    from (select distinct channel from path_touches) as distinct_channels

),

channel_bits as (

    select
        channel,
        channel_number,
        cast(power(2, channel_number) as bigint) as channel_bit,
        count(*) over () as channel_count
    from channels

),

path_sets as (

    select
        path_touches.path_key,
        max(case when path_touches.is_converting then 1 else 0 end) as converts,
        cast(sum(channel_bits.channel_bit) as bigint) as channel_set
    from path_touches
    inner join channel_bits on path_touches.channel = channel_bits.channel
    group by path_touches.path_key

),

channel_sets as (

    select channel_set, count(*) as paths, sum(converts) as conversions
    from path_sets
    group by channel_set

),

-- every coalition: the bit masks 0 .. 2^n - 1
channel_count as (

    select count(*) as channel_count
    from channels
    having count(*) <= {{ max_channels }}

),

masks as (

    select {{ omnichannel_cdp.integer_series('cast(power(2, channel_count) as bigint)') }} as coalition
    from channel_count

),

coalitions as (

    select coalition, bit_count(coalition) as coalition_size
    from masks

),

coalition_values as (

    select
        coalitions.coalition,
        coalitions.coalition_size,
        coalesce(cast(sum(channel_sets.conversions) as double) / sum(channel_sets.paths), cast(0 as double)) as coalition_value
    from coalitions
    left join channel_sets
        on (channel_sets.channel_set | coalitions.coalition) = coalitions.coalition
    group by coalitions.coalition, coalitions.coalition_size

),

marginals as (

    select
        channel_bits.channel,
        channel_bits.channel_number,
        cast(factorial(cast(without.coalition_size as int)) as double)
            * cast(factorial(cast(channel_bits.channel_count - without.coalition_size - 1 as int)) as double)
            / cast(factorial(cast(channel_bits.channel_count as int)) as double)
            * (with_channel.coalition_value - without.coalition_value) as weighted_contribution
    from channel_bits
    inner join coalition_values as without
        on (without.coalition & channel_bits.channel_bit) = 0
    inner join coalition_values as with_channel
        on with_channel.coalition = without.coalition + channel_bits.channel_bit

),

shapley as (

    select channel, channel_number, sum(weighted_contribution) as shapley_value
    from marginals
    group by channel, channel_number

),

shared as (

    select
        shapley.*,
        case when sum(greatest(shapley_value, 0)) over () > 0
            then greatest(shapley_value, 0) / sum(greatest(shapley_value, 0)) over ()
            else cast(0 as double) end as positive_share
    from shapley

)

select
    cast(channel as {{ dbt.type_string() }}) as channel,
    cast(channel_number as bigint) as channel_number,
    cast(shapley_value as double) as shapley_value,
    cast(positive_share as double) as positive_share
from shared
