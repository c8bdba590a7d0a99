with

source as (

    select
        contact_id,
        salutation,
        first_name,
        last_name,
        email,
        phone,
        mobile,
        street,
        postcode,
        city,
        country,
        birth_date,
        lead_source,
        lifecycle_stage,
        created_at,
        updated_at,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('crm', 'contacts') }}

),

renamed as (

    select
        {{ trim_to_null('contact_id') }} as contact_id,

        {{ squish('salutation') }} as salutation,
        {{ normalize_name('first_name') }} as first_name,
        {{ normalize_name('last_name') }} as last_name,
        cast(email as {{ dbt.type_string() }}) as email_raw,
        {{ normalize_email('email') }} as email_normalized,
        cast(phone as {{ dbt.type_string() }}) as phone_raw,
        cast(mobile as {{ dbt.type_string() }}) as mobile_raw,

        {{ normalize_name('street') }} as street,
        {{ normalize_postcode('postcode') }} as postcode,
        {{ normalize_name('city') }} as city,
        cast(country as {{ dbt.type_string() }}) as country_raw,
        {{ normalize_country('country') }} as country_code,
        cast(birth_date as date) as birth_date,

        lower({{ trim_to_null('lead_source') }}) as lead_source,
        lower({{ trim_to_null('lifecycle_stage') }}) as lifecycle_stage,
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
        {{ normalize_phone('mobile_raw', 'country_code') }} as mobile_e164,
        {{ name_key('first_name') }} as first_name_key,
        {{ name_key('last_name') }} as last_name_key
    from renamed

)

select
    cast('crm.contacts:' || contact_id as {{ dbt.type_string() }}) as record_key,
    cast('crm' as {{ dbt.type_string() }}) as source_system,
    contact_id,
    salutation,
    first_name,
    last_name,
    first_name_key,
    last_name_key,
    email_raw,
    email_normalized,
    email_canonical,
    {{ hash_identifier('email_canonical') }} as email_hash,
    is_relay_email,
    phone_raw,
    phone_e164,
    {{ hash_identifier('phone_e164') }} as phone_hash,
    mobile_raw,
    mobile_e164,
    {{ hash_identifier('mobile_e164') }} as mobile_hash,
    street,
    postcode,
    city,
    country_raw,
    country_code,
    birth_date,
    lead_source,
    lifecycle_stage,
    created_at,
    updated_at,
    source_file,
    source_line,
    loaded_at
from normalised
