{#- Every hypergeometric series of the CLV scoring stopped by its error bound, not by
    the cap var customer_btyd_series_terms (raise the cap when this fails). -#}
{{ config(tags=['customer']) }}
select frequency, t, horizon, terms, last_term_ratio
from {{ ref('int_customer_btyd_hypergeometric') }}
where hit_term_cap or not (last_term_ratio < 1e-15)
