{#- matches_pattern: fails on every non-null value of column_name that does not match
    the regular expression `pattern` (anchor it with ^...$ for a full match). The regex
    is evaluated with the dispatched regexp_like, so the test runs on DuckDB and Spark. -#}
{% test matches_pattern(model, column_name, pattern) %}
select {{ column_name }} as failing_value
from {{ model }}
where {{ column_name }} is not null
  and not {{ omnichannel_cdp.regexp_like(column_name, pattern) }}
{% endtest %}
