{#- is_e164: every non-null value is an E.164 phone number (^\+[1-9][0-9]{6,14}$). -#}
{% test is_e164(model, column_name) %}
{{ test_matches_pattern(model, column_name, omnichannel_cdp.e164_pattern()) }}
{% endtest %}
