"""The erasure tables in `raw_meta` (raw layer: carried from build to build).

- `erasure_tombstones`: one keyed hash per erasure key of an erased person; a row that
  carries one is never copied into a new build and never loaded again.
- `erasure_requests`: the audit, one row per processed request, hashed ids only.
- `erasure_ledger`: rows left out, per table, file and layer, with the reason, so that
  every file still reconciles: rows in file = loaded + quarantined + erased.
"""

from __future__ import annotations

import duckdb

META = "raw_meta"
TOMBSTONES = f"{META}.erasure_tombstones"
REQUESTS = f"{META}.erasure_requests"
LEDGER = f"{META}.erasure_ledger"

REASON_REQUEST = "erasure_request"
REASON_AT_LOAD = "tombstoned_identifier_at_load"


def ensure_tables(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(f"create schema if not exists {META}")
    conn.execute(
        f"""create table if not exists {TOMBSTONES} (
            tombstone_hash varchar not null, key_type varchar not null,
            request_id varchar not null, created_at timestamp not null)"""
    )
    conn.execute(
        f"""create table if not exists {REQUESTS} (
            request_id varchar not null, identifier_type varchar not null,
            identifier_hash varchar not null, requested_at timestamp not null,
            processed_at timestamp not null, build_id varchar not null, status varchar not null,
            customers_found bigint not null, records_found bigint not null,
            tombstones_added bigint not null, identifiers_shared_kept bigint not null,
            rows_erased_raw bigint not null, rows_erased_quarantine bigint not null,
            detail varchar)"""
    )
    conn.execute(
        f"""create table if not exists {LEDGER} (
            table_name varchar not null, source_file varchar not null, file_hash varchar not null,
            layer varchar not null, rows_erased bigint not null, reason varchar not null,
            request_id varchar, recorded_at timestamp not null)"""
    )


def has_tombstones(conn: duckdb.DuckDBPyConnection) -> bool:
    exists = conn.execute(
        "select count(*) from duckdb_tables() where database_name = current_database() "
        "and schema_name = ? and table_name = 'erasure_tombstones'",
        [META],
    ).fetchall()[0][0]
    return bool(exists) and bool(
        conn.execute(f"select count(*) from {TOMBSTONES}").fetchall()[0][0]
    )
