"""Sidebar: find a customer by email, phone or name; the choice is kept in the URL."""

from __future__ import annotations

import streamlit as st

from dashboard.data import Warehouse
from dashboard.formatting import money
from dashboard.search import find_customers

QUERY_PARAM = "customer"


def render(warehouse: Warehouse) -> str | None:
    """Draw the search box and return the selected customer id (or None)."""
    st.sidebar.header("Find a customer")
    term = st.sidebar.text_input(
        "Email, phone or name",
        key="search_term",
        help="Emails and phones are normalised as in staging and matched against the golden "
        "record and every hashed identifier the customer was linked by.",
    )
    selected = st.query_params.get(QUERY_PARAM)
    if term.strip():
        results = find_customers(warehouse, term)
        st.sidebar.caption(f"{len(results)} match(es)")
        if results.empty:
            return selected
        labels = {
            row.customer_id: (
                f"{row.first_name or '?'} {row.last_name or '?'} · {row.email or 'no email'}"
                f" · {money(row.net_revenue)} · {row.customer_id} ({row.matched_on})"
            )
            for row in results.itertuples()
        }
        ids = list(labels)
        chosen = st.sidebar.radio(
            "Matches",
            ids,
            index=ids.index(selected) if selected in ids else 0,
            format_func=labels.__getitem__,
            key="search_choice",
        )
        if chosen != selected:
            st.query_params[QUERY_PARAM] = chosen
        return chosen
    if selected:
        st.sidebar.caption(f"Showing {selected} (from the link).")
    return selected
