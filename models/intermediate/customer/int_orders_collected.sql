{#- One row per order of every sales channel, before returns and before identity: web
    shop orders (app orders are web shop orders whose purchase the app logged), store
    sale receipts and marketplace orders (the export has one row per item: items are
    grouped by marketplace and order number). Cancelled web orders and marketplace
    orders whose items are all cancelled were never revenue and are left out; store
    return receipts are returns, not orders (int_order_returns_unioned).

    Incremental on DuckDB (macros/incremental): a run rebuilds every order with a source
    row loaded since the table's newest loaded_at (minus var
    incremental_lookback_minutes), from all of its rows: a new order or receipt, a web
    order whose app purchase event arrived late, a marketplace order with a new item.
    No customer id: int_orders_unioned joins the identity map, so a merge of two
    customers changes nothing here. -#}
{{ config(
    materialized=omnichannel_cdp.large_fact_materialization(),
    incremental_strategy='delete+insert',
    unique_key='order_key',
    on_schema_change='fail'
) }}
{%- set incremental = is_incremental() -%}
{%- set since = omnichannel_cdp.incremental_loaded_since() if incremental else none -%}

with

{% if incremental -%}
changed_web_orders as (

    select order_id from {{ ref('stg_web_shop__orders') }} where loaded_at >= {{ since }}
    union
    select order_id
    from {{ ref('stg_mobile_app__events') }}
    where loaded_at >= {{ since }} and event_name = 'purchase' and order_id is not null

),

changed_marketplace_orders as (

    select distinct marketplace, marketplace_order_id
    from {{ ref('stg_marketplace__orders') }}
    where loaded_at >= {{ since }}

),

{% endif -%}
web_orders as (

    select record_key, order_id, ordered_at, status, currency, total_amount, loaded_at
    from {{ ref('stg_web_shop__orders') }}
    {%- if incremental %}
    where order_id in (select order_id from changed_web_orders)
    {%- endif %}

),

app_purchases as (

    select order_id, max(loaded_at) as loaded_at
    from {{ ref('stg_mobile_app__events') }}
    where event_name = 'purchase' and order_id is not null
    {%- if incremental %}
        and order_id in (select order_id from changed_web_orders)
    {%- endif %}
    group by order_id

),

receipts as (

    select record_key, receipt_id, store_id, receipt_at, total_amount, loaded_at
    from {{ ref('stg_pos__receipts') }}
    where not is_return
    {%- if incremental %}
        and loaded_at >= {{ since }}
    {%- endif %}

),

marketplace_items as (

    select
        stg_marketplace__orders.record_key,
        stg_marketplace__orders.marketplace,
        stg_marketplace__orders.marketplace_order_id,
        stg_marketplace__orders.ordered_at,
        stg_marketplace__orders.quantity,
        stg_marketplace__orders.item_price,
        stg_marketplace__orders.status,
        stg_marketplace__orders.loaded_at
    from {{ ref('stg_marketplace__orders') }} as stg_marketplace__orders
    {%- if incremental %}
    inner join changed_marketplace_orders
        on stg_marketplace__orders.marketplace = changed_marketplace_orders.marketplace
        and stg_marketplace__orders.marketplace_order_id = changed_marketplace_orders.marketplace_order_id
    {%- endif %}

),

web as (

    select
        web_orders.record_key as order_key,
        web_orders.record_key as source_record_key,
        'web_shop' as source_system,
        web_orders.order_id as source_order_id,
        case when app_purchases.order_id is not null then 'app' else 'web' end as sales_channel,
        cast(null as {{ dbt.type_string() }}) as channel_detail,
        web_orders.ordered_at,
        coalesce(web_orders.currency, '{{ var("customer_default_currency") }}') as currency,
        cast(web_orders.total_amount as double) as gross_revenue,
        coalesce(web_orders.status = 'returned', false) as is_fully_returned,
        greatest(web_orders.loaded_at, coalesce(app_purchases.loaded_at, web_orders.loaded_at)) as loaded_at
    from web_orders
    left join app_purchases on web_orders.order_id = app_purchases.order_id
    where coalesce(web_orders.status, '') <> 'cancelled'

),

store as (

    select
        record_key as order_key,
        record_key as source_record_key,
        'pos' as source_system,
        receipt_id as source_order_id,
        'store' as sales_channel,
        store_id as channel_detail,
        receipt_at as ordered_at,
        '{{ var("customer_default_currency") }}' as currency,
        cast(total_amount as double) as gross_revenue,
        false as is_fully_returned,
        loaded_at
    from receipts

),

marketplace as (

    select
        'marketplace.orders:' || marketplace || ':' || marketplace_order_id as order_key,
        min(record_key) as source_record_key,
        'marketplace' as source_system,
        marketplace_order_id as source_order_id,
        'marketplace' as sales_channel,
        marketplace as channel_detail,
        min(ordered_at) as ordered_at,
        '{{ var("customer_default_currency") }}' as currency,
        cast(sum(case when coalesce(status, '') <> 'cancelled' then item_price * quantity else 0 end) as double)
            as gross_revenue,
        false as is_fully_returned,
        max(loaded_at) as loaded_at
    from marketplace_items
    group by marketplace, marketplace_order_id
    having sum(case when coalesce(status, '') <> 'cancelled' then 1 else 0 end) > 0

),

orders as (

    select * from web
    union all
    select * from store
    union all
    select * from marketplace

)

select
    cast(order_key as {{ dbt.type_string() }}) as order_key,
    cast(source_record_key as {{ dbt.type_string() }}) as source_record_key,
    cast(source_system as {{ dbt.type_string() }}) as source_system,
    cast(source_order_id as {{ dbt.type_string() }}) as source_order_id,
    cast(sales_channel as {{ dbt.type_string() }}) as sales_channel,
    cast(channel_detail as {{ dbt.type_string() }}) as channel_detail,
    ordered_at,
    cast(currency as {{ dbt.type_string() }}) as currency,
    gross_revenue,
    is_fully_returned,
    cast(loaded_at as timestamp) as loaded_at
from orders
