"""Unified profile: the golden record, where each field came from, the customer's channels."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.data import Warehouse
from dashboard.formatting import count, money, share

PROFILE_SQL = """
select
    customer_id,
    first_name,
    last_name,
    email,
    phone,
    birth_date,
    age_band,
    gender,
    street,
    postcode,
    city,
    country_code,
    loyalty_tier,
    preferred_channel,
    discovery_channel,
    acquisition_channel,
    orders,
    net_revenue,
    first_order_at,
    last_order_at,
    rfm_segment,
    p_alive,
    predicted_clv,
    is_email_consented,
    is_sms_consented,
    is_push_consented,
    source_records,
    profile_records
from marts.dim_customer
where customer_id = ?
"""

PROVENANCE_SQL = """
select
    field,
    field_value,
    rule,
    source_table,
    record_key,
    observed_at,
    reason
from marts.customer_field_provenance
where customer_id = ?
order by field
"""

CHANNELS_SQL = """
select
    channel,
    first_seen_at,
    last_seen_at,
    sessions,
    interactions,
    opens,
    clicks,
    orders,
    net_revenue,
    is_preferred_channel,
    is_discovery_channel
from marts.customer_channel_insights
where customer_id = ?
order by first_seen_at
"""


def render(warehouse: Warehouse, customer_id: str) -> None:
    profile = warehouse.query(PROFILE_SQL, (customer_id,))
    if profile.empty:
        st.warning(f"No customer {customer_id} in the published warehouse.")
        return
    c = profile.iloc[0]
    name = " ".join(part for part in (c.first_name, c.last_name) if part) or "Unnamed customer"
    st.subheader(name)
    st.caption(f"{c.customer_id} · {count(c.source_records)} source records")

    figures = st.columns(5)
    figures[0].metric("Orders", count(c.orders))
    figures[1].metric("Net revenue", money(c.net_revenue))
    figures[2].metric("Predicted CLV", money(c.predicted_clv))
    figures[3].metric("P(alive)", share(c.p_alive))
    figures[4].metric("RFM segment", c.rfm_segment or "–")

    left, right = st.columns(2)
    with left:
        st.markdown("**Golden record**")
        address = ", ".join(
            str(part) for part in (c.street, c.postcode, c.city, c.country_code) if part
        )
        golden = {
            "email": c.email,
            "phone": c.phone,
            "birth date": c.birth_date,
            "age band": c.age_band,
            "gender": c.gender,
            "address": address,
            "loyalty tier": c.loyalty_tier,
            "preferred channel": c.preferred_channel,
            "discovery channel": c.discovery_channel,
            "acquisition channel": c.acquisition_channel,
        }
        st.table(
            pd.DataFrame(
                {
                    "field": list(golden),
                    "value": ["–" if pd.isna(v) or v == "" else str(v) for v in golden.values()],
                }
            )
        )
        consent = {
            "email": c.is_email_consented,
            "SMS": c.is_sms_consented,
            "push": c.is_push_consented,
        }
        st.markdown(
            "**Marketing consent:** "
            + ", ".join(f"{k} {'yes' if v else 'no'}" for k, v in consent.items())
        )
    with right:
        st.markdown("**Activity by channel**")
        channels = warehouse.query(CHANNELS_SQL, (customer_id,))
        if channels.empty:
            st.info("No channel activity.")
        else:
            long = channels.melt(
                id_vars=["channel"],
                value_vars=["sessions", "interactions", "orders"],
                var_name="measure",
                value_name="value",
            )
            chart = (
                alt.Chart(long)
                .mark_bar()
                .encode(
                    x=alt.X("value:Q", title="count"),
                    y=alt.Y("channel:N", sort="-x", title=None),
                    color="measure:N",
                    tooltip=["channel", "measure", "value"],
                )
                .properties(height=max(160, 40 * len(channels)))
            )
            st.altair_chart(chart, width="stretch")

    st.markdown("**Golden-record provenance** (which record won each field, and why)")
    provenance = warehouse.query(PROVENANCE_SQL, (customer_id,))
    st.table(provenance[["field", "field_value", "rule", "source_table", "reason"]])
