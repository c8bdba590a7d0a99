"""Attribution by model, side by side: credited conversions or revenue per channel, and
ROAS of the paid channels (`fct_attribution_credits`, `fct_attribution_channel_daily`)."""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard.data import Warehouse

CREDITS_SQL = """
select
    attribution_model,
    channel,
    sum(conversion_credit) as conversions,
    sum(revenue_credit) as revenue
from marts.fct_attribution_credits
group by attribution_model, channel
order by attribution_model, channel
"""

ROAS_SQL = """
select
    attribution_model,
    channel,
    sum(spend) as spend,
    sum(attributed_revenue) as attributed_revenue,
    sum(attributed_revenue) / nullif(sum(spend), 0) as roas,
    sum(spend) / nullif(sum(attributed_new_customers), 0) as cac
from marts.fct_attribution_channel_daily
group by attribution_model, channel
having sum(spend) > 0
order by attribution_model, channel
"""

UNATTRIBUTED = "unattributed"
DEFAULT_MODELS = ("first_touch", "last_touch", "linear", "shapley", "markov_order_1")


def render(warehouse: Warehouse) -> None:
    credits = warehouse.query(CREDITS_SQL)
    models = sorted(credits["attribution_model"].unique())
    measure = st.radio("Credit", ["conversions", "revenue"], horizontal=True, key="attr_measure")
    chosen = st.multiselect(
        "Models",
        models,
        default=[m for m in DEFAULT_MODELS if m in models],
        key="attr_models",
    )
    hide_unattributed = st.checkbox(
        "Hide conversions with no touch (unattributed)", value=True, key="attr_hide"
    )
    shown = credits[credits["attribution_model"].isin(chosen)]
    if hide_unattributed:
        shown = shown[shown["channel"] != UNATTRIBUTED]
    chart = (
        alt.Chart(shown)
        .mark_bar()
        .encode(
            x=alt.X("channel:N", title=None),
            xOffset="attribution_model:N",
            y=alt.Y(f"{measure}:Q", title=f"credited {measure}"),
            color=alt.Color("attribution_model:N", title="model"),
            tooltip=["attribution_model", "channel", alt.Tooltip(f"{measure}:Q", format=",.2f")],
        )
    )
    st.altair_chart(chart, width="stretch")

    st.markdown(f"**Credited {measure} per channel under every model**")
    table = credits.pivot(index="channel", columns="attribution_model", values=measure).fillna(0.0)
    st.table(table.style.format("{:,.1f}"))

    st.markdown("**ROAS and CAC of paid channels by model**")
    roas = warehouse.query(ROAS_SQL)
    heatmap = (
        alt.Chart(roas)
        .mark_rect()
        .encode(
            x=alt.X("attribution_model:N", title="model"),
            y=alt.Y("channel:N", title=None),
            color=alt.Color("roas:Q", title="ROAS", scale=alt.Scale(scheme="greens")),
            tooltip=[
                "attribution_model",
                "channel",
                "spend",
                "attributed_revenue",
                alt.Tooltip("roas:Q", format=".2f"),
                alt.Tooltip("cac:Q", format=",.2f"),
            ],
        )
    )
    text = heatmap.mark_text(fontSize=11).encode(
        text=alt.Text("roas:Q", format=".2f"), color=alt.value("black")
    )
    st.altair_chart(heatmap + text, width="stretch")
