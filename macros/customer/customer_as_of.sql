{#- The date the customer view is computed as of: var customer_as_of_date
    ('YYYY-MM-DD'), or, when it is empty, the day this dbt invocation started (UTC;
    not `current_date`, which two models built either side of midnight would read
    differently). Recency, age, tenure, RFM and CLV all count to this date. -#}
{% macro customer_as_of_date() -%}
    {%- set as_of = var('customer_as_of_date', none) or run_started_at.strftime('%Y-%m-%d') -%}
    cast('{{ as_of }}' as date)
{%- endmacro %}

{#- Whole years from date `born` to date `on` (a person's age), portable. -#}
{% macro customer_age_years(born, on) -%}
    (extract(year from {{ on }}) - extract(year from {{ born }})
        - case
            when extract(month from {{ on }}) < extract(month from {{ born }})
                or (extract(month from {{ on }}) = extract(month from {{ born }})
                    and extract(day from {{ on }}) < extract(day from {{ born }}))
            then 1 else 0
        end)
{%- endmacro %}
