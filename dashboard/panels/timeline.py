"""Timeline of the customer's touchpoints across channels, with their orders on it."""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard.data import Warehouse
from dashboard.formatting import count

TIMELINE_SQL = """
with touches as (
    select
        touched_at as happened_at,
        channel,
        touch_type as event_type,
        coalesce(campaign, source, landing_location) as detail,
        cast(null as double) as net_revenue
    from marts.fct_touchpoints
    where customer_id = ?
),

orders as (
    select
        ordered_at as happened_at,
        sales_channel as channel,
        'order' as event_type,
        source_order_id as detail,
        net_revenue
    from marts.fct_orders
    where customer_id = ?
)

select happened_at, channel, event_type, detail, net_revenue from touches
union all
select happened_at, channel, event_type, detail, net_revenue from orders
order by happened_at
"""


def render(warehouse: Warehouse, customer_id: str) -> None:
    events = warehouse.query(TIMELINE_SQL, (customer_id, customer_id))
    touches = events[events["event_type"] != "order"]
    figures = st.columns(3)
    figures[0].metric("Touchpoints", count(len(touches)))
    figures[1].metric("Orders", count(len(events) - len(touches)))
    figures[2].metric("Channels touched", count(touches["channel"].nunique()))
    if events.empty:
        st.info("No touchpoints or orders for this customer.")
        return
    chart = (
        alt.Chart(events)
        .mark_point(filled=True, size=90)
        .encode(
            x=alt.X("happened_at:T", title="time"),
            y=alt.Y("channel:N", title=None),
            color=alt.Color("event_type:N", title="event"),
            shape=alt.Shape("event_type:N", title="event"),
            tooltip=["happened_at:T", "channel", "event_type", "detail", "net_revenue"],
        )
        .properties(height=max(160, 40 * events["channel"].nunique()))
        .interactive()
    )
    st.altair_chart(chart, width="stretch")
    st.markdown("**Latest events**")
    st.dataframe(events.sort_values("happened_at", ascending=False).head(50), hide_index=True)
