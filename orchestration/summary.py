"""What the warehouse holds: row counts per layer, quarantine and load figures."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.erasure.tables import LEDGER, REASON_AT_LOAD, REASON_REQUEST
from orchestration.loader import META_SCHEMA


def table_counts(warehouse: Path) -> list[tuple[str, str, int]]:
    """(schema, table, rows) for every base table and view, read-only."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        names = conn.execute(
            "select schema_name, table_name from ("
            " select schema_name, table_name from duckdb_tables()"
            " union all select schema_name, view_name from duckdb_views() where not internal"
            ") where schema_name not in ('information_schema', 'pg_catalog')"
            " order by 1, 2"
        ).fetchall()
        return [
            (s, t, conn.execute(f'select count(*) from "{s}"."{t}"').fetchall()[0][0])
            for s, t in names
        ]


def render(warehouse: Path) -> str:
    counts = table_counts(warehouse)
    lines = [f"Warehouse: {warehouse} ({warehouse.stat().st_size / 1e6:.1f} MB)", ""]
    width = max((len(f"{s}.{t}") for s, t, _ in counts), default=10)
    current = None
    for schema, table, rows in counts:
        if schema != current:
            lines.append(f"[{schema}]")
            current = schema
        lines.append(f"  {f'{schema}.{table}':<{width}}  {rows:>12,}")
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        files, in_files, loaded, quarantined = conn.execute(
            f"select count(*), coalesce(sum(rows_in_file), 0), coalesce(sum(rows_loaded), 0), "
            f"coalesce(sum(rows_quarantined), 0) from {META_SCHEMA}.load_log"
        ).fetchall()[0]
        at_load, by_request = _erased(conn)
    lines += [
        "",
        f"Raw files loaded: {files:,}; rows in files {in_files:,} = loaded {loaded:,} "
        f"+ quarantined {quarantined:,} (see {META_SCHEMA}.quarantine)"
        + (f" + erased at load {at_load:,}" if at_load else ""),
        *(
            [f"Erased since by erasure requests: {by_request:,} rows ({LEDGER})"]
            if by_request
            else []
        ),
        f"Open it read-only: duckdb.connect({str(warehouse)!r}, read_only=True)",
    ]
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
