{#- accepted_attribution_models: every non-null value is a model name of
    attribution_model_names() (so the Markov orders follow var attribution_markov_orders). -#}
{% test accepted_attribution_models(model, column_name) %}
select {{ column_name }} as failing_value
from {{ model }}
where {{ column_name }} is not null
  and {{ column_name }} not in (
    {%- for name in omnichannel_cdp.attribution_model_names() %}
    {{ omnichannel_cdp.sql_string(name) }}{% if not loop.last %},{% endif %}
    {%- endfor %}
  )
{% endtest %}
