with

source as (

    select
        subscriber_id,
        email,
        first_name,
        status,
        subscribed_at,
        double_opt_in_at,
        opt_in_source,
        language,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('email', 'subscribers') }}

),

renamed as (

    select
        {{ trim_to_null('subscriber_id') }} as email_subscriber_id,
        cast(email as {{ dbt.type_string() }}) as email_raw,
        {{ normalize_email('email') }} as email_normalized,
        {{ normalize_name('first_name') }} as first_name,

        lower({{ trim_to_null('status') }}) as status,
        cast(subscribed_at as timestamp) as subscribed_at,
        cast(double_opt_in_at as timestamp) as double_opt_in_at,
        lower({{ trim_to_null('opt_in_source') }}) as opt_in_source,
        lower({{ trim_to_null('language') }}) as language,

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
        {{ name_key('first_name') }} as first_name_key
    from renamed

)

select
    cast('email.subscribers:' || email_subscriber_id as {{ dbt.type_string() }}) as record_key,
    cast('email' as {{ dbt.type_string() }}) as source_system,
    email_subscriber_id,
    email_raw,
    email_normalized,
    email_canonical,
    {{ hash_identifier('email_canonical') }} as email_hash,
    is_relay_email,
    first_name,
    first_name_key,
    status,
    subscribed_at,
    double_opt_in_at,
    opt_in_source,
    language,
    source_file,
    source_line,
    loaded_at
from normalised
