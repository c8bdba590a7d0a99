"""The part of the ground truth that evidence can reach: each person split into the
groups of their records that some shared evidence connects.

The generator plants records no method can attach to their person: an anonymous till
receipt, a wifi login with a phone number seen nowhere else, a survey answered under a
mailbox used only there. Scoring recall against the full truth measures the generator,
not the matcher. This module refines each true person into *evidence components*: two
records of the same person are connected when they share an identifier value or agree
exactly on a pair of attributes that any record-linkage method would block on (see
EVIDENCE_KEYS). The evaluation reports recall against both truths.

The definition is deliberately generous and independent of the warehouse's rules: it
ignores guards, caps, thresholds and vetoes, so a person's records guarded apart by the
warehouse (a shared family mailbox, say) still count as linkable and their split
counts against recall.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

DEFAULT_RECORDS_TABLE = "intermediate.int_identity_records_expanded"

# name -> SQL over the records table; a record contributes each non-null key.
EVIDENCE_KEYS: dict[str, str] = {
    "email": "email_hash",
    "phone": "phone_e164",
    "phone_2": "phone_e164_2",
    "web_customer_id": "web_customer_id",
    "crm_contact_id": "crm_contact_id",
    "loyalty_card_id": "loyalty_card_id",
    "device_id": "device_id",
    "cookie_id": "cookie_id",
    "marketplace_buyer": "marketplace_buyer",
    "web_order_id": "web_order_id",
    "full_name": "first_name_key || ' ' || last_name_key",
    "last_name_postcode": "last_name_key || ' ' || postcode",
    "last_name_birth_date": "last_name_key || ' ' || cast(birth_date as varchar)",
    "first_name_birth_date": "first_name_key || ' ' || cast(birth_date as varchar)",
    "last_name_street": "last_name_key || ' ' || street_key",
}
# Both phone columns hold one kind of value: a number in either connects.
_SAME_KIND = {"phone_2": "phone"}


def _evidence(con: duckdb.DuckDBPyConnection, records_table: str) -> pd.DataFrame:
    """record_key, evidence node (kind:value) for every non-null evidence key."""
    selects = [
        f"select record_key, '{_SAME_KIND.get(name, name)}:' || ({sql}) as node "
        f"from {records_table} where ({sql}) is not null"
        for name, sql in EVIDENCE_KEYS.items()
    ]
    return con.execute(" union all ".join(selects)).df()


def evidence_components(record_person: pd.Series, evidence: pd.DataFrame) -> pd.Series:
    """Refine record -> person into record -> '<person>#<n>', one label per group of the
    person's records connected by shared evidence nodes (only within one person).

    `evidence` has columns record_key, node. Records without evidence are their own group."""
    keys = pd.Index(record_person.index)
    code = pd.Series(np.arange(len(keys)), index=keys)
    ev = evidence[evidence["record_key"].isin(keys)]
    rec = code.loc[ev["record_key"]].to_numpy()
    person = record_person.loc[ev["record_key"]].to_numpy(dtype=object)
    # an evidence node only connects records of the same person
    node = pd.factorize(pd.Series(person, dtype=object) + "\x1f" + ev["node"].to_numpy())[0]
    n_rec, n_node = len(keys), int(node.max()) + 1 if len(node) else 0
    graph = coo_matrix(
        (np.ones(len(rec), dtype=np.int8), (rec, n_rec + node)),
        shape=(n_rec + n_node, n_rec + n_node),
    )
    _, component = connected_components(graph, directed=False)
    labels = record_person.to_numpy(dtype=object) + "#" + component[:n_rec].astype(str)
    return pd.Series(labels, index=keys, name="evidence_component")


def linkable_truth(
    warehouse: str, record_person: pd.Series, records_table: str = DEFAULT_RECORDS_TABLE
) -> pd.Series:
    """evidence_components over the identity records of a warehouse (read-only)."""
    con = duckdb.connect(warehouse, read_only=True)
    try:
        evidence = _evidence(con, records_table)
    finally:
        con.close()
    return evidence_components(record_person, evidence)
