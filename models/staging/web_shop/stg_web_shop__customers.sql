with

source as (

    select
        customer_id,
        email,
        username,
        first_name,
        last_name,
        phone,
        birth_date,
        gender,
        street,
        postcode,
        city,
        country,
        marketing_opt_in,
        created_at,
        updated_at,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('web_shop', 'customers') }}

),

renamed as (

    select
        {{ trim_to_null('customer_id') }} as customer_id,

        cast(email as {{ dbt.type_string() }}) as email_raw,
        {{ normalize_email('email') }} as email_normalized,
        {{ trim_to_null('username') }} as username,
        {{ normalize_name('first_name') }} as first_name,
        {{ normalize_name('last_name') }} as last_name,
        cast(phone as {{ dbt.type_string() }}) as phone_raw,
        cast(birth_date as date) as birth_date,
        lower({{ trim_to_null('gender') }}) as gender,

        {{ normalize_name('street') }} as street,
        {{ normalize_postcode('postcode') }} as postcode,
        {{ normalize_name('city') }} as city,
        cast(country as {{ dbt.type_string() }}) as country_raw,
        {{ normalize_country('country') }} as country_code,

        cast(marketing_opt_in as boolean) as has_marketing_opt_in,
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,

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
        {{ normalize_phone('phone_raw', 'country_code') }} as phone_e164,
        {{ name_key('first_name') }} as first_name_key,
        {{ name_key('last_name') }} as last_name_key
    from renamed

)

select
    cast('web_shop.customers:' || customer_id as {{ dbt.type_string() }}) as record_key,
    cast('web_shop' as {{ dbt.type_string() }}) as source_system,
    customer_id,
    email_raw,
    email_normalized,
    email_canonical,
    {{ hash_identifier('email_canonical') }} as email_hash,
    is_relay_email,
    username,
    first_name,
    last_name,
    first_name_key,
    last_name_key,
    phone_raw,
    phone_e164,
    {{ hash_identifier('phone_e164') }} as phone_hash,
    birth_date,
    gender,
    street,
    postcode,
    city,
    country_raw,
    country_code,
    has_marketing_opt_in,
    created_at,
    updated_at,
    source_file,
    source_line,
    loaded_at
from normalised
