{{ config(materialized='incremental', on_schema_change='fail') }}
{#- Entries into and exits from the dynamic segments of var customer_segments,
    appended at each build: the segment rules are evaluated over dim_customer (and,
    for an activation purpose, the consent column of var
    customer_segment_purpose_consent must be true) and compared with each customer's
    last event per segment. A build that changes nothing appends nothing. Event time:
    var customer_as_of_date when set, else the build's start time. -#}
{%- set consent = var('customer_segment_purpose_consent') -%}
{%- if var('customer_as_of_date', none) -%}
    {%- set event_at = "cast('" ~ var('customer_as_of_date') ~ "' as timestamp)" -%}
{%- else -%}
    {%- set event_at = "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as timestamp)" -%}
{%- endif %}
with

customers as (

    select *
    from {{ ref('dim_customer') }}

),

current_members as (

{%- for seg in var('customer_segments') %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select customer_id, '{{ seg.name }}' as segment_name
    from customers
    where ({{ seg.rule }})
    {%- if seg.purpose in consent %}
        and {{ consent[seg.purpose] }}
    {%- endif %}
{%- endfor %}

),

{% if is_incremental() %}
last_events as (

    select customer_id, segment_name, event_type
    from {{ this }}
    qualify row_number() over (
        partition by customer_id, segment_name order by event_at desc, event_type desc
    ) = 1

),

members_before as (

    select customer_id, segment_name
    from last_events
    where event_type = 'entered'

),
{% else %}
members_before as (

    select cast(null as {{ dbt.type_string() }}) as customer_id, cast(null as {{ dbt.type_string() }}) as segment_name
    where 1 = 0

),
{% endif %}

entered as (

    select current_members.customer_id, current_members.segment_name, 'entered' as event_type
    from current_members
    left join members_before
        on current_members.customer_id = members_before.customer_id
        and current_members.segment_name = members_before.segment_name
    where members_before.customer_id is null

),

exited as (

    select members_before.customer_id, members_before.segment_name, 'exited' as event_type
    from members_before
    left join current_members
        on members_before.customer_id = current_members.customer_id
        and members_before.segment_name = current_members.segment_name
    where current_members.customer_id is null

),

events as (

    select customer_id, segment_name, event_type from entered
    union all
    select customer_id, segment_name, event_type from exited

)

select
    cast(customer_id || ':' || segment_name || ':' || event_type || ':' || cast({{ event_at }} as {{ dbt.type_string() }})
        as {{ dbt.type_string() }}) as segment_event_key,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(segment_name as {{ dbt.type_string() }}) as segment_name,
    cast(event_type as {{ dbt.type_string() }}) as event_type,
    {{ event_at }} as event_at
from events
