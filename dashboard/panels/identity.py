"""The customer's identity graph and why each record was linked.

Records are the customer's rows in `dim_customer_identity_map`; the evidence is
`fct_identity_links`: records on one link node are directly linked, by a shared identifier
(the node is drawn, with its hashed value shortened), a probabilistic match or a must-link
(drawn as an edge between the two records). Events (page views, ad clicks) are drawn once,
as their group's representative (`linked_via_record_key`), with the number of events.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.data import Warehouse
from dashboard.formatting import count

GRAPH_RECORD_LIMIT = 60

RECORDS_SQL = """
select
    linked_via_record_key as record_key,
    min(source_table) as source_table,
    count(*) as records,
    max(case when is_profile_record then 1 else 0 end) = 1 as is_profile_record,
    max(case when is_anchor_record then 1 else 0 end) = 1 as is_anchor_record,
    max(case when has_blocked_identifier then 1 else 0 end) = 1 as has_blocked_identifier,
    min(observed_at) as first_observed_at
from marts.dim_customer_identity_map
where customer_id = ?
group by linked_via_record_key
order by first_observed_at, record_key
"""

EVIDENCE_SQL = """
with links as (
    select
        record_key,
        link_node,
        link_kind,
        link_rule,
        match_probability,
        first_name_level,
        last_name_level,
        birth_date_level,
        postcode_level,
        street_level,
        email_level,
        phone_level
    from marts.fct_identity_links
    where customer_id = ?
)

select
    links.record_key,
    links.link_kind,
    links.link_rule,
    links.link_node,
    links.match_probability,
    concat_ws(
        ', ',
        'first_name=' || links.first_name_level,
        'last_name=' || links.last_name_level,
        'birth_date=' || links.birth_date_level,
        'postcode=' || links.postcode_level,
        'street=' || links.street_level,
        'email=' || links.email_level,
        'phone=' || links.phone_level
    ) as comparison_levels,
    string_agg(other.record_key, ', ' order by other.record_key) as linked_to
from links
left join links as other
    on other.link_node = links.link_node and other.record_key <> links.record_key
group by all
order by links.record_key, links.link_kind, links.link_node
"""


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _short(node: str) -> str:
    """'id:email:1c545d9b…' -> 'email 1c545d9b'."""
    _, kind, value = node.split(":", 2)
    return f"{kind} {value[:8]}"


class _Components:
    """Union-find over record keys: which records the drawn evidence already connects."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> bool:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return False
        self.parent[root_b] = root_a
        return True


def graph_dot(records: pd.DataFrame, evidence: pd.DataFrame) -> str:
    """Graphviz DOT of the records (boxes) and the evidence that connects them.

    Every shared identifier is drawn (as an ellipse joined to its records). Pairwise links
    (probabilistic matches, must-links) are drawn only where they connect records that the
    drawn evidence does not connect yet, strongest first: the graph shows why the records
    are one customer without every redundant match; the table lists all of them.
    """
    shown = set(records["record_key"].head(GRAPH_RECORD_LIMIT))
    lines = ["graph identity {", "rankdir=LR;", 'node [fontname="Helvetica", fontsize=11];']
    for row in records.itertuples():
        if row.record_key not in shown:
            continue
        label = row.record_key + (f"\\n({row.records} events)" if row.records > 1 else "")
        style = "filled,bold" if row.is_anchor_record else "filled"
        fill = "#c6dbef" if row.is_profile_record else "#f0f0f0"
        lines.append(
            f'{_quote(row.record_key)} [shape=box, style="{style}", fillcolor="{fill}", '
            f"label={_quote(label)}];"
        )
    components = _Components()
    identifiers = evidence[
        (evidence["link_kind"] == "identifier") & evidence["record_key"].isin(shown)
    ]
    for node, members in identifiers.groupby("link_node", sort=True):
        if len(members) < 2:
            continue  # an identifier of one record only links nothing
        lines.append(
            f'{_quote(node)} [shape=ellipse, style=filled, fillcolor="#fdd0a2", '
            f"label={_quote(_short(node))}];"
        )
        keys = sorted(members["record_key"])
        for key in keys:
            lines.append(f"{_quote(key)} -- {_quote(node)};")
            components.union(keys[0], key)
    pairs = evidence[(evidence["link_kind"] != "identifier") & evidence["record_key"].isin(shown)]
    pairs = pairs.sort_values(["match_probability", "record_key"], ascending=[False, True])
    for row in pairs.itertuples():
        for other in (row.linked_to or "").split(", "):
            if other not in shown or not components.union(row.record_key, other):
                continue
            label = (
                f"p={row.match_probability:.3f}"
                if row.link_kind == "probabilistic"
                else f"must-link: {row.link_rule}"
            )
            lines.append(
                f"{_quote(row.record_key)} -- {_quote(other)} "
                f'[style=dashed, color="#08519c", label={_quote(label)}, fontsize=9];'
            )
    lines.append("}")
    return "\n".join(lines)


def render(warehouse: Warehouse, customer_id: str) -> None:
    records = warehouse.query(RECORDS_SQL, (customer_id,))
    evidence = warehouse.query(EVIDENCE_SQL, (customer_id,))
    figures = st.columns(4)
    figures[0].metric("Identity records", count(records["records"].sum()))
    figures[1].metric("Shown as nodes", count(len(records)))
    figures[2].metric("Profile records", count(records["is_profile_record"].sum()))
    figures[3].metric("Link nodes", count(evidence["link_node"].nunique()))
    if len(records) > GRAPH_RECORD_LIMIT:
        st.caption(f"The graph shows the first {GRAPH_RECORD_LIMIT} of {len(records)} nodes.")
    st.caption(
        "Boxes: records (blue: profile records, bold: the anchor the customer id derives "
        "from). Ellipses: shared identifiers (hashed). Dashed: the strongest probabilistic "
        "matches or must-links that connect what the identifiers do not (all in the table)."
    )
    st.graphviz_chart(graph_dot(records, evidence), width="stretch")
    st.markdown("**Why each record was linked**")
    st.dataframe(
        evidence[
            [
                "record_key",
                "link_kind",
                "link_rule",
                "linked_to",
                "match_probability",
                "comparison_levels",
                "link_node",
            ]
        ],
        hide_index=True,
    )
    st.caption(
        "Any two records, hop by hop: `dbt run-operation why_linked --profiles-dir . "
        '--args \'{record_a: "...", record_b: "..."}\'`'
    )
