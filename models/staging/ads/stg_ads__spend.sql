with

source as (

    select
        spend_date,
        platform,
        channel,
        campaign_id,
        campaign_name,
        impressions,
        clicks,
        spend,
        currency,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('ads', 'spend') }}

),

renamed as (

    select
        cast(spend_date as date) as spend_date,
        lower({{ trim_to_null('platform') }}) as platform,
        lower({{ trim_to_null('channel') }}) as channel,
        {{ trim_to_null('campaign_id') }} as campaign_id,
        {{ squish('campaign_name') }} as campaign_name,
        cast(impressions as bigint) as impressions,
        cast(clicks as bigint) as clicks,
        cast(spend as decimal(12, 2)) as spend_amount,
        upper({{ trim_to_null('currency') }}) as currency,

        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as source_line,
        cast(_loaded_at as timestamp) as loaded_at
    from source

)

select
    cast('ads' as {{ dbt.type_string() }}) as source_system,
    spend_date,
    platform,
    channel,
    campaign_id,
    campaign_name,
    impressions,
    clicks,
    spend_amount,
    currency,
    source_file,
    source_line,
    loaded_at
from renamed
