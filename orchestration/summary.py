"""What the warehouse holds: load figures, identity figures, rows per mart.

`render` is what `python -m orchestration run` and `summary` print at the end: a
newcomer sees where the warehouse is, whether every raw row was accounted for, how
records resolved into customers, and how big each mart is. Raw, staging and
intermediate relations are summed per schema; every mart is listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.erasure.tables import LEDGER, REASON_AT_LOAD, REASON_REQUEST
from orchestration.loader import META_SCHEMA

MART_SCHEMA = "marts"
IDENTITY_MAP = f"{MART_SCHEMA}.dim_customer_identity_map"


@dataclass(frozen=True)
class IdentityFigures:
    """How the identity graph resolved the records of every source.

    `merge_rate` is 1 - customers / records: the share of records that did not become
    a customer of their own because they were merged into another record's customer.
    """

    records: int
    profile_records: int
    customers: int
    largest_cluster_records: int
    largest_cluster_customer: str | None

    @property
    def merge_rate(self) -> float:
        return 1 - self.customers / self.records if self.records else 0.0


def table_counts(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """(schema, table, rows) for every base table and view."""
    names = conn.execute(
        "select schema_name, table_name from ("
        " select schema_name, table_name from duckdb_tables()"
        " union all select schema_name, view_name from duckdb_views() where not internal"
        ") where schema_name not in ('information_schema', 'pg_catalog')"
        " order by 1, 2"
    ).fetchall()
    return [
        (s, t, conn.execute(f'select count(*) from "{s}"."{t}"').fetchall()[0][0]) for s, t in names
    ]


def identity_figures(conn: duckdb.DuckDBPyConnection) -> IdentityFigures | None:
    """None when the identity map has not been built (a load-only warehouse)."""
    exists = conn.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
        IDENTITY_MAP.split("."),
    ).fetchall()[0][0]
    if not exists:
        return None
    records, profile_records, customers = conn.execute(
        f"select count(*), count(*) filter (where is_profile_record), "
        f"count(distinct customer_id) from {IDENTITY_MAP}"
    ).fetchall()[0]
    largest = conn.execute(
        f"select customer_id, count(*) as records from {IDENTITY_MAP} "
        f"group by customer_id order by records desc, customer_id limit 1"
    ).fetchall()
    customer, size = largest[0] if largest else (None, 0)
    return IdentityFigures(records, profile_records, customers, size, customer)


def _load_lines(conn: duckdb.DuckDBPyConnection) -> list[str]:
    files, in_files, loaded, quarantined = conn.execute(
        f"select count(*), coalesce(sum(rows_in_file), 0), coalesce(sum(rows_loaded), 0), "
        f"coalesce(sum(rows_quarantined), 0) from {META_SCHEMA}.load_log"
    ).fetchall()[0]
    at_load, by_request = _erased(conn)
    lines = [
        f"Raw files loaded: {files:,}; rows in files {in_files:,} = loaded {loaded:,} "
        f"+ quarantined {quarantined:,} (see {META_SCHEMA}.quarantine)"
        + (f" + erased at load {at_load:,}" if at_load else "")
    ]
    if by_request:
        lines.append(f"Erased since by erasure requests: {by_request:,} rows ({LEDGER})")
    return lines


def _identity_lines(figures: IdentityFigures | None) -> list[str]:
    if figures is None:
        return ["Identity: not built yet (run the dbt build)"]
    return [
        f"Identity: {figures.records:,} records ({figures.profile_records:,} profile "
        f"records) -> {figures.customers:,} customers; merge rate {figures.merge_rate:.1%}",
        f"  largest cluster: {figures.largest_cluster_records:,} records "
        f"({figures.largest_cluster_customer}); explain it with the why_linked macro",
    ]


def render(warehouse: Path) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        counts = table_counts(conn)
        load_lines = _load_lines(conn)
        identity = identity_figures(conn)
    lines = [f"Warehouse: {warehouse} ({warehouse.stat().st_size / 1e6:.1f} MB)", ""]
    lines += [*load_lines, *_identity_lines(identity), ""]
    per_schema: dict[str, tuple[int, int]] = {}
    for schema, _, rows in counts:
        relations, total = per_schema.get(schema, (0, 0))
        per_schema[schema] = (relations + 1, total + rows)
    swidth = max((len(s) for s in per_schema), default=10)
    lines.append("Relations per schema:")
    for schema, (relations, total) in per_schema.items():
        lines.append(f"  {schema:<{swidth}} {relations:>4} relations {total:>14,} rows")
    marts = [(t, rows) for s, t, rows in counts if s == MART_SCHEMA]
    if marts:
        width = max(len(t) for t, _ in marts)
        lines += ["", f"Rows per mart ({MART_SCHEMA} schema):"]
        lines += [f"  {t:<{width}}  {rows:>12,}" for t, rows in marts]
    lines += ["", f"Open it read-only: duckdb.connect({str(warehouse)!r}, read_only=True)"]
    return "\n".join(lines)


def _erased(conn: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(rows dropped at load as tombstoned, rows removed by erasure requests)."""
    if not conn.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
        [META_SCHEMA, LEDGER.split(".")[1]],
    ).fetchall()[0][0]:
        return 0, 0
    at_load, by_request = conn.execute(
        f"select coalesce(sum(rows_erased) filter (where reason = ?), 0), "
        f"coalesce(sum(rows_erased) filter (where reason = ?), 0) from {LEDGER}",
        [REASON_AT_LOAD, REASON_REQUEST],
    ).fetchall()[0]
    return int(at_load), int(by_request)
