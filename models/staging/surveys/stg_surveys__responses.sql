with

source as (

    select
        response_id,
        survey_id,
        submitted_at,
        email,
        first_name,
        last_name,
        postcode,
        birth_year,
        gender,
        interests,
        purchase_values,
        preferred_channel,
        content_preferences,
        nps,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('surveys', 'responses') }}

),

renamed as (

    select
        {{ trim_to_null('response_id') }} as response_id,
        {{ trim_to_null('survey_id') }} as survey_id,
        cast(submitted_at as timestamp) as submitted_at,

        cast(email as {{ dbt.type_string() }}) as email_raw,
        {{ normalize_email('email') }} as email_normalized,
        {{ normalize_name('first_name') }} as first_name,
        {{ normalize_name('last_name') }} as last_name,
        {{ normalize_postcode('postcode') }} as postcode,
        cast(birth_year as bigint) as birth_year,
        lower({{ trim_to_null('gender') }}) as gender,

        lower({{ squish('interests') }}) as interests,
        lower({{ squish('purchase_values') }}) as purchase_values,
        lower({{ trim_to_null('preferred_channel') }}) as preferred_channel,
        lower({{ squish('content_preferences') }}) as content_preferences,
        cast(nps as bigint) as nps,

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
    cast('surveys.responses:' || response_id as {{ dbt.type_string() }}) as record_key,
    cast('surveys' as {{ dbt.type_string() }}) as source_system,
    response_id,
    survey_id,
    submitted_at,
    email_raw,
    email_normalized,
    email_canonical,
    {{ hash_identifier('email_canonical') }} as email_hash,
    is_relay_email,
    first_name,
    last_name,
    first_name_key,
    last_name_key,
    postcode,
    birth_year,
    gender,
    interests,
    purchase_values,
    preferred_channel,
    content_preferences,
    nps,
    source_file,
    source_line,
    loaded_at
from normalised
