{#- Content dead ends: for every page of the web shop, how often sessions end on it. An
    exit is a page view that is the last of its session; a dead-end exit is an exit of
    a session that did not reach the order confirmation page. dead_end_rate = dead-end
    exits / page views: pages with a high rate lose visitors who had not bought.
    Grain: one row per page (page_url). -#}

with

page_views as (

    select page_view_id, session_id, viewed_at, page_url, page_type
    from {{ ref('stg_web_shop__page_views') }}
    where session_id is not null and page_url is not null

),

ranked as (

    select
        page_views.*,
        row_number() over (partition by session_id order by viewed_at desc, page_view_id desc) as reverse_page_number,
        max(case when page_type = 'confirmation' then 1 else 0 end) over (partition by session_id) as session_purchased
    from page_views

),

pages as (

    select
        page_url,
        min(page_type) as page_type,
        count(*) as page_views,
        count(distinct session_id) as sessions,
        sum(case when reverse_page_number = 1 then 1 else 0 end) as exits,
        sum(case when reverse_page_number = 1 and session_purchased = 0 then 1 else 0 end) as dead_end_exits
    from ranked
    group by page_url

)

select
    cast(page_url as {{ dbt.type_string() }}) as page_url,
    cast(page_type as {{ dbt.type_string() }}) as page_type,
    cast(page_views as bigint) as page_views,
    cast(sessions as bigint) as sessions,
    cast(exits as bigint) as exits,
    cast(dead_end_exits as bigint) as dead_end_exits,
    cast(cast(exits as double) / page_views as double) as exit_rate,
    cast(cast(dead_end_exits as double) / page_views as double) as dead_end_rate
from pages
