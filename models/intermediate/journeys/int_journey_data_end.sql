{#- The end of the journey data: the latest touch or conversion. The drop-off marts
    (fct_journey_cart_sessions, fct_journey_support_churn) judge a window as complete
    only when it closes before this moment. Grain: one row. -#}

with

touch_end as (

    select max(touched_at) as event_at
    from {{ ref('fct_touchpoints') }}

),

conversion_end as (

    select max(converted_at) as event_at
    from {{ ref('int_journey_conversions') }}

),

ends as (

    select event_at from touch_end
    union all
    select event_at from conversion_end

)

select cast(max(event_at) as timestamp) as data_end_at
from ends
