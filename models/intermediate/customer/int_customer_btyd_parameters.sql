{#- The BG/NBD (r, alpha, a, b) and Gamma-Gamma (p, q, v) parameters the CLV scoring
    uses: those the Dagster asset `customer_btyd_parameters` fitted with lifetimes into
    the table ml.customer_btyd_parameters, when that table exists; otherwise the
    committed fallback seeds/customer/customer_btyd_parameters.csv (fitted on the demo
    data; refit with `python -m orchestration.customer.btyd`). Time unit: days. -#}
{%- set fitted = source('ml', 'customer_btyd_parameters') -%}
{%- set exists = execute and adapter.get_relation(database=fitted.database, schema=fitted.schema, identifier=fitted.identifier) is not none -%}
with

parameters as (

{%- if exists %}
    select r, alpha, a, b, p, q, v, fitted_customers, fitted_at, 'ml.customer_btyd_parameters' as parameter_source
    from {{ fitted }}
{%- else %}
    select r, alpha, a, b, p, q, v, fitted_customers, fitted_at, 'seed customer_btyd_parameters' as parameter_source
    from {{ ref('customer_btyd_parameters') }}
{%- endif %}

)

select
    cast(r as double) as r,
    cast(alpha as double) as alpha,
    cast(a as double) as a,
    cast(b as double) as b,
    cast(p as double) as p,
    cast(q as double) as q,
    cast(v as double) as v,
    cast(fitted_customers as bigint) as fitted_customers,
    cast(fitted_at as timestamp) as fitted_at,
    cast(parameter_source as {{ dbt.type_string() }}) as parameter_source
from parameters
