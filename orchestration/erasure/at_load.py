"""At load time: rows of a new file that carry a tombstoned key are not loaded.

The loader checks a file batch by batch (each checked batch registered as `_checked`
while it is looked at here, its values as text under the column names). `start`
empties `_erased_lines` for a new file and says whether any tombstone exists; if so,
`mark_erased` adds each batch's lines that carry one, and the layer each would have
gone to. The loader leaves them out of the raw table and the quarantine, and
`record_erased` counts them in the ledger once per file, so that rows in file =
loaded + quarantined + erased. Without tombstones nothing is hashed and
`_erased_lines` stays empty.
"""

from __future__ import annotations

import duckdb

from orchestration.contract import Table
from orchestration.erasure import keys, tables
from orchestration.loader.typing_sql import literal, quote

ERASED_LINES = "_erased_lines"


def start(conn: duckdb.DuckDBPyConnection) -> bool:
    """Before a file's first batch: no line of it is erased yet. Returns whether any
    tombstone exists, i.e. whether its batches need `mark_erased` (asked once per file)."""
    conn.execute(
        f"create or replace temp table {ERASED_LINES} "
        "(line bigint, request_id varchar, layer varchar)"
    )
    if not tables.has_tombstones(conn):
        return False
    keys.register_udf(conn)
    return True


def mark_erased(conn: duckdb.DuckDBPyConnection, table: Table, line_column: str) -> None:
    """Add the lines of the batch in `_checked` that carry a tombstoned key (only called
    when `start` found tombstones)."""
    exprs = keys.column_keys(table, lambda c: quote(c.name))
    conn.execute(
        f"""insert into {ERASED_LINES}
        with row_keys as (
            select {line_column} as line, unnest([{", ".join(exprs)}]) as k from _checked
        ),
        hashed as (
            select k, {keys.UDF}(k) as h from (select distinct k from row_keys where k is not null)
        ),
        erased as (
            select row_keys.line, min(t.request_id) as request_id
            from row_keys
            inner join hashed on row_keys.k = hashed.k
            inner join {tables.TOMBSTONES} as t on t.tombstone_hash = hashed.h
            group by row_keys.line
        )
        select erased.line, erased.request_id,
               case when c._error is null then 'raw' else 'quarantine' end
        from erased inner join _checked as c on c.{quote(line_column)} = erased.line"""
    )


def not_erased(line_column: str) -> str:
    """SQL condition on `_checked`: the line is to be loaded or quarantined."""
    return f"{line_column} not in (select line from {ERASED_LINES})"


def record_erased(
    conn: duckdb.DuckDBPyConnection, table: Table, source_file: str, digest: str
) -> int:
    """Write the ledger rows of this file's erased lines; returns how many there were."""
    rows = conn.execute(
        f"select layer, request_id, count(*) from {ERASED_LINES} group by all"
    ).fetchall()
    for layer, request_id, n in rows:
        conn.execute(
            f"insert into {tables.LEDGER} values ({literal(table.key)}, ?, ?, ?, ?, ?, ?, "
            "current_localtimestamp())",
            [source_file, digest, layer, n, tables.REASON_AT_LOAD, request_id],
        )
    return sum(n for _, _, n in rows)
