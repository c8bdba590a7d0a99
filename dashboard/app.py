"""Customer-360 dashboard: `make dashboard`, or
`python -m streamlit run dashboard/app.py` from the repository root with
`CDP_DASHBOARD_WAREHOUSE` (default: `WAREHOUSE_PATH`, then ./warehouse.duckdb) naming the
published warehouse. It only reads, on read-only connections.
"""

from __future__ import annotations

import streamlit as st

from dashboard.data import Warehouse
from dashboard.panels import attribution, identity, journeys, kpis, profile, search, segments
from dashboard.panels import timeline as timeline_panel

CUSTOMER_TABS = ("Profile", "Timeline", "Identity graph", "Segments")
OVERVIEW_TABS = ("KPIs", "Attribution", "Journey drop-offs")


def main() -> None:
    st.set_page_config(page_title="Customer 360", page_icon="👤", layout="wide")
    warehouse = Warehouse.from_environment()
    if not warehouse.path.exists():
        st.error(f"No published warehouse at {warehouse.path}: run `make demo` first.")
        st.stop()
    st.title("Customer 360")
    st.caption(f"Published warehouse {warehouse.path} (read-only)")
    customer_id = search.render(warehouse)
    tabs = st.tabs([*CUSTOMER_TABS, *OVERVIEW_TABS])
    customer_panels = (profile, timeline_panel, identity, segments)
    for tab, panel in zip(tabs[: len(CUSTOMER_TABS)], customer_panels, strict=True):
        with tab:
            if customer_id is None:
                st.info("Search a customer by email, phone or name in the sidebar.")
            else:
                panel.render(warehouse, customer_id)
    for tab, panel in zip(tabs[len(CUSTOMER_TABS) :], (kpis, attribution, journeys), strict=True):
        with tab:
            panel.render(warehouse)


main()
