{#- Lookalike expansion: for every seed segment of var customer_lookalike_seed_segments,
    the known customers outside it ranked by Euclidean distance, on z-scored
    var customer_lookalike_features of dim_customer (a missing value counts as the
    mean), to the centroid of the segment's current members. Candidates of an
    activation-purpose segment must consent to that purpose now too (customer_consent,
    the purpose and channel var customer_segment_purpose_consent maps it to, or the
    segment's own channel). similarity =
    1 / (1 + distance). At most var customer_lookalike_top_n per segment. -#}
{%- set features = var('customer_lookalike_features') -%}
{%- set consent = var('customer_segment_purpose_consent') -%}
{%- set segments = {} -%}
{%- for seg in var('customer_segments') %}{% do segments.update({seg.name: seg}) %}{% endfor -%}
with

customers as (

    select customer_id, is_known, {{ features | join(', ') }}
    from {{ ref('dim_customer') }}
    where is_known

),

consented as (

    select customer_id, purpose, channel
    from {{ ref('customer_consent') }}
    where is_consented

),

members as (

    select customer_id, segment_name
    from {{ ref('customer_segment_memberships') }}
    where is_current
        and segment_name in ({% for s in var('customer_lookalike_seed_segments') %}'{{ s }}'{{ ', ' if not loop.last }}{% endfor %})

),

stats as (

    select
        {%- for f in features %}
        avg(cast({{ f }} as double)) as {{ f }}_mean,
        stddev_samp(cast({{ f }} as double)) as {{ f }}_sd{{ ',' if not loop.last }}
        {%- endfor %}
    from customers

),

scaled as (

    select
        customers.customer_id,
        {%- for f in features %}
        case
            when stats.{{ f }}_sd > 0 and customers.{{ f }} is not null
                then (cast(customers.{{ f }} as double) - stats.{{ f }}_mean) / stats.{{ f }}_sd
            else 0
        end as z_{{ f }}{{ ',' if not loop.last }}
        {%- endfor %}
    from customers
    cross join stats

),

centroids as (

    select
        members.segment_name,
        {%- for f in features %}
        avg(scaled.z_{{ f }}) as c_{{ f }}{{ ',' if not loop.last }}
        {%- endfor %}
    from members
    inner join scaled on members.customer_id = scaled.customer_id
    group by members.segment_name

),

candidates as (

    select
        centroids.segment_name,
        scaled.customer_id,
        sqrt(
            {%- for f in features %}
            power(scaled.z_{{ f }} - centroids.c_{{ f }}, 2){{ ' +' if not loop.last }}
            {%- endfor %}
        ) as distance
    from centroids
    cross join scaled
    left join members
        on members.segment_name = centroids.segment_name
        and members.customer_id = scaled.customer_id
    where members.customer_id is null
    {%- for seed in var('customer_lookalike_seed_segments') %}
        {%- set seg = segments[seed] %}
        {%- if seg.purpose in consent %}
            {%- set gate = consent[seg.purpose] %}
            {%- set channel = seg.get('channel') or gate.get('channel') %}
        and (centroids.segment_name <> '{{ seed }}' or scaled.customer_id in (
            select customer_id from consented
            where purpose = '{{ gate.purpose }}'{% if channel %} and channel = '{{ channel }}'{% endif %}
        ))
        {%- endif %}
    {%- endfor %}

),

ranked as (

    select
        segment_name,
        customer_id,
        distance,
        row_number() over (partition by segment_name order by distance, customer_id) as lookalike_rank
    from candidates

)

select
    cast(segment_name || ':' || customer_id as {{ dbt.type_string() }}) as lookalike_key,
    cast(segment_name as {{ dbt.type_string() }}) as seed_segment,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(distance as double) as distance,
    cast(1 / (1 + distance) as double) as similarity,
    cast(lookalike_rank as bigint) as lookalike_rank
from ranked
where lookalike_rank <= {{ var('customer_lookalike_top_n') }}
