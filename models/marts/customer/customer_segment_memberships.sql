{#- Membership spells of every customer in every segment from customer_segment_events:
    entered_at, exited_at (null while a member), with the segment's purpose. -#}
with

events as (

    select customer_id, segment_name, event_type, event_at
    from {{ ref('customer_segment_events') }}

),

segments as (
{%- for seg in var('customer_segments') %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select '{{ seg.name }}' as segment_name, '{{ seg.purpose }}' as purpose, '{{ seg.description | replace("'", "''") }}' as description
{%- endfor %}

),

entries as (

    select
        customer_id,
        segment_name,
        event_at as entered_at,
        row_number() over (partition by customer_id, segment_name order by event_at) as spell_number
    from events
    where event_type = 'entered'

),

exits as (

    select
        customer_id,
        segment_name,
        event_at as exited_at,
        row_number() over (partition by customer_id, segment_name order by event_at) as spell_number
    from events
    where event_type = 'exited'

)

select
    cast(entries.customer_id || ':' || entries.segment_name || ':' || cast(entries.spell_number as {{ dbt.type_string() }})
        as {{ dbt.type_string() }}) as membership_key,
    cast(entries.customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(entries.segment_name as {{ dbt.type_string() }}) as segment_name,
    cast(segments.purpose as {{ dbt.type_string() }}) as purpose,
    cast(entries.spell_number as bigint) as spell_number,
    entries.entered_at,
    exits.exited_at,
    exits.exited_at is null as is_current
from entries
left join exits
    on entries.customer_id = exits.customer_id
    and entries.segment_name = exits.segment_name
    and entries.spell_number = exits.spell_number
left join segments on entries.segment_name = segments.segment_name
