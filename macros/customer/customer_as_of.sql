{#- The date the customer view is computed as of: var customer_as_of_date
    ('YYYY-MM-DD'), or today when it is not set. Recency, age, tenure, RFM and CLV
    all count to this date. -#}
{% macro customer_as_of_date() -%}
    {%- if var('customer_as_of_date', none) -%}
        cast('{{ var("customer_as_of_date") }}' as date)
    {%- else -%}
        current_date
    {%- endif -%}
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
