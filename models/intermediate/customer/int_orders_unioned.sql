{#- One row per order of every sales channel, before returns (int_orders_collected),
    with the customer its record resolved to: a web order or store receipt through its
    own record, a marketplace order through its items' records (the smallest customer
    id when its items resolved apart). A table rebuilt every run: customer ids change
    when new records link two customers, so they are joined here, never stored in the
    incremental int_orders_collected. -#}
with

orders as (

    select
        order_key, source_record_key, source_system, source_order_id, sales_channel, channel_detail,
        ordered_at, currency, gross_revenue, is_fully_returned
    from {{ ref('int_orders_collected') }}

),

marketplace_items as (

    select record_key, marketplace, marketplace_order_id
    from {{ ref('stg_marketplace__orders') }}

),

identity_map as (

    select record_key, customer_id
    from {{ ref('dim_customer_identity_map') }}

),

marketplace_customers as (

    select
        'marketplace.orders:' || marketplace_items.marketplace || ':' || marketplace_items.marketplace_order_id
            as order_key,
        min(identity_map.customer_id) as customer_id
    from marketplace_items
    inner join identity_map on marketplace_items.record_key = identity_map.record_key
    group by marketplace_items.marketplace, marketplace_items.marketplace_order_id

)

select
    cast(orders.order_key as {{ dbt.type_string() }}) as order_key,
    cast(coalesce(identity_map.customer_id, marketplace_customers.customer_id) as {{ dbt.type_string() }})
        as customer_id,
    cast(orders.source_record_key as {{ dbt.type_string() }}) as source_record_key,
    cast(orders.source_system as {{ dbt.type_string() }}) as source_system,
    cast(orders.source_order_id as {{ dbt.type_string() }}) as source_order_id,
    cast(orders.sales_channel as {{ dbt.type_string() }}) as sales_channel,
    cast(orders.channel_detail as {{ dbt.type_string() }}) as channel_detail,
    orders.ordered_at,
    cast(orders.currency as {{ dbt.type_string() }}) as currency,
    orders.gross_revenue,
    orders.is_fully_returned
from orders
left join identity_map
    on orders.order_key = identity_map.record_key
    and orders.source_system <> 'marketplace'
left join marketplace_customers on orders.order_key = marketplace_customers.order_key
