"""Journey drop-offs: abandoned carts (and across devices), pages sessions end on, support
contacts followed by no purchase, converting and non-converting paths."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.data import Warehouse
from dashboard.formatting import count, share

CARTS_SQL = """
select
    count(*) as cart_sessions,
    sum(case when is_abandoned then 1 else 0 end) as abandoned,
    sum(case when is_cross_device_drop_off then 1 else 0 end) as cross_device_drop_offs,
    sum(case when conversion_key is not null then 1 else 0 end) as converted,
    sum(case when is_cross_channel_conversion then 1 else 0 end) as cross_channel_conversions
from marts.fct_journey_cart_sessions
where is_window_complete
"""

PATHS_SQL = """
select
    case when is_converting then 'converting' else 'not converting' end as path,
    count(*) as paths,
    avg(touchpoints) as mean_touchpoints,
    avg(days_to_conversion) as mean_days_to_conversion
from marts.fct_journey_paths
group by all
order by path
"""

EXITS_SQL = """
select page_url, page_type, sessions, exits, dead_end_exits, dead_end_rate
from marts.fct_journey_content_exits
where dead_end_exits > 0
order by dead_end_exits desc, page_url
limit 15
"""

CHURN_SQL = """
select
    contact_channel,
    count(*) as contacts,
    sum(case when is_churned_after then 1 else 0 end) as churned_after
from marts.fct_journey_support_churn
where is_window_complete
group by contact_channel
order by contacts desc
"""


def render(warehouse: Warehouse) -> None:
    carts = warehouse.query(CARTS_SQL).iloc[0]
    figures = st.columns(4)
    figures[0].metric("Cart sessions", count(carts.cart_sessions))
    figures[1].metric("Abandoned carts", count(carts.abandoned))
    figures[2].metric(
        "Abandonment rate",
        share(carts.abandoned / carts.cart_sessions if carts.cart_sessions else None),
    )
    figures[3].metric("Cross-device drop-offs", count(carts.cross_device_drop_offs))

    left, right = st.columns(2)
    with left:
        st.markdown("**Carts: where they end** (carts whose conversion window is complete)")
        stages = pd.DataFrame(
            {
                "outcome": [
                    "bought",
                    "bought in another channel",
                    "abandoned",
                    "abandoned, came back on another device",
                ],
                "carts": [
                    int(carts.converted - carts.cross_channel_conversions),
                    int(carts.cross_channel_conversions),
                    int(carts.abandoned - carts.cross_device_drop_offs),
                    int(carts.cross_device_drop_offs),
                ],
            }
        )
        st.altair_chart(
            alt.Chart(stages)
            .mark_bar()
            .encode(
                x=alt.X("carts:Q"),
                y=alt.Y("outcome:N", sort=None, title=None, axis=alt.Axis(labelLimit=300)),
                color=alt.Color("outcome:N", legend=None),
                tooltip=["outcome", "carts"],
            ),
            width="stretch",
        )
        st.markdown("**Paths**")
        st.dataframe(warehouse.query(PATHS_SQL), hide_index=True)
    with right:
        st.markdown("**Dead ends: pages sessions end on without a purchase**")
        exits = warehouse.query(EXITS_SQL)
        st.altair_chart(
            alt.Chart(exits)
            .mark_bar()
            .encode(
                x=alt.X("dead_end_exits:Q", title="sessions ending here, no purchase"),
                y=alt.Y("page_url:N", sort="-x", title=None, axis=alt.Axis(labelLimit=250)),
                color=alt.Color("page_type:N"),
                tooltip=[
                    "page_url",
                    "page_type",
                    "sessions",
                    "exits",
                    "dead_end_exits",
                    alt.Tooltip("dead_end_rate:Q", format=".1%"),
                ],
            ),
            width="stretch",
        )
        st.markdown("**Support contacts followed by no purchase**")
        st.dataframe(warehouse.query(CHURN_SQL), hide_index=True)
