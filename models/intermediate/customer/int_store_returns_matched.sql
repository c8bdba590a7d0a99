{#- Every store return receipt with the order it returns. A return of a web order
    carries the web order id (original_order_id). A return of a store purchase carries
    no reference: it is matched to the sale receipt it most plausibly returns, i.e. a
    sale at the same store within var customer_store_return_match_days before the
    return that holds every returned SKU in at least the returned quantity; among
    several, the one of the same customer, then the most recent. A return nothing
    matches keeps order_key null (counted, never dropped). -#}
with

receipts as (

    select record_key, receipt_id, store_id, receipt_at, total_amount, is_return, original_order_id
    from {{ ref('stg_pos__receipts') }}

),

receipt_lines as (

    select receipt_id, sku, quantity
    from {{ ref('stg_pos__receipt_lines') }}

),

identity_map as (

    select record_key, customer_id
    from {{ ref('dim_customer_identity_map') }}

),

returns as (

    select
        receipts.record_key,
        receipts.receipt_id,
        receipts.store_id,
        receipts.receipt_at,
        receipts.original_order_id,
        cast(-receipts.total_amount as double) as refund_amount,
        identity_map.customer_id
    from receipts
    left join identity_map on receipts.record_key = identity_map.record_key
    where receipts.is_return

),

sales as (

    select receipts.receipt_id, receipts.store_id, receipts.receipt_at, identity_map.customer_id
    from receipts
    left join identity_map on receipts.record_key = identity_map.record_key
    where not receipts.is_return

),

return_skus as (

    select
        receipt_lines.receipt_id,
        receipt_lines.sku,
        returns.store_id,
        returns.receipt_at,
        returns.customer_id,
        sum(-receipt_lines.quantity) as quantity
    from receipt_lines
    inner join returns on receipt_lines.receipt_id = returns.receipt_id
    where returns.original_order_id is null
    group by
        receipt_lines.receipt_id, receipt_lines.sku, returns.store_id, returns.receipt_at,
        returns.customer_id

),

return_sku_counts as (

    select receipt_id, count(*) as skus
    from return_skus
    group by receipt_id

),

sale_skus as (

    select
        receipt_lines.receipt_id,
        receipt_lines.sku,
        sales.store_id,
        sales.receipt_at,
        sales.customer_id,
        sum(receipt_lines.quantity) as quantity
    from receipt_lines
    inner join sales on receipt_lines.receipt_id = sales.receipt_id
    group by
        receipt_lines.receipt_id, receipt_lines.sku, sales.store_id, sales.receipt_at,
        sales.customer_id

),

-- a sale line that holds a returned line: same store and SKU, at least the quantity,
-- sold within the window before the return. Joining on store and SKU first pairs a
-- return with the few sales that hold its SKUs, not with every sale of its store in
-- the window (which grows with the square of the store's traffic).
candidates as (

    select
        return_skus.receipt_id as return_receipt_id,
        sale_skus.receipt_id as sale_receipt_id,
        sale_skus.receipt_at as sale_at,
        coalesce(sale_skus.customer_id = return_skus.customer_id, false) as same_customer
    from return_skus
    inner join sale_skus
        on return_skus.store_id = sale_skus.store_id
        and return_skus.sku = sale_skus.sku
        and sale_skus.quantity >= return_skus.quantity
        and sale_skus.receipt_at < return_skus.receipt_at
        and sale_skus.receipt_at >= {{ dbt.dateadd('day', -1 * var('customer_store_return_match_days'), 'return_skus.receipt_at') }}

),

-- the sales that hold every returned line
covering as (

    select
        candidates.return_receipt_id,
        candidates.sale_receipt_id,
        candidates.sale_at,
        candidates.same_customer
    from candidates
    inner join return_sku_counts on candidates.return_receipt_id = return_sku_counts.receipt_id
    group by
        candidates.return_receipt_id, candidates.sale_receipt_id, candidates.sale_at,
        candidates.same_customer, return_sku_counts.skus
    having count(*) = return_sku_counts.skus

),

best_match as (

    select return_receipt_id, sale_receipt_id
    from covering
    qualify row_number() over (
        partition by return_receipt_id
        order by case when same_customer then 0 else 1 end, sale_at desc, sale_receipt_id
    ) = 1

)

select
    returns.record_key as return_record_key,
    returns.receipt_id as return_receipt_id,
    returns.store_id,
    returns.receipt_at as returned_at,
    returns.refund_amount,
    returns.customer_id as return_customer_id,
    case
        when returns.original_order_id is not null then 'web_shop.orders:' || returns.original_order_id
        when best_match.sale_receipt_id is not null then 'pos.receipts:' || best_match.sale_receipt_id
    end as order_key,
    case
        when returns.original_order_id is not null then 'order_reference'
        when best_match.sale_receipt_id is not null then 'matched_sale_receipt'
        else 'unmatched'
    end as match_method
from returns
left join best_match on returns.receipt_id = best_match.return_receipt_id
