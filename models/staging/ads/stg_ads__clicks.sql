with

source as (

    select
        click_id,
        platform,
        channel,
        click_ts,
        campaign_id,
        campaign_name,
        ad_group,
        utm_source,
        utm_medium,
        utm_campaign,
        landing_page,
        cookie_id,
        _source_file,
        _line_number,
        _loaded_at
    from {{ source('ads', 'clicks') }}

),

renamed as (

    select
        {{ trim_to_null('click_id') }} as ad_click_id,
        lower({{ trim_to_null('platform') }}) as platform,
        lower({{ trim_to_null('channel') }}) as channel,
        cast(click_ts as timestamp) as clicked_at,
        {{ trim_to_null('campaign_id') }} as campaign_id,
        {{ squish('campaign_name') }} as campaign_name,
        {{ squish('ad_group') }} as ad_group,
        lower({{ trim_to_null('utm_source') }}) as utm_source,
        lower({{ trim_to_null('utm_medium') }}) as utm_medium,
        lower({{ trim_to_null('utm_campaign') }}) as utm_campaign,
        {{ trim_to_null('landing_page') }} as landing_page,
        {{ trim_to_null('cookie_id') }} as cookie_id,

        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as source_line,
        cast(_loaded_at as timestamp) as loaded_at
    from source

)

select
    cast('ads.clicks:' || ad_click_id as {{ dbt.type_string() }}) as record_key,
    cast('ads' as {{ dbt.type_string() }}) as source_system,
    ad_click_id,
    platform,
    channel,
    clicked_at,
    campaign_id,
    campaign_name,
    ad_group,
    utm_source,
    utm_medium,
    utm_campaign,
    landing_page,
    cookie_id,
    source_file,
    source_line,
    loaded_at
from renamed
