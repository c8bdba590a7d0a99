{%- if target.type == 'spark' -%}
{#- Spark without Delta: insert_overwrite replaces the partitions of the evaluation
    dates the run writes (dynamic partition overwrite), so a re-run replaces its day -#}
{{ config(
    materialized='incremental', incremental_strategy='insert_overwrite',
    partition_by=['evaluation_date'], schema='raw_history', on_schema_change='fail'
) }}
{%- else -%}
{#- DuckDB: delete+insert deletes the rows of the evaluation dates the run writes
    before inserting them, so a re-run replaces its day -#}
{{ config(
    materialized='incremental', incremental_strategy='delete+insert',
    unique_key='evaluation_date', schema='raw_history', on_schema_change='fail'
) }}
{%- endif %}
{#- Log of segment evaluations: once per evaluation date (var customer_as_of_date
    when set, else the day of the build) the members of every segment of var
    customer_segments. A re-run on the same day replaces that day's rows, on DuckDB
    and on Spark, so re-running a build never duplicates anything.
    Rule: SQL over dim_customer. An activation purpose (a key of var
    customer_segment_purpose_consent) also requires consent valid at evaluation
    time (customer_consent_spells) for the purpose and channel the var maps it to
    (a segment's own `channel` overrides; no channel: any channel of the purpose).
    Every segment also gets a row with a null customer_id on each evaluation, so an
    evaluation with no member still replaces its day and ends the spells.
    Schema raw_history: publish.prepare_build copies raw_* schemas into each new
    build file, so the log survives the fresh-file publishing; the marts are
    rebuilt from it (customer_segment_events, customer_segment_memberships). -#}
{%- set consent = var('customer_segment_purpose_consent') -%}
{%- if var('customer_as_of_date', none) -%}
    {%- set evaluated_at = "cast('" ~ var('customer_as_of_date') ~ " 00:00:00' as timestamp)" -%}
{%- else -%}
    {%- set evaluated_at = "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as timestamp)" -%}
{%- endif %}
with

consent_at_evaluation as (

    select customer_id, purpose, channel
    from {{ ref('customer_consent_spells') }}
    where is_consented
        and valid_from <= {{ evaluated_at }}
        and (valid_to is null or valid_to > {{ evaluated_at }})

),

members as (

{%- for seg in var('customer_segments') %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select customers.customer_id, '{{ seg.name }}' as segment_name
    -- every column of dim_customer, as the rules may name any
    from {{ ref('dim_customer') }} as customers
    where ({{ seg.rule }})
    {%- if seg.purpose in consent %}
        {%- set gate = consent[seg.purpose] %}
        {%- set channel = seg.get('channel') or gate.get('channel') %}
        and customers.customer_id in (
            select customer_id
            from consent_at_evaluation
            where purpose = '{{ gate.purpose }}'
            {%- if channel %}
                and channel = '{{ channel }}'
            {%- endif %}
        )
    {%- endif %}
{%- endfor %}

),

evaluated_segments as (

{%- for seg in var('customer_segments') %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select cast(null as {{ dbt.type_string() }}) as customer_id, '{{ seg.name }}' as segment_name
{%- endfor %}

),

evaluation as (

    select customer_id, segment_name from members
    union all
    select customer_id, segment_name from evaluated_segments

)

select
    cast(segment_name || ':' || coalesce(customer_id, '') || ':' || cast(cast({{ evaluated_at }} as date) as {{ dbt.type_string() }})
        as {{ dbt.type_string() }}) as evaluation_key,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(segment_name as {{ dbt.type_string() }}) as segment_name,
    {{ evaluated_at }} as evaluated_at,
    cast({{ evaluated_at }} as date) as evaluation_date
from evaluation
