with

source as (

    select
        open_id,
        send_id,
        subscriber_id,
        opened_at,
        user_agent,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('email', 'opens') }}

),

renamed as (

    select
        {{ trim_to_null('open_id') }} as open_id,
        {{ trim_to_null('send_id') }} as send_id,
        {{ trim_to_null('subscriber_id') }} as email_subscriber_id,
        cast(opened_at as timestamp) as opened_at,
        {{ trim_to_null('user_agent') }} as user_agent,

        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as source_line,
        cast(_loaded_at as timestamp) as loaded_at
    from source

)

select
    cast('email' as {{ dbt.type_string() }}) as source_system,
    open_id,
    send_id,
    email_subscriber_id,
    opened_at,
    user_agent,
    source_file,
    source_line,
    loaded_at
from renamed
