with

source as (

    select
        install_id,
        device_id,
        platform,
        app_version,
        installed_at,
        user_id,
        login_email,
        push_opt_in,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('mobile_app', 'installs') }}

),

renamed as (

    select
        {{ trim_to_null('install_id') }} as install_id,
        {{ trim_to_null('device_id') }} as device_id,
        lower({{ trim_to_null('platform') }}) as platform,
        {{ trim_to_null('app_version') }} as app_version,
        cast(installed_at as timestamp) as installed_at,
        {{ trim_to_null('user_id') }} as customer_id,
        cast(login_email as {{ dbt.type_string() }}) as email_raw,
        {{ normalize_email('login_email') }} as email_normalized,
        cast(push_opt_in as boolean) as has_push_opt_in,

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
    cast('mobile_app.installs:' || install_id as {{ dbt.type_string() }}) as record_key,
    cast('mobile_app' as {{ dbt.type_string() }}) as source_system,
    install_id,
    device_id,
    platform,
    app_version,
    installed_at,
    customer_id,
    email_raw,
    email_normalized,
    email_canonical,
    {{ hash_identifier('email_canonical') }} as email_hash,
    is_relay_email,
    has_push_opt_in,
    source_file,
    source_line,
    loaded_at
from normalised
