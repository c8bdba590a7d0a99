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

-- how many records hold each value, and how many records and values each field has
value_counts as (

    select customer_id, field, field_value, count(*) as value_records
    from candidates
    group by customer_id, field, field_value

),

field_counts as (

    select customer_id, field, count(*) as distinct_values, sum(value_records) as candidate_records
    from value_counts
    group by customer_id, field

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
        value_counts.value_records,
        field_counts.candidate_records,
        field_counts.distinct_values
    from candidates
    inner join rules on candidates.field = rules.field
    left join trust on candidates.source_table = trust.source_table
    -- field_value is never null (int_customer_attributes_unioned: a row per value)
    inner join value_counts
        on candidates.customer_id = value_counts.customer_id
        and candidates.field = value_counts.field
        and candidates.field_value = value_counts.field_value
    inner join field_counts
        on candidates.customer_id = field_counts.customer_id
        and candidates.field = field_counts.field

),

-- The field's rule orders its candidates; trust, recency and record_key break ties.
-- The rule is the same on every row of a (customer, field) partition, so one window
-- orders by the rule's key first (a constant null under the other rules):
--   most_recent: newest observation, then trust, then record_key
--   most_trusted: best trust rank, then newest, then record_key
--   most_frequent: most records with the value, then trust, newest, record_key
winners as (

    select
        scored.*,
        row_number() over (
            partition by customer_id, field
            order by
                case when rule = 'most_frequent' then value_records end desc nulls last,
                case when rule = 'most_recent' then observed_at end desc nulls last,
                trust_rank,
                observed_at desc nulls last,
                record_key
        ) as final_rank
    from scored

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
    cast(winners.distinct_values as bigint) as distinct_values,
    cast(
        case winners.rule
            when 'most_recent' then 'most_recent: newest of ' || cast(winners.candidate_records as {{ dbt.type_string() }}) || ' records'
            when 'most_trusted' then 'most_trusted: ' || winners.source_table || ' (trust ' || cast(winners.trust_rank as {{ dbt.type_string() }}) || ')'
            else 'most_frequent: on ' || cast(winners.value_records as {{ dbt.type_string() }}) || ' of ' || cast(winners.candidate_records as {{ dbt.type_string() }}) || ' records'
        end
        || case when winners.distinct_values > 1 then ', ' || cast(winners.distinct_values - 1 as {{ dbt.type_string() }}) || ' other value(s) lost' else '' end
        as {{ dbt.type_string() }}
    ) as reason
from winners
where winners.final_rank = 1
