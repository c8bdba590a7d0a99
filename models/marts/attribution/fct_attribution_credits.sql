{#- Conversion credit of every touch of every converting path under every attribution
    model: first_touch, last_touch, last_non_direct, linear, time_decay, position_based,
    w_shaped, shapley (int_attribution_rule_credits) and markov_order_<k> for each order
    in var attribution_markov_orders. A Markov model splits a conversion over the
    distinct channels of its path in proportion to their removal effects
    (fct_attribution_markov_effects), and a channel's part equally over its touches.
    A conversion with no touch in its lookback windows gets one row per model with
    channel 'unattributed' and no touchpoint, so every conversion's credits sum to 1 per
    model (test) and revenue credits add up to conversion revenue.
    Grain: attribution_model × conversion_key × touchpoint_key (credit_key). -#}
{%- set all_models = omnichannel_cdp.attribution_model_names() -%}
{%- set rule_models = [] -%}
{%- for m in all_models if not m.startswith('markov_order_') %}{% do rule_models.append(m) %}{% endfor -%}
{#- the columns of every credits CTE, in the order their unions line them up -#}
{%- set credit_columns = 'attribution_model, conversion_key, touchpoint_key, channel, touch_index, touch_count, credit' -%}

with

conversions as (

    select conversion_key, customer_id, converted_at, sales_channel, currency, revenue, conversion_number
    from {{ ref('int_journey_conversions') }}

),

rule_credits_wide as (

    select
        conversion_key, touchpoint_key, channel, touch_index, touch_count,
        {{ rule_models | join(', ') }}
    from {{ ref('int_attribution_rule_credits') }}

),

rule_credits as (
{%- for m in rule_models %}
    select '{{ m }}' as attribution_model, conversion_key, touchpoint_key, channel, touch_index, touch_count, {{ m }} as credit
    from rule_credits_wide
    {%- if not loop.last %}
    union all
    {%- endif %}
{%- endfor %}

),

path_touches as (

    select conversion_key, touchpoint_key, channel, touch_index, touch_count
    from {{ ref('int_journey_path_touches') }}
    where is_converting

),

markov_effects as (

    select attribution_model, channel, removal_effect
    from {{ ref('fct_attribution_markov_effects') }}

),

touchpoints as (

    select touchpoint_key, touched_at, campaign_id
    from {{ ref('fct_touchpoints') }}

),

-- Markov: each distinct channel of a path gets its removal effect's share of the path
path_channels as (

    select conversion_key, channel, count(*) as channel_touches
    from path_touches
    group by conversion_key, channel

),

path_channel_effects as (

    select
        markov_effects.attribution_model,
        path_channels.conversion_key,
        path_channels.channel,
        path_channels.channel_touches,
        greatest(markov_effects.removal_effect, cast(0 as double)) as removal_effect,
        sum(greatest(markov_effects.removal_effect, cast(0 as double)))
            over (partition by markov_effects.attribution_model, path_channels.conversion_key) as path_removal_effect,
        count(*) over (partition by markov_effects.attribution_model, path_channels.conversion_key) as path_channels
    from path_channels
    inner join markov_effects on path_channels.channel = markov_effects.channel

),

markov_credits as (

    select
        path_channel_effects.attribution_model,
        path_touches.conversion_key,
        path_touches.touchpoint_key,
        path_touches.channel,
        path_touches.touch_index,
        path_touches.touch_count,
        case
            when path_channel_effects.path_removal_effect > 0
                then path_channel_effects.removal_effect / path_channel_effects.path_removal_effect
                    / path_channel_effects.channel_touches
            -- no channel of the path has an effect (cannot happen for a converting path
            -- unless the effects round to 0): split like Shapley
            else cast(1 as double) / path_channel_effects.path_channels / path_channel_effects.channel_touches
        end as credit
    from path_touches
    inner join path_channel_effects
        on path_touches.conversion_key = path_channel_effects.conversion_key
        and path_touches.channel = path_channel_effects.channel

),

touch_credits as (

    select {{ credit_columns }} from rule_credits
    union all
    select {{ credit_columns }} from markov_credits

),

-- conversions without a touch in their lookback windows
unattributed as (
{%- for m in all_models %}
    select
        '{{ m }}' as attribution_model,
        conversions.conversion_key,
        cast(null as {{ dbt.type_string() }}) as touchpoint_key,
        'unattributed' as channel,
        cast(0 as bigint) as touch_index,
        cast(0 as bigint) as touch_count,
        cast(1 as double) as credit
    from conversions
    left join (select distinct conversion_key from path_touches) as touched
        on conversions.conversion_key = touched.conversion_key
    where touched.conversion_key is null
    {%- if not loop.last %}
    union all
    {%- endif %}
{%- endfor %}

),

credits as (

    select {{ credit_columns }} from touch_credits
    union all
    select {{ credit_columns }} from unattributed

),

settings as (
{%- for m in all_models %}
    select '{{ m }}' as attribution_model, {{ omnichannel_cdp.sql_string(omnichannel_cdp.attribution_settings(m)) }} as model_settings
    {%- if not loop.last %}
    union all
    {%- endif %}
{%- endfor %}

)

select
    cast(credits.attribution_model || ':' || credits.conversion_key || ':' || coalesce(credits.touchpoint_key, 'unattributed')
        as {{ dbt.type_string() }}) as credit_key,
    cast(credits.attribution_model as {{ dbt.type_string() }}) as attribution_model,
    cast(settings.model_settings as {{ dbt.type_string() }}) as model_settings,
    cast(credits.conversion_key as {{ dbt.type_string() }}) as conversion_key,
    cast(conversions.customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(conversions.converted_at as timestamp) as converted_at,
    cast(conversions.converted_at as date) as conversion_date,
    cast(conversions.sales_channel as {{ dbt.type_string() }}) as sales_channel,
    cast(conversions.conversion_number as bigint) as conversion_number,
    cast(credits.touchpoint_key as {{ dbt.type_string() }}) as touchpoint_key,
    cast(credits.channel as {{ dbt.type_string() }}) as channel,
    cast(touchpoints.campaign_id as {{ dbt.type_string() }}) as campaign_id,
    cast(touchpoints.touched_at as timestamp) as touched_at,
    cast(touchpoints.touched_at as date) as touch_date,
    cast(credits.touch_index as bigint) as touch_index,
    cast(credits.touch_count as bigint) as touch_count,
    cast(credits.credit as double) as conversion_credit,
    cast(credits.credit * conversions.revenue as double) as revenue_credit,
    cast(conversions.currency as {{ dbt.type_string() }}) as currency
from credits
inner join conversions on credits.conversion_key = conversions.conversion_key
inner join settings on credits.attribution_model = settings.attribution_model
left join touchpoints on credits.touchpoint_key = touchpoints.touchpoint_key
