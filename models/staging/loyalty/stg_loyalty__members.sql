with

source as (

    select
        member_id,
        loyalty_card_id,
        email,
        phone,
        first_name,
        last_name,
        birth_date,
        postcode,
        tier,
        enrolled_at,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('loyalty', 'members') }}

),

renamed as (

    select
        {{ trim_to_null('member_id') }} as member_id,
        {{ trim_to_null('loyalty_card_id') }} as loyalty_card_id,
        cast(email as {{ dbt.type_string() }}) as email_raw,
        {{ normalize_email('email') }} as email_normalized,
        cast(phone as {{ dbt.type_string() }}) as phone_raw,
        {{ normalize_phone('phone') }} as phone_e164,
        {{ normalize_name('first_name') }} as first_name,
        {{ normalize_name('last_name') }} as last_name,
        cast(birth_date as date) as birth_date,
        {{ normalize_postcode('postcode') }} as postcode,
        lower({{ trim_to_null('tier') }}) as tier,
        cast(enrolled_at as timestamp) as enrolled_at,

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
        {{ name_key('first_name') }} as first_name_key,
        {{ name_key('last_name') }} as last_name_key
    from renamed

)

select
    cast('loyalty.members:' || member_id as {{ dbt.type_string() }}) as record_key,
    cast('loyalty' as {{ dbt.type_string() }}) as source_system,
    member_id,
    loyalty_card_id,
    email_raw,
    email_normalized,
    email_canonical,
    {{ hash_identifier('email_canonical') }} as email_hash,
    is_relay_email,
    phone_raw,
    phone_e164,
    {{ hash_identifier('phone_e164') }} as phone_hash,
    first_name,
    last_name,
    first_name_key,
    last_name_key,
    birth_date,
    postcode,
    tier,
    enrolled_at,
    source_file,
    source_line,
    loaded_at
from normalised
