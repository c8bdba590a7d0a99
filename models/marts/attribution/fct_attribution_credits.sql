{#- Conversion credit of every touch of every converting path under every attribution
    model: first_touch, last_touch, last_non_direct, linear, time_decay, position_based,
    w_shaped, shapley (int_attribution_rule_credits) and markov_order_<k> for each order
    in var attribution_markov_orders. A Markov model splits a conversion over the
    distinct channels of its path in proportion to their removal effects
    (fct_attribution_markov_effects), and a channel's part equally over its touches.
    A conversion with no touch in its lookback windows gets one row per model with
    channel 'unattributed' and no touchpoint, so every conversion's credits sum to 1 per
    model (test) and revenue credits add up to conversion revenue.
    The table has a row per model for every touch, so what a touch's rows share (its
    conversion, timestamp and campaign) is joined once per touch, before the rows fan
    out over the models; the models come from a small table of names and settings.
    Grain: attribution_model × conversion_key × touchpoint_key (credit_key). -#}
{%- set all_models = omnichannel_cdp.attribution_model_names() -%}
{%- set rule_models = [] -%}
{%- for m in all_models if not m.startswith('markov_order_') %}{% do rule_models.append(m) %}{% endfor -%}
{#- what a credit row takes from its touch and conversion (path_touch_conversions), and
    the columns of every credits CTE, in the order their unions line them up -#}
{%- set touch_columns = [
    'conversion_key', 'customer_id', 'converted_at', 'sales_channel', 'conversion_number', 'revenue',
    'currency', 'touchpoint_key', 'channel', 'campaign_id', 'touched_at', 'touch_index', 'touch_count'
] -%}
{%- set credit_columns = (['attribution_model', 'model_settings'] + touch_columns + ['credit']) | join(', ') -%}

with

conversions as (

    select conversion_key, customer_id, converted_at, sales_channel, currency, revenue, conversion_number
    from {{ ref('int_journey_conversions') }}

),

rule_credits_wide as (

    select
        conversion_key, touchpoint_key,
        {{ rule_models | join(', ') }}
    from {{ ref('int_attribution_rule_credits') }}

),

path_touches as (

    select conversion_key, touchpoint_key, channel, campaign_id, touched_at, touch_index, touch_count
    from {{ ref('int_journey_path_touches') }}
    where is_converting

),

markov_effects as (

    select attribution_model, channel, removal_effect
    from {{ ref('fct_attribution_markov_effects') }}

),

settings as (
{%- for m in all_models %}
    select '{{ m }}' as attribution_model, {{ omnichannel_cdp.sql_string(omnichannel_cdp.attribution_settings(m)) }} as model_settings
    {%- if not loop.last %}
    union all
    {%- endif %}
{%- endfor %}

),

-- a touch of a converting path with its conversion: the part of a credit row that
-- does not depend on the model
path_touch_conversions as (

    select
        path_touches.conversion_key,
        conversions.customer_id,
        conversions.converted_at,
        conversions.sales_channel,
        conversions.conversion_number,
        conversions.revenue,
        conversions.currency,
        path_touches.touchpoint_key,
        path_touches.channel,
        path_touches.campaign_id,
        path_touches.touched_at,
        path_touches.touch_index,
        path_touches.touch_count
    from path_touches
    inner join conversions on path_touches.conversion_key = conversions.conversion_key

),

-- rule-based models and Shapley: one row per touch and model, its credit picked from
-- the model's column
rule_credits as (

    select
        settings.attribution_model,
        settings.model_settings,
        {%- for c in touch_columns %}
        path_touch_conversions.{{ c }},
        {%- endfor %}
        case settings.attribution_model
        {%- for m in rule_models %}
            when '{{ m }}' then rule_credits_wide.{{ m }}
        {%- endfor %}
        end as credit
    from rule_credits_wide
    inner join path_touch_conversions
        on rule_credits_wide.conversion_key = path_touch_conversions.conversion_key
        and rule_credits_wide.touchpoint_key = path_touch_conversions.touchpoint_key
    cross join settings
    where settings.attribution_model in ({% for m in rule_models %}'{{ m }}'{% if not loop.last %}, {% endif %}{% endfor %})

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
        settings.attribution_model,
        settings.model_settings,
        {%- for c in touch_columns %}
        path_touch_conversions.{{ c }},
        {%- endfor %}
        case
            when path_channel_effects.path_removal_effect > 0
                then path_channel_effects.removal_effect / path_channel_effects.path_removal_effect
                    / path_channel_effects.channel_touches
            -- no channel of the path has an effect (cannot happen for a converting path
            -- unless the effects round to 0): split like Shapley
            else cast(1 as double) / path_channel_effects.path_channels / path_channel_effects.channel_touches
        end as credit
    from path_touch_conversions
    inner join path_channel_effects
        on path_touch_conversions.conversion_key = path_channel_effects.conversion_key
        and path_touch_conversions.channel = path_channel_effects.channel
    inner join settings on path_channel_effects.attribution_model = settings.attribution_model

),

-- conversions without a touch in their lookback windows: one row per model
unattributed as (

    select
        settings.attribution_model,
        settings.model_settings,
        conversions.conversion_key,
        conversions.customer_id,
        conversions.converted_at,
        conversions.sales_channel,
        conversions.conversion_number,
        conversions.revenue,
        conversions.currency,
        cast(null as {{ dbt.type_string() }}) as touchpoint_key,
        'unattributed' as channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as timestamp) as touched_at,
        cast(0 as bigint) as touch_index,
        cast(0 as bigint) as touch_count,
        cast(1 as double) as credit
    from conversions
    left join (select distinct conversion_key from path_touches) as touched
        on conversions.conversion_key = touched.conversion_key
    cross join settings
    where touched.conversion_key is null

),

credits as (

    select {{ credit_columns }} from rule_credits
    union all
    select {{ credit_columns }} from markov_credits
    union all
    select {{ credit_columns }} from unattributed

)

select
    cast(attribution_model || ':' || conversion_key || ':' || coalesce(touchpoint_key, 'unattributed')
        as {{ dbt.type_string() }}) as credit_key,
    cast(attribution_model as {{ dbt.type_string() }}) as attribution_model,
    cast(model_settings as {{ dbt.type_string() }}) as model_settings,
    cast(conversion_key as {{ dbt.type_string() }}) as conversion_key,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(converted_at as timestamp) as converted_at,
    cast(converted_at as date) as conversion_date,
    cast(sales_channel as {{ dbt.type_string() }}) as sales_channel,
    cast(conversion_number as bigint) as conversion_number,
    cast(touchpoint_key as {{ dbt.type_string() }}) as touchpoint_key,
    cast(channel as {{ dbt.type_string() }}) as channel,
    cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
    cast(touched_at as timestamp) as touched_at,
    cast(touched_at as date) as touch_date,
    cast(touch_index as bigint) as touch_index,
    cast(touch_count as bigint) as touch_count,
    cast(credit as double) as conversion_credit,
    cast(credit * revenue as double) as revenue_credit,
    cast(currency as {{ dbt.type_string() }}) as currency
from credits
