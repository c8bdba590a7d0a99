{#- Absorption probabilities of the Markov chains of int_attribution_markov_edges,
    bracketed: var attribution_markov_iterations fixed-point steps p <- Q p + r from
    p = 0 give p_lower, from p = 1 give p_upper. The operator is monotone and the chain
    absorbing (every state was seen on a path that ended), so p_lower rises and p_upper
    falls to the exact probability of reaching (conversion) from the state, which lies
    between them: p_upper - p_lower is a rigorous error bound.
    The steps run in chunks of var attribution_markov_chunk_steps, each chunk a table
    (<this>__chunk_<n>, dropped after the build) that the next chunk starts from: one
    query nested 100 steps deep is slow to plan on Spark, chunks keep each query shallow.
    Grain: markov_order × removed_channel × state. -#}
{%- set iterations = var('attribution_markov_iterations') | int -%}
{%- set chunk_steps = [var('attribution_markov_chunk_steps') | int, 1] | max -%}
{%- set chunks = ((iterations + chunk_steps - 1) // chunk_steps) if iterations > 0 else 1 -%}
{%- set edges_relation = ref('int_attribution_markov_edges') -%}
{%- set chunk_relations = [] -%}
{%- set drops = [] -%}
{%- for c in range(chunks - 1) -%}
    {%- do chunk_relations.append(omnichannel_cdp.markov_chunk_relation(this, c)) -%}
    {#- rendered when the hook runs, where `this` has its final schema -#}
    {%- do drops.append("drop table if exists {{ omnichannel_cdp.markov_chunk_relation(this, " ~ c ~ ") }}") -%}
{%- endfor -%}
{{ config(post_hook=drops) }}
{%- if execute -%}
    {%- for relation in chunk_relations -%}
        {%- set previous = chunk_relations[loop.index0 - 1] if loop.index0 > 0 else none -%}
        {%- do adapter.drop_relation(relation) -%}
        {%- do run_query(create_table_as(false, relation,
                omnichannel_cdp.markov_chunk_sql(edges_relation, previous, chunk_steps))) -%}
    {%- endfor -%}
{%- endif -%}
{%- set last_steps = iterations - chunk_steps * (chunk_relations | length) -%}

with

stepped as (
    {{ omnichannel_cdp.markov_chunk_sql(edges_relation, chunk_relations[-1] if chunk_relations else none, last_steps) }}
),

final as (

    select
        markov_order,
        removed_channel,
        state,
        max(case when bound = 'lower' then p end) as p_lower,
        max(case when bound = 'upper' then p end) as p_upper
    from stepped
    group by markov_order, removed_channel, state

)

select
    cast(markov_order as bigint) as markov_order,
    cast(removed_channel as {{ dbt.type_string() }}) as removed_channel,
    cast(state as {{ dbt.type_string() }}) as state,
    cast(coalesce(p_lower, 0) as double) as p_lower,
    cast(coalesce(p_upper, 0) as double) as p_upper
from final
