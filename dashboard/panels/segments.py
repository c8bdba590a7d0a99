"""The customer's segment memberships: current ones and the history of spells."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.data import Warehouse

MEMBERSHIPS_SQL = """
select
    segment_name,
    purpose,
    spell_number,
    entered_at,
    exited_at,
    is_current
from marts.customer_segment_memberships
where customer_id = ?
order by is_current desc, segment_name, spell_number
"""


def render(warehouse: Warehouse, customer_id: str) -> None:
    spells = warehouse.query(MEMBERSHIPS_SQL, (customer_id,))
    current = spells[spells["is_current"]]
    st.metric("Current segments", len(current))
    if spells.empty:
        st.info("This customer is in no segment.")
        return
    st.markdown("**Current memberships**")
    st.table(current[["segment_name", "purpose", "entered_at"]].reset_index(drop=True))
    history = spells.assign(
        until=spells["exited_at"].fillna(pd.Timestamp.now().floor("s")),
    )
    chart = (
        alt.Chart(history)
        .mark_bar(height=14)
        .encode(
            x=alt.X("entered_at:T", title="member from"),
            x2="until:T",
            y=alt.Y("segment_name:N", title=None),
            color=alt.Color("is_current:N", title="current"),
            tooltip=["segment_name", "purpose", "spell_number", "entered_at", "exited_at"],
        )
        .properties(height=max(100, 30 * spells["segment_name"].nunique()))
    )
    st.altair_chart(chart, width="stretch")
