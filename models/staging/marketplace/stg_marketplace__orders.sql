with

source as (

    select
        order_item_id,
        marketplace,
        marketplace_order_id,
        buyer_id,
        buyer_email_masked,
        buyer_name,
        ship_street,
        ship_postcode,
        ship_city,
        ship_country,
        order_ts,
        sku,
        quantity,
        item_price,
        status,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('marketplace', 'orders') }}

),

renamed as (

    select
        {{ trim_to_null('order_item_id') }} as order_item_id,
        lower({{ trim_to_null('marketplace') }}) as marketplace,
        {{ trim_to_null('marketplace_order_id') }} as marketplace_order_id,
        {{ trim_to_null('buyer_id') }} as buyer_id,
        cast(buyer_email_masked as {{ dbt.type_string() }}) as email_raw,
        {{ normalize_email('buyer_email_masked') }} as email_normalized,
        {{ normalize_name('buyer_name') }} as buyer_name,

        {{ normalize_name('ship_street') }} as ship_street,
        {{ normalize_postcode('ship_postcode') }} as ship_postcode,
        {{ normalize_name('ship_city') }} as ship_city,
        cast(ship_country as {{ dbt.type_string() }}) as ship_country_raw,
        {{ normalize_country('ship_country') }} as ship_country_code,

        cast(order_ts as timestamp) as ordered_at,
        {{ trim_to_null('sku') }} as sku,
        cast(quantity as bigint) as quantity,
        cast(item_price as decimal(12, 2)) as item_price,
        lower({{ trim_to_null('status') }}) as status,

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
        {{ name_key('buyer_name') }} as buyer_name_key
    from renamed

)

select
    cast('marketplace.orders:' || order_item_id as {{ dbt.type_string() }}) as record_key,
    cast('marketplace' as {{ dbt.type_string() }}) as source_system,
    order_item_id,
    marketplace,
    marketplace_order_id,
    buyer_id,
    email_raw,
    email_normalized,
    email_canonical,
    {{ hash_identifier('email_canonical') }} as email_hash,
    is_relay_email,
    buyer_name,
    buyer_name_key,
    ship_street,
    ship_postcode,
    ship_city,
    ship_country_raw,
    ship_country_code,
    ordered_at,
    sku,
    quantity,
    item_price,
    status,
    source_file,
    source_line,
    loaded_at
from normalised
