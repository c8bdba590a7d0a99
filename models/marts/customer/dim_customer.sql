{#- The single customer view for BI: one row per unified customer id. Golden record
    (survivorship per field, provenance in customer_field_provenance), demographics,
    psychographics from the latest survey, consent per marketing channel, channel
    summary and purchase history across every channel with returns netted. -#}
{%- set bands = var('customer_age_bands') -%}
with

customers as (

    select
        customer_id,
        min(observed_at) as first_seen_at,
        max(observed_at) as last_seen_at,
        count(*) as source_records,
        sum(case when is_profile_record then 1 else 0 end) as profile_records
    from {{ ref('dim_customer_identity_map') }}
    group by customer_id

),

fields as (

    select customer_id, field, field_value, street, postcode, city, country_code, source_table
    from {{ ref('int_customer_fields_survived') }}

),

surveys as (

    select record_key, submitted_at, birth_year, interests, purchase_values, preferred_channel,
        content_preferences, nps
    from {{ ref('stg_surveys__responses') }}

),

loyalty as (

    select record_key, tier, enrolled_at
    from {{ ref('stg_loyalty__members') }}

),

web_accounts as (

    select record_key, has_marketing_opt_in, coalesce(updated_at, created_at) as changed_at
    from {{ ref('stg_web_shop__customers') }}

),

identity_map as (

    select record_key, customer_id
    from {{ ref('dim_customer_identity_map') }}

),

consent as (

    select customer_id, channel, consent_status, is_consented
    from {{ ref('customer_consent') }}
    where purpose = 'marketing'

),

channels as (

    select customer_id, channel, orders, net_revenue, is_online_sales_channel, is_preferred_channel,
        is_discovery_channel
    from {{ ref('customer_channel_insights') }}

),

orders as (

    select customer_id, sales_channel, ordered_at, gross_revenue, returned_revenue, net_revenue, is_returned
    from {{ ref('fct_orders') }}

),

rfm as (

    select customer_id, r_score, f_score, m_score, rfm_segment
    from {{ ref('customer_rfm') }}

),

clv as (

    select customer_id, p_alive, churn_risk, expected_purchases_horizon, predicted_clv
    from {{ ref('customer_clv') }}

),

acquisition as (

    select customer_id, acquisition_channel
    from {{ ref('int_customer_acquisition') }}

),

golden as (

    select
        customer_id,
        max(case when field = 'first_name' then field_value end) as first_name,
        max(case when field = 'last_name' then field_value end) as last_name,
        max(case when field = 'email' then field_value end) as email,
        max(case when field = 'email' then source_table end) as email_source,
        max(case when field = 'phone' then field_value end) as phone,
        max(case when field = 'birth_date' then field_value end) as birth_date,
        max(case when field = 'gender' then field_value end) as gender,
        max(case when field = 'address' then street end) as street,
        max(case when field = 'address' then postcode end) as postcode,
        max(case when field = 'address' then city end) as city,
        max(case when field = 'address' then country_code end) as country_code,
        max(case when field = 'address' then source_table end) as address_source
    from fields
    group by customer_id

),

latest_survey as (

    select
        identity_map.customer_id,
        surveys.submitted_at,
        surveys.birth_year,
        surveys.interests,
        surveys.purchase_values,
        surveys.preferred_channel,
        surveys.content_preferences,
        surveys.nps
    from surveys
    inner join identity_map on surveys.record_key = identity_map.record_key
    qualify row_number() over (
        partition by identity_map.customer_id order by surveys.submitted_at desc, surveys.record_key
    ) = 1

),

latest_loyalty as (

    select identity_map.customer_id, loyalty.tier, loyalty.enrolled_at
    from loyalty
    inner join identity_map on loyalty.record_key = identity_map.record_key
    qualify row_number() over (
        partition by identity_map.customer_id order by loyalty.enrolled_at desc, loyalty.record_key
    ) = 1

),

account_opt_in as (

    select identity_map.customer_id, web_accounts.has_marketing_opt_in
    from web_accounts
    inner join identity_map on web_accounts.record_key = identity_map.record_key
    qualify row_number() over (
        partition by identity_map.customer_id order by web_accounts.changed_at desc, web_accounts.record_key
    ) = 1

),

consent_wide as (

    select
        customer_id,
        max(case when channel = 'email' then consent_status end) as email_consent_status,
        coalesce(max(case when channel = 'email' and is_consented then 1 else 0 end), 0) = 1 as is_email_consented,
        max(case when channel = 'sms' then consent_status end) as sms_consent_status,
        coalesce(max(case when channel = 'sms' and is_consented then 1 else 0 end), 0) = 1 as is_sms_consented,
        max(case when channel = 'push' then consent_status end) as push_consent_status,
        coalesce(max(case when channel = 'push' and is_consented then 1 else 0 end), 0) = 1 as is_push_consented
    from consent
    group by customer_id

),

channel_summary as (

    select
        customer_id,
        max(case when is_preferred_channel then channel end) as preferred_channel,
        max(case when is_discovery_channel then channel end) as discovery_channel,
        count(*) as channels_used,
        sum(case when orders > 0 then 1 else 0 end) as purchase_channels
    from channels
    group by customer_id

),

purchase_summary as (

    select
        customer_id,
        count(*) as orders,
        sum(case when is_returned then 1 else 0 end) as returned_orders,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at,
        sum(gross_revenue) as gross_revenue,
        sum(returned_revenue) as returned_revenue,
        sum(net_revenue) as net_revenue,
        sum(case when sales_channel in ('web', 'app', 'marketplace') then net_revenue else 0 end) as online_net_revenue
    from orders
    group by customer_id

),

first_orders as (

    select customer_id, sales_channel as first_order_channel
    from orders
    qualify row_number() over (partition by customer_id order by ordered_at, sales_channel) = 1

),

assembled as (

    select
        customers.customer_id,
        golden.first_name,
        golden.last_name,
        golden.email,
        golden.email_source,
        golden.phone,
        cast(golden.birth_date as date) as birth_date,
        golden.gender,
        golden.street,
        golden.postcode,
        golden.city,
        golden.country_code,
        golden.address_source,
        coalesce(
            {{ customer_age_years('cast(golden.birth_date as date)', customer_as_of_date()) }},
            extract(year from {{ customer_as_of_date() }}) - latest_survey.birth_year
        ) as age,
        latest_survey.interests,
        latest_survey.purchase_values,
        latest_survey.content_preferences,
        latest_survey.preferred_channel as stated_preferred_channel,
        latest_survey.nps,
        latest_survey.submitted_at as survey_submitted_at,
        latest_loyalty.tier as loyalty_tier,
        latest_loyalty.enrolled_at as loyalty_enrolled_at,
        account_opt_in.has_marketing_opt_in as has_account_marketing_opt_in,
        consent_wide.email_consent_status,
        coalesce(consent_wide.is_email_consented, false) as is_email_consented,
        consent_wide.sms_consent_status,
        coalesce(consent_wide.is_sms_consented, false) as is_sms_consented,
        consent_wide.push_consent_status,
        coalesce(consent_wide.is_push_consented, false) as is_push_consented,
        channel_summary.preferred_channel,
        channel_summary.discovery_channel,
        coalesce(channel_summary.channels_used, 0) as channels_used,
        coalesce(channel_summary.purchase_channels, 0) as purchase_channels,
        first_orders.first_order_channel,
        acquisition.acquisition_channel,
        rfm.r_score,
        rfm.f_score,
        rfm.m_score,
        rfm.rfm_segment,
        clv.p_alive,
        clv.churn_risk,
        clv.expected_purchases_horizon,
        clv.predicted_clv,
        coalesce(purchase_summary.orders, 0) as orders,
        coalesce(purchase_summary.returned_orders, 0) as returned_orders,
        purchase_summary.first_order_at,
        purchase_summary.last_order_at,
        coalesce(purchase_summary.gross_revenue, 0) as gross_revenue,
        coalesce(purchase_summary.returned_revenue, 0) as returned_revenue,
        coalesce(purchase_summary.net_revenue, 0) as net_revenue,
        case
            when purchase_summary.net_revenue > 0 then purchase_summary.online_net_revenue / purchase_summary.net_revenue
        end as online_revenue_share,
        customers.first_seen_at,
        customers.last_seen_at,
        customers.source_records,
        customers.profile_records
    from customers
    left join golden on customers.customer_id = golden.customer_id
    left join latest_survey on customers.customer_id = latest_survey.customer_id
    left join latest_loyalty on customers.customer_id = latest_loyalty.customer_id
    left join account_opt_in on customers.customer_id = account_opt_in.customer_id
    left join consent_wide on customers.customer_id = consent_wide.customer_id
    left join channel_summary on customers.customer_id = channel_summary.customer_id
    left join purchase_summary on customers.customer_id = purchase_summary.customer_id
    left join first_orders on customers.customer_id = first_orders.customer_id
    left join acquisition on customers.customer_id = acquisition.customer_id
    left join rfm on customers.customer_id = rfm.customer_id
    left join clv on customers.customer_id = clv.customer_id

)

select
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(first_name as {{ dbt.type_string() }}) as first_name,
    cast(last_name as {{ dbt.type_string() }}) as last_name,
    cast(email as {{ dbt.type_string() }}) as email,
    cast(email_source as {{ dbt.type_string() }}) as email_source,
    cast(phone as {{ dbt.type_string() }}) as phone,
    birth_date,
    cast(age as bigint) as age,
    cast(
        case
            when age is null then null
            {%- for band in bands | reverse %}
            when age >= {{ band[0] }} then '{{ band[1] }}'
            {%- endfor %}
            else 'under {{ bands[0][0] }}'
        end as {{ dbt.type_string() }}
    ) as age_band,
    cast(gender as {{ dbt.type_string() }}) as gender,
    cast(street as {{ dbt.type_string() }}) as street,
    cast(postcode as {{ dbt.type_string() }}) as postcode,
    cast(city as {{ dbt.type_string() }}) as city,
    cast(country_code as {{ dbt.type_string() }}) as country_code,
    cast(address_source as {{ dbt.type_string() }}) as address_source,
    cast(interests as {{ dbt.type_string() }}) as interests,
    cast(purchase_values as {{ dbt.type_string() }}) as purchase_values,
    cast(content_preferences as {{ dbt.type_string() }}) as content_preferences,
    cast(stated_preferred_channel as {{ dbt.type_string() }}) as stated_preferred_channel,
    cast(nps as bigint) as nps,
    survey_submitted_at,
    cast(loyalty_tier as {{ dbt.type_string() }}) as loyalty_tier,
    loyalty_enrolled_at,
    has_account_marketing_opt_in,
    cast(email_consent_status as {{ dbt.type_string() }}) as email_consent_status,
    is_email_consented,
    cast(sms_consent_status as {{ dbt.type_string() }}) as sms_consent_status,
    is_sms_consented,
    cast(push_consent_status as {{ dbt.type_string() }}) as push_consent_status,
    is_push_consented,
    cast(preferred_channel as {{ dbt.type_string() }}) as preferred_channel,
    cast(discovery_channel as {{ dbt.type_string() }}) as discovery_channel,
    cast(channels_used as bigint) as channels_used,
    cast(purchase_channels as bigint) as purchase_channels,
    cast(first_order_channel as {{ dbt.type_string() }}) as first_order_channel,
    cast(acquisition_channel as {{ dbt.type_string() }}) as acquisition_channel,
    cast(r_score as bigint) as r_score,
    cast(f_score as bigint) as f_score,
    cast(m_score as bigint) as m_score,
    cast(rfm_segment as {{ dbt.type_string() }}) as rfm_segment,
    cast(p_alive as double) as p_alive,
    cast(churn_risk as double) as churn_risk,
    cast(expected_purchases_horizon as double) as expected_purchases_horizon,
    cast(predicted_clv as double) as predicted_clv,
    cast(orders as bigint) as orders,
    cast(returned_orders as bigint) as returned_orders,
    first_order_at,
    last_order_at,
    cast(gross_revenue as double) as gross_revenue,
    cast(returned_revenue as double) as returned_revenue,
    cast(net_revenue as double) as net_revenue,
    cast(online_revenue_share as double) as online_revenue_share,
    orders > 0 as is_buyer,
    profile_records > 0 or email is not null or phone is not null as is_known,
    first_seen_at,
    last_seen_at,
    cast(source_records as bigint) as source_records,
    cast(profile_records as bigint) as profile_records
from assembled
-- stored in customer id order: a profile lookup reads one row group (min/max statistics)
order by customer_id
