with

source as (

    select
        receipt_id,
        store_id,
        store_city,
        cashier_id,
        receipt_ts,
        loyalty_card_id,
        customer_email,
        customer_name,
        customer_phone,
        total_amount,
        payment_method,
        is_return,
        original_order_id,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('pos', 'receipts') }}

),

renamed as (

    select
        {{ trim_to_null('receipt_id') }} as receipt_id,
        {{ trim_to_null('store_id') }} as store_id,
        {{ normalize_name('store_city') }} as store_city,
        {{ trim_to_null('cashier_id') }} as cashier_id,
        cast(receipt_ts as timestamp) as receipt_at,

        {{ trim_to_null('loyalty_card_id') }} as loyalty_card_id,
        cast(customer_email as {{ dbt.type_string() }}) as email_raw,
        {{ normalize_email('customer_email') }} as email_normalized,
        {{ normalize_name('customer_name') }} as customer_name,
        cast(customer_phone as {{ dbt.type_string() }}) as phone_raw,
        {{ normalize_phone('customer_phone') }} as phone_e164,

        cast(total_amount as decimal(12, 2)) as total_amount,
        lower({{ trim_to_null('payment_method') }}) as payment_method,
        cast(is_return as boolean) as is_return,
        {{ trim_to_null('original_order_id') }} as original_order_id,

        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as source_line,
        cast(_loaded_at as timestamp) as loaded_at
    from source

),

normalised as (

    select
        renamed.*,
        {{ canonical_email('email_normalized') }} as email_canonical,
        {{ is_relay_email('email_normalized') }} as is_relay_email,
        {{ name_key('customer_name') }} as customer_name_key
    from renamed

)

select
    cast('pos.receipts:' || receipt_id as {{ dbt.type_string() }}) as record_key,
    cast('pos' as {{ dbt.type_string() }}) as source_system,
    receipt_id,
    store_id,
    store_city,
    cashier_id,
    receipt_at,
    loyalty_card_id,
    email_raw,
    email_normalized,
    email_canonical,
    {{ hash_identifier('email_canonical') }} as email_hash,
    is_relay_email,
    customer_name,
    customer_name_key,
    phone_raw,
    phone_e164,
    {{ hash_identifier('phone_e164') }} as phone_hash,
    total_amount,
    payment_method,
    is_return,
    original_order_id,
    source_file,
    source_line,
    loaded_at
from normalised
