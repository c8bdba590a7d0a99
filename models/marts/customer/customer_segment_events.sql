{#- Entries into and exits from the dynamic segments, one row per change, derived
    from the membership spells (customer_segment_memberships): an entry at each
    spell's start, an exit at each closed spell's end. A plain table rebuilt from
    the evaluation log on every build, so a re-run cannot duplicate events on any
    engine (test unique_combination_of_columns on customer, segment, type, time). -#}
with

memberships as (

    select customer_id, segment_name, entered_at, exited_at
    from {{ ref('customer_segment_memberships') }}

),

events as (

    select customer_id, segment_name, 'entered' as event_type, entered_at as event_at
    from memberships

    union all

    select customer_id, segment_name, 'exited' as event_type, exited_at as event_at
    from memberships
    where exited_at is not null

)

select
    cast(customer_id || ':' || segment_name || ':' || event_type || ':' || cast(event_at as {{ dbt.type_string() }})
        as {{ dbt.type_string() }}) as segment_event_key,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(segment_name as {{ dbt.type_string() }}) as segment_name,
    cast(event_type as {{ dbt.type_string() }}) as event_type,
    cast(event_at as timestamp) as event_at
from events
