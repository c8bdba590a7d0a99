{#- Membership spells of every customer in every segment, from the evaluation log
    customer_segment_evaluations: consecutive evaluations of a segment that hold the
    customer are one spell; entered_at = the first of them, exited_at = the next
    evaluation of the segment without the customer (null while a member). A plain
    table rebuilt from the log, so re-runs cannot duplicate it. Customers no longer in
    dim_customer (an id merged into an older one, an erasure) and segments no longer
    in var customer_segments are left out. -#}
with

evaluations as (

    select customer_id, segment_name, evaluated_at, evaluation_date
    from {{ ref('customer_segment_evaluations') }}

),

customers as (

    select customer_id
    from {{ ref('dim_customer') }}

),

segments as (
{%- for seg in var('customer_segments') %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select '{{ seg.name }}' as segment_name, '{{ seg.purpose }}' as purpose
{%- endfor %}

),

segment_evaluations as (

    select
        segment_name,
        evaluation_date,
        max(evaluated_at) as evaluated_at,
        row_number() over (partition by segment_name order by evaluation_date) as evaluation_number
    from evaluations
    where customer_id is null
    group by segment_name, evaluation_date

),

member_evaluations as (

    select
        evaluations.customer_id,
        evaluations.segment_name,
        segment_evaluations.evaluation_number,
        segment_evaluations.evaluation_number - row_number() over (
            partition by evaluations.customer_id, evaluations.segment_name
            order by segment_evaluations.evaluation_number
        ) as island
    from evaluations
    inner join segment_evaluations
        on evaluations.segment_name = segment_evaluations.segment_name
        and evaluations.evaluation_date = segment_evaluations.evaluation_date
    where evaluations.customer_id is not null

),

islands as (

    select
        customer_id,
        segment_name,
        min(evaluation_number) as first_evaluation,
        max(evaluation_number) as last_evaluation
    from member_evaluations
    group by customer_id, segment_name, island

),

spells as (

    select
        islands.customer_id,
        islands.segment_name,
        row_number() over (partition by islands.customer_id, islands.segment_name order by islands.first_evaluation)
            as spell_number,
        entries.evaluated_at as entered_at,
        exits.evaluated_at as exited_at
    from islands
    inner join segment_evaluations as entries
        on islands.segment_name = entries.segment_name
        and islands.first_evaluation = entries.evaluation_number
    left join segment_evaluations as exits
        on islands.segment_name = exits.segment_name
        and islands.last_evaluation + 1 = exits.evaluation_number

)

select
    cast(spells.customer_id || ':' || spells.segment_name || ':' || cast(spells.spell_number as {{ dbt.type_string() }})
        as {{ dbt.type_string() }}) as membership_key,
    cast(spells.customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(spells.segment_name as {{ dbt.type_string() }}) as segment_name,
    cast(segments.purpose as {{ dbt.type_string() }}) as purpose,
    cast(spells.spell_number as bigint) as spell_number,
    cast(spells.entered_at as timestamp) as entered_at,
    cast(spells.exited_at as timestamp) as exited_at,
    spells.exited_at is null as is_current
from spells
inner join customers on spells.customer_id = customers.customer_id
inner join segments on spells.segment_name = segments.segment_name
