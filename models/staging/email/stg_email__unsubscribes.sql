with

source as (

    select
        unsubscribe_id,
        subscriber_id,
        email,
        unsubscribed_at,
        reason,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('email', 'unsubscribes') }}

),

renamed as (

    select
        {{ trim_to_null('unsubscribe_id') }} as unsubscribe_id,
        {{ trim_to_null('subscriber_id') }} as email_subscriber_id,
        cast(email as {{ dbt.type_string() }}) as email_raw,
        {{ normalize_email('email') }} as email_normalized,
        cast(unsubscribed_at as timestamp) as unsubscribed_at,
        {{ squish('reason') }} as reason,

        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as source_line,
        cast(_loaded_at as timestamp) as loaded_at
    from source

),

normalised as (

    select
        renamed.*,
        {{ canonical_email('email_normalized') }} as email_canonical
    from renamed

)

select
    cast('email' as {{ dbt.type_string() }}) as source_system,
    unsubscribe_id,
    email_subscriber_id,
    email_raw,
    email_normalized,
    email_canonical,
    {{ hash_identifier('email_canonical') }} as email_hash,
    unsubscribed_at,
    reason,
    source_file,
    source_line,
    loaded_at
from normalised
