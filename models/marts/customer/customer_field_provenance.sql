{#- For every customer and golden-record field: the value that survived, the rule
    that chose it, the source and record it came from and why. -#}
select
    cast(customer_id || ':' || field as {{ dbt.type_string() }}) as provenance_key,
    customer_id,
    field,
    field_value,
    rule,
    source_table,
    record_key,
    observed_at,
    trust_rank,
    candidate_records,
    value_records,
    distinct_values,
    reason
from {{ ref('int_customer_fields_survived') }}
