{#- The surviving value of every golden-record field per customer, by the field's
    rule in seeds/customer/customer_survivorship_rules.csv (most_recent, most_trusted,
    most_frequent) and the source trust order of customer_source_trust.csv (a source
    missing there ranks last). Remaining ties: trust, then recency, then record_key,
    so the outcome is deterministic. -#}
with

candidates as (

    select customer_id, field, field_value, street, postcode, city, country_code, source_table, record_key, observed_at
    from {{ ref('int_customer_attributes_unioned') }}

),

rules as (

    select field, rule
    from {{ ref('customer_survivorship_rules') }}

),

trust as (

    select source_table, trust_rank
    from {{ ref('customer_source_trust') }}

),

scored as (

    select
        candidates.customer_id,
        candidates.field,
        candidates.field_value,
        candidates.street,
        candidates.postcode,
        candidates.city,
        candidates.country_code,
        candidates.source_table,
        candidates.record_key,
        candidates.observed_at,
        rules.rule,
        coalesce(trust.trust_rank, 1000) as trust_rank,
        count(*) over (partition by candidates.customer_id, candidates.field, candidates.field_value) as value_records,
        count(*) over (partition by candidates.customer_id, candidates.field) as candidate_records
    from candidates
    inner join rules on candidates.field = rules.field
    left join trust on candidates.source_table = trust.source_table

),

ranked as (

    select
        scored.*,
        case rule
            when 'most_recent' then row_number() over (
                partition by customer_id, field order by observed_at desc nulls last, trust_rank, record_key)
            when 'most_trusted' then dense_rank() over (partition by customer_id, field order by trust_rank)
            when 'most_frequent' then dense_rank() over (partition by customer_id, field order by value_records desc)
        end as rule_rank
    from scored

),

winners as (

    select
        ranked.*,
        row_number() over (
            partition by customer_id, field
            order by rule_rank, trust_rank, observed_at desc nulls last, record_key
        ) as final_rank
    from ranked

),

distinct_values as (

    select customer_id, field, count(distinct field_value) as distinct_values
    from candidates
    group by customer_id, field

)

select
    winners.customer_id,
    winners.field,
    winners.field_value,
    winners.street,
    winners.postcode,
    winners.city,
    winners.country_code,
    winners.rule,
    winners.source_table,
    winners.record_key,
    winners.observed_at,
    cast(winners.trust_rank as bigint) as trust_rank,
    cast(winners.candidate_records as bigint) as candidate_records,
    cast(winners.value_records as bigint) as value_records,
    cast(distinct_values.distinct_values as bigint) as distinct_values,
    cast(
        case winners.rule
            when 'most_recent' then 'most_recent: newest of ' || cast(winners.candidate_records as {{ dbt.type_string() }}) || ' records'
            when 'most_trusted' then 'most_trusted: ' || winners.source_table || ' (trust ' || cast(winners.trust_rank as {{ dbt.type_string() }}) || ')'
            else 'most_frequent: on ' || cast(winners.value_records as {{ dbt.type_string() }}) || ' of ' || cast(winners.candidate_records as {{ dbt.type_string() }}) || ' records'
        end
        || case when distinct_values.distinct_values > 1 then ', ' || cast(distinct_values.distinct_values - 1 as {{ dbt.type_string() }}) || ' other value(s) lost' else '' end
        as {{ dbt.type_string() }}
    ) as reason
from winners
inner join distinct_values
    on winners.customer_id = distinct_values.customer_id
    and winners.field = distinct_values.field
where winners.final_rank = 1
