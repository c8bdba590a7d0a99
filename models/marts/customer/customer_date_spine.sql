{#- One row per day from var customer_date_spine_start for var customer_date_spine_days
    days: the MetricFlow time spine of the customer metrics. -#}
select cast({{ dbt.dateadd('day', 'days.n', "cast('" ~ var('customer_date_spine_start') ~ "' as date)") }} as date) as date_day
from {{ customer_integer_series(var('customer_date_spine_days')) }} as days
