{#- unique_combination_of_columns: no two rows share the same values in all of
    combination_of_columns (a composite primary key). Returns each duplicated key. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
{%- set columns_csv = combination_of_columns | join(', ') %}
select {{ columns_csv }}, count(*) as n_records
from {{ model }}
group by {{ columns_csv }}
having count(*) > 1
{% endtest %}
