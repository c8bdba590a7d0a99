{#- Every hypergeometric series of the CLV scoring summed to within 1e-15 of its
    value (raise var customer_btyd_series_terms when this fails). -#}
{{ config(tags=['customer']) }}
select frequency, t, horizon, terms, tail_bound
from {{ ref('int_customer_btyd_hypergeometric') }}
where not (tail_bound < 1e-15)
