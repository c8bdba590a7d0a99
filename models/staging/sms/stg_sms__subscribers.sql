with

source as (

    select
        sms_subscriber_id,
        phone,
        first_name,
        country,
        status,
        opted_in_at,
        opted_out_at,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('sms', 'subscribers') }}

),

renamed as (

    select
        {{ trim_to_null('sms_subscriber_id') }} as sms_subscriber_id,
        cast(phone as {{ dbt.type_string() }}) as phone_raw,
        {{ normalize_name('first_name') }} as first_name,
        cast(country as {{ dbt.type_string() }}) as country_raw,
        {{ normalize_country('country') }} as country_code,
        lower({{ trim_to_null('status') }}) as status,
        cast(opted_in_at as timestamp) as opted_in_at,
        cast(opted_out_at as timestamp) as opted_out_at,

        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as source_line,
        cast(_loaded_at as timestamp) as loaded_at
    from source

),

normalised as (

    select
        renamed.*,
        {{ normalize_phone('phone_raw', 'country_code') }} as phone_e164,
        {{ name_key('first_name') }} as first_name_key
    from renamed

)

select
    cast('sms.subscribers:' || sms_subscriber_id as {{ dbt.type_string() }}) as record_key,
    cast('sms' as {{ dbt.type_string() }}) as source_system,
    sms_subscriber_id,
    phone_raw,
    phone_e164,
    {{ hash_identifier('phone_e164') }} as phone_hash,
    first_name,
    first_name_key,
    country_raw,
    country_code,
    status,
    opted_in_at,
    opted_out_at,
    source_file,
    source_line,
    loaded_at
from normalised
