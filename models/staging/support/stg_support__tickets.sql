with

source as (

    select
        ticket_id,
        channel,
        created_at,
        solved_at,
        requester_email,
        requester_phone,
        requester_name,
        order_reference,
        reason,
        status,
        csat_score,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('support', 'tickets') }}

),

renamed as (

    select
        {{ trim_to_null('ticket_id') }} as ticket_id,
        lower({{ trim_to_null('channel') }}) as channel,
        cast(created_at as timestamp) as created_at,
        cast(solved_at as timestamp) as solved_at,

        cast(requester_email as {{ dbt.type_string() }}) as email_raw,
        {{ normalize_email('requester_email') }} as email_normalized,
        cast(requester_phone as {{ dbt.type_string() }}) as phone_raw,
        {{ normalize_phone('requester_phone') }} as phone_e164,
        {{ normalize_name('requester_name') }} as requester_name,

        {{ trim_to_null('order_reference') }} as order_reference,
        lower({{ trim_to_null('reason') }}) as reason,
        lower({{ trim_to_null('status') }}) as status,
        cast(csat_score as bigint) as csat_score,

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
        {{ name_key('requester_name') }} as requester_name_key
    from renamed

)

select
    cast('support.tickets:' || ticket_id as {{ dbt.type_string() }}) as record_key,
    cast('support' as {{ dbt.type_string() }}) as source_system,
    ticket_id,
    channel,
    created_at,
    solved_at,
    email_raw,
    email_normalized,
    email_canonical,
    {{ hash_identifier('email_canonical') }} as email_hash,
    is_relay_email,
    phone_raw,
    phone_e164,
    {{ hash_identifier('phone_e164') }} as phone_hash,
    requester_name,
    requester_name_key,
    order_reference,
    reason,
    status,
    csat_score,
    source_file,
    source_line,
    loaded_at
from normalised
