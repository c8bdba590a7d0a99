with

source as (

    select
        login_id,
        store_id,
        login_ts,
        email,
        phone,
        device_mac_hash,
        marketing_consent,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('wifi', 'logins') }}

),

renamed as (

    select
        {{ trim_to_null('login_id') }} as login_id,
        {{ trim_to_null('store_id') }} as store_id,
        cast(login_ts as timestamp) as logged_in_at,
        cast(email as {{ dbt.type_string() }}) as email_raw,
        {{ normalize_email('email') }} as email_normalized,
        cast(phone as {{ dbt.type_string() }}) as phone_raw,
        {{ normalize_phone('phone') }} as phone_e164,
        {{ trim_to_null('device_mac_hash') }} as device_mac_hash,
        cast(marketing_consent as boolean) as has_marketing_consent,

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
    cast('wifi.logins:' || login_id as {{ dbt.type_string() }}) as record_key,
    cast('wifi' as {{ dbt.type_string() }}) as source_system,
    login_id,
    store_id,
    logged_in_at,
    email_raw,
    email_normalized,
    email_canonical,
    {{ hash_identifier('email_canonical') }} as email_hash,
    is_relay_email,
    phone_raw,
    phone_e164,
    {{ hash_identifier('phone_e164') }} as phone_hash,
    device_mac_hash,
    has_marketing_consent,
    source_file,
    source_line,
    loaded_at
from normalised
