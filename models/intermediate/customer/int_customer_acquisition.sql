{#- The channel that acquired each buyer: their first order's sales channel, and for a
    web or app order the marketing channel of its utm_medium (var
    customer_acquisition_utm_mediums, whose values are the channels of ads.spend). -#}
with

orders as (

    select order_key, customer_id, source_system, source_order_id, sales_channel, ordered_at
    from {{ ref('fct_orders') }}

),

web_orders as (

    select order_id, utm_medium
    from {{ ref('stg_web_shop__orders') }}

),

first_orders as (

    select order_key, customer_id, source_system, source_order_id, sales_channel, ordered_at
    from orders
    qualify row_number() over (partition by customer_id order by ordered_at, order_key) = 1

)

select
    first_orders.customer_id,
    first_orders.order_key as first_order_key,
    first_orders.ordered_at as acquired_at,
    cast(first_orders.ordered_at as date) as acquisition_date,
    first_orders.sales_channel as first_order_channel,
    cast(
        case
            when first_orders.sales_channel in ('store', 'marketplace') then first_orders.sales_channel
            {%- for medium, channel in var('customer_acquisition_utm_mediums').items() %}
            when web_orders.utm_medium = '{{ medium }}' then '{{ channel }}'
            {%- endfor %}
            else 'direct_or_organic'
        end as {{ dbt.type_string() }}
    ) as acquisition_channel
from first_orders
left join web_orders
    on first_orders.source_system = 'web_shop'
    and first_orders.source_order_id = web_orders.order_id
