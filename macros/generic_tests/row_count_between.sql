{#- row_count_between: the model's row count lies between min_rows and max_rows
    (inclusive; either may be omitted). One failing row, the count, when it does not. -#}
{% test row_count_between(model, min_rows=none, max_rows=none) %}
select row_count
from (select count(*) as row_count from {{ model }}) as counted
where 1 = 0
    {%- if min_rows is not none %} or row_count < {{ min_rows }}{% endif %}
    {%- if max_rows is not none %} or row_count > {{ max_rows }}{% endif %}
{% endtest %}
