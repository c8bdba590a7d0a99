{#- Store returns no sale matches are not netted from any order: warn when their
    refunds exceed var customer_unmatched_return_share of store revenue. -#}
{{ config(severity='warn', tags=['customer'], meta={'dagster': {'ref': {'name': 'fct_returns'}}}) }}
with

unmatched as (

    select coalesce(sum(refund_amount), 0) as refunded
    from {{ ref('fct_returns') }}
    where not is_matched

),

store as (

    select coalesce(sum(gross_revenue), 0) as revenue
    from {{ ref('fct_orders') }}
    where sales_channel = 'store'

)

select unmatched.refunded, store.revenue
from unmatched
cross join store
where unmatched.refunded > {{ var('customer_unmatched_return_share') }} * store.revenue
