{#- Support contacts before churn: one row per support contact of a known customer,
    with the customer's purchases before it and the next purchase after it. A customer
    who had bought before the contact and buys nothing within var journey_churn_days
    after it has churned after the contact (is_churned_after); the flag is null when the
    contact is less than that many days before the end of the data, or the customer had
    never bought. Grain: one row per support contact (touchpoint_key). -#}
{%- set churn_seconds = var('journey_churn_days') | int * 86400 -%}

with

contacts as (

    select touchpoint_key, customer_id, touched_at, medium as contact_channel, campaign as contact_reason
    from {{ ref('fct_touchpoints') }}
    where touch_type = 'support_contact' and customer_id is not null

),

conversions as (

    select customer_id, converted_at
    from {{ ref('int_journey_conversions') }}

),

data_end as (

    select data_end_at
    from {{ ref('int_journey_data_end') }}

),

history as (

    select
        contacts.touchpoint_key,
        sum(case when conversions.converted_at < contacts.touched_at then 1 else 0 end) as purchases_before,
        max(case when conversions.converted_at < contacts.touched_at then conversions.converted_at end)
            as last_purchase_before_at,
        min(case when conversions.converted_at >= contacts.touched_at then conversions.converted_at end)
            as next_purchase_after_at
    from contacts
    left join conversions on contacts.customer_id = conversions.customer_id
    group by contacts.touchpoint_key

),

joined as (

    select
        contacts.*,
        coalesce(history.purchases_before, 0) as purchases_before,
        history.last_purchase_before_at,
        history.next_purchase_after_at,
        {{ omnichannel_cdp.epoch_seconds('data_end.data_end_at') }} - {{ omnichannel_cdp.epoch_seconds('contacts.touched_at') }}
            >= {{ churn_seconds }} as is_window_complete
    from contacts
    cross join data_end
    left join history on contacts.touchpoint_key = history.touchpoint_key

)

select
    cast(touchpoint_key as {{ dbt.type_string() }}) as touchpoint_key,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(touched_at as timestamp) as contacted_at,
    cast(contact_channel as {{ dbt.type_string() }}) as contact_channel,
    cast(contact_reason as {{ dbt.type_string() }}) as contact_reason,
    cast(purchases_before as bigint) as purchases_before,
    cast(last_purchase_before_at as timestamp) as last_purchase_before_at,
    cast(next_purchase_after_at as timestamp) as next_purchase_after_at,
    cast(({{ omnichannel_cdp.epoch_seconds('next_purchase_after_at') }} - {{ omnichannel_cdp.epoch_seconds('touched_at') }}) / 86400.0
        as double) as days_to_next_purchase,
    cast(is_window_complete as boolean) as is_window_complete,
    cast(case
        when purchases_before = 0 then null
        when next_purchase_after_at is not null
            and {{ omnichannel_cdp.epoch_seconds('next_purchase_after_at') }} - {{ omnichannel_cdp.epoch_seconds('touched_at') }}
                <= {{ churn_seconds }} then false
        when is_window_complete then true
    end as boolean) as is_churned_after
from joined
