{#- is_sha256_hex: every non-null value is a lowercase hex SHA-256 digest (64 chars). -#}
{% test is_sha256_hex(model, column_name) %}
{{ test_matches_pattern(model, column_name, '^[0-9a-f]{64}$') }}
{% endtest %}
