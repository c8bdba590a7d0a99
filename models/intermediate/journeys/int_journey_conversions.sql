{#- The conversions journeys end at: every order of fct_orders with a known customer,
    once. An order is a duplicate when an order of the same customer from another source
    system has the same currency and gross revenue (to the cent) and is at most var
    attribution_conversion_dedup_minutes away, and ranks before it (earlier; on a tie
    web_shop, then marketplace, then pos, then order_key). conversion_number counts a
    customer's conversions (repeat-purchase cycles: a path ends at each one).
    Grain: one row per conversion (conversion_key = the kept order's order_key). -#}
{%- set dedup_seconds = var('attribution_conversion_dedup_minutes') | int * 60 -%}
{%- set revenue_column = var('attribution_revenue_column') -%}

with

orders as (

    select
        order_key,
        customer_id,
        source_system,
        sales_channel,
        ordered_at,
        currency,
        cast(gross_revenue as double) as gross_revenue,
        cast({{ revenue_column }} as double) as revenue,
        case source_system when 'web_shop' then 1 when 'marketplace' then 2 when 'pos' then 3 else 4 end
            as source_rank
    from {{ ref('fct_orders') }}
    where customer_id is not null and ordered_at is not null

),

duplicates as (

    select distinct later.order_key
    from orders as later
    inner join orders as earlier
        on later.customer_id = earlier.customer_id
        and later.source_system <> earlier.source_system
        and later.currency = earlier.currency
        and abs(later.gross_revenue - earlier.gross_revenue) < 0.005
        and abs({{ omnichannel_cdp.epoch_seconds('later.ordered_at') }} - {{ omnichannel_cdp.epoch_seconds('earlier.ordered_at') }})
            <= {{ dedup_seconds }}
        and (
            earlier.ordered_at < later.ordered_at
            or (earlier.ordered_at = later.ordered_at and earlier.source_rank < later.source_rank)
            or (earlier.ordered_at = later.ordered_at and earlier.source_rank = later.source_rank
                and earlier.order_key < later.order_key)
        )

),

kept as (

    select orders.*
    from orders
    left join duplicates on orders.order_key = duplicates.order_key
    where duplicates.order_key is null

),

numbered as (

    select
        kept.*,
        row_number() over (partition by customer_id order by ordered_at, order_key) as conversion_number,
        lag(ordered_at) over (partition by customer_id order by ordered_at, order_key) as previous_converted_at
    from kept

)

select
    cast(order_key as {{ dbt.type_string() }}) as conversion_key,
    cast(customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(source_system as {{ dbt.type_string() }}) as source_system,
    cast(sales_channel as {{ dbt.type_string() }}) as sales_channel,
    cast(ordered_at as timestamp) as converted_at,
    cast(currency as {{ dbt.type_string() }}) as currency,
    cast(gross_revenue as double) as gross_revenue,
    cast(revenue as double) as revenue,
    cast(conversion_number as bigint) as conversion_number,
    cast(previous_converted_at as timestamp) as previous_converted_at
from numbered
