{#- is_plausible_email: every non-null value is a lowercase, whitespace-free address with
    exactly one "@" and a dotted domain, as normalize_email produces it. -#}
{% test is_plausible_email(model, column_name) %}
select {{ column_name }} as failing_value
from {{ model }}
where {{ column_name }} is not null
  and (
    not {{ omnichannel_cdp.regexp_like(column_name, omnichannel_cdp.plausible_email_pattern()) }}
    or {{ column_name }} <> lower({{ column_name }})
  )
{% endtest %}
