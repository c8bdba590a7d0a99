with

source as (

    select
        order_id,
        customer_id,
        guest_email,
        cookie_id,
        order_ts,
        status,
        currency,
        subtotal,
        shipping_amount,
        discount_amount,
        total_amount,
        shipping_postcode,
        shipping_city,
        shipping_country,
        utm_source,
        utm_medium,
        utm_campaign,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('web_shop', 'orders') }}

),

renamed as (

    select
        {{ trim_to_null('order_id') }} as order_id,
        {{ trim_to_null('customer_id') }} as customer_id,
        cast(guest_email as {{ dbt.type_string() }}) as email_raw,
        {{ normalize_email('guest_email') }} as email_normalized,
        {{ trim_to_null('cookie_id') }} as cookie_id,

        cast(order_ts as timestamp) as ordered_at,
        lower({{ trim_to_null('status') }}) as status,
        upper({{ trim_to_null('currency') }}) as currency,
        cast(subtotal as decimal(12, 2)) as subtotal,
        cast(shipping_amount as decimal(12, 2)) as shipping_amount,
        cast(discount_amount as decimal(12, 2)) as discount_amount,
        cast(total_amount as decimal(12, 2)) as total_amount,

        {{ normalize_postcode('shipping_postcode') }} as shipping_postcode,
        {{ normalize_name('shipping_city') }} as shipping_city,
        cast(shipping_country as {{ dbt.type_string() }}) as shipping_country_raw,
        {{ normalize_country('shipping_country') }} as shipping_country_code,

        lower({{ trim_to_null('utm_source') }}) as utm_source,
        lower({{ trim_to_null('utm_medium') }}) as utm_medium,
        lower({{ trim_to_null('utm_campaign') }}) as utm_campaign,

        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as source_line,
        cast(_loaded_at as timestamp) as loaded_at
    from source

),

normalised as (

    select
        renamed.*,
        {{ canonical_email('email_normalized') }} as email_canonical,
        {{ is_relay_email('email_normalized') }} as is_relay_email
    from renamed

)

select
    cast('web_shop.orders:' || order_id as {{ dbt.type_string() }}) as record_key,
    cast('web_shop' as {{ dbt.type_string() }}) as source_system,
    order_id,
    customer_id,
    email_raw,
    email_normalized,
    email_canonical,
    {{ hash_identifier('email_canonical') }} as email_hash,
    is_relay_email,
    cookie_id,
    ordered_at,
    status,
    currency,
    subtotal,
    shipping_amount,
    discount_amount,
    total_amount,
    shipping_postcode,
    shipping_city,
    shipping_country_raw,
    shipping_country_code,
    utm_source,
    utm_medium,
    utm_campaign,
    source_file,
    source_line,
    loaded_at
from normalised
