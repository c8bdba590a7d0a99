with

source as (

    select
        points_txn_id,
        member_id,
        txn_ts,
        txn_type,
        points,
        reference_id,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('loyalty', 'points') }}

),

renamed as (

    select
        {{ trim_to_null('points_txn_id') }} as points_transaction_id,
        {{ trim_to_null('member_id') }} as member_id,
        cast(txn_ts as timestamp) as transacted_at,
        lower({{ trim_to_null('txn_type') }}) as transaction_type,
        cast(points as bigint) as points,
        {{ trim_to_null('reference_id') }} as reference_id,

        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as source_line,
        cast(_loaded_at as timestamp) as loaded_at
    from source

)

select
    cast('loyalty' as {{ dbt.type_string() }}) as source_system,
    points_transaction_id,
    member_id,
    transacted_at,
    transaction_type,
    points,
    reference_id,
    source_file,
    source_line,
    loaded_at
from renamed
