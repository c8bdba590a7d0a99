"""Erasure where it removes bytes: in the logical copy of the raw layer into a new build.

`publish.prepare_build` copies every raw table of the last good build into a fresh file.
With an `ErasureCopy`, a raw row or a quarantined record that carries a tombstoned
erasure key is left out of that copy (so its bytes never reach the new file; a DuckDB
`DELETE` would leave them in the file), each left-out row is counted in
`raw_meta.erasure_ledger`, and the new tombstones and one audit row per request are
written. The rebuilt staging, identity graph, marts and segment exports then have no
trace of the person, since dbt builds them from this raw layer.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from orchestration.contract import Table, load_contract
from orchestration.erasure import keys, tables
from orchestration.erasure.resolve import TOMBSTONING, Resolution
from orchestration.loader.typing_sql import literal

HITS = "_erasure_hits"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class ErasureCopy:
    """Copies raw tables without the rows of the requests in `resolutions`."""

    def __init__(self, resolutions: list[Resolution], build_id: str) -> None:
        self.resolutions = resolutions
        self.build_id = build_id
        self._key = keys.key_from_env()
        self._by_table = {(t.schema, t.name): t for t in load_contract()}
        self._erased: dict[str, dict[str, int]] = {}

    @property
    def erases_rows(self) -> bool:
        return any(r.status in TOMBSTONING for r in self.resolutions)

    # -- hooks called by publish.prepare_build -------------------------------------------
    def start(self, conn: duckdb.DuckDBPyConnection) -> None:
        tables.ensure_tables(conn)
        keys.register_udf(conn)
        rows = [
            (keys.tombstone(k, self._key), k.rsplit(":", 1)[0] if k.startswith("record:")
             else k.split(":", 1)[0], r.request.request_id)
            for r in self.resolutions
            if r.status in TOMBSTONING
            for k in r.tombstone_keys
        ]  # fmt: skip
        conn.register(
            "_new_tombstones",
            pa.table(
                {
                    "tombstone_hash": pa.array([h for h, _, _ in rows], pa.string()),
                    "key_type": pa.array([t for _, t, _ in rows], pa.string()),
                    "request_id": pa.array([r for _, _, r in rows], pa.string()),
                }
            ),
        )
        conn.execute(
            "create or replace temp table _tombstones as "
            "select tombstone_hash, min(request_id) as request_id from _new_tombstones group by 1"
        )
        erasing = [r for r in self.resolutions if r.status in TOMBSTONING]
        needles = sorted({n.lower() for r in erasing for n in r.needles})
        conn.register("_needles", pa.table({"needle": pa.array(needles, pa.string())}))

    def copy_table(
        self, conn: duckdb.DuckDBPyConnection, schema: str, name: str, source: str, target: str
    ) -> None:
        table = self._by_table.get((schema, name))
        if table is not None:
            self._copy_raw(conn, table, source, target)
        elif (schema, name) == (tables.META, "quarantine"):
            self._copy_quarantine(conn, source, target)
        else:
            self._copy_customer_rows(conn, source, target)

    def finish(self, conn: duckdb.DuckDBPyConnection) -> None:
        conn.execute(
            f"""insert into {tables.TOMBSTONES}
            select n.tombstone_hash, n.key_type, n.request_id, current_localtimestamp()
            from _new_tombstones as n
            where n.tombstone_hash not in (select tombstone_hash from {tables.TOMBSTONES})
            qualify row_number() over (partition by n.tombstone_hash order by n.request_id) = 1"""
        )
        for r in self.resolutions:
            erased = self._erased.get(r.request.request_id, {})
            conn.execute(
                f"insert into {tables.REQUESTS} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    r.request.request_id,
                    r.request.identifier_type,
                    keys.tombstone(r.request_key, self._key),
                    r.request.requested_at,
                    _now(),
                    self.build_id,
                    r.status,
                    len(r.customer_ids),
                    len(r.record_keys),
                    len(r.tombstone_keys) if r.status in TOMBSTONING else 0,
                    r.shared_kept,
                    erased.get("raw", 0),
                    erased.get("quarantine", 0),
                    r.detail or None,
                ],
            )

    # -- internals ------------------------------------------------------------------------
    def _copy_customer_rows(
        self, conn: duckdb.DuckDBPyConnection, source: str, target: str
    ) -> None:
        """A carried table that is not a raw export (the segment evaluation log in
        raw_history): rows keyed to an erased customer id stay behind."""
        columns = {c[0] for c in conn.execute(f"select * from {source} limit 0").description}
        erased = sorted(
            {c for r in self.resolutions if r.status in TOMBSTONING for c in r.customer_ids}
        )
        if "customer_id" not in columns or not erased:
            conn.execute(f"insert into {target} by name select * from {source}")
            return
        conn.register("_erased_customers", pa.table({"customer_id": pa.array(erased, pa.string())}))
        conn.execute(
            f"insert into {target} by name select * from {source} "
            f"where customer_id is null "
            f"or customer_id not in (select customer_id from _erased_customers)"
        )

    def _hits(self, conn: duckdb.DuckDBPyConnection, exprs: list[str], source: str, where: str):
        conn.execute(
            f"""create or replace temp table {HITS} as
            with row_keys as (
                select rowid as rid, unnest([{", ".join(exprs)}]) as k from {source} where {where}
            ),
            hashed as (
                select k, {keys.UDF}(k) as h
                from (select distinct k from row_keys where k is not null)
            )
            select row_keys.rid, min(t.request_id) as request_id
            from row_keys
            inner join hashed on row_keys.k = hashed.k
            inner join _tombstones as t on t.tombstone_hash = hashed.h
            group by row_keys.rid"""
        )

    def _ledger(
        self, conn: duckdb.DuckDBPyConnection, table_key: str, layer: str, source: str,
        file_col: str, hash_col: str,
    ) -> None:  # fmt: skip
        rows = conn.execute(
            f"""select s.{file_col}, s.{hash_col}, h.request_id, count(*)
            from {source} as s inner join {HITS} as h on s.rowid = h.rid group by all"""
        ).fetchall()
        for source_file, file_hash, request_id, n in rows:
            self._record(conn, table_key, source_file, file_hash, layer, n, request_id)

    def _record(
        self, conn: duckdb.DuckDBPyConnection, table_key: str, source_file: str, file_hash: str,
        layer: str, n: int, request_id: str,
    ) -> None:  # fmt: skip
        conn.execute(
            f"insert into {tables.LEDGER} values (?, ?, ?, ?, ?, ?, ?, ?)",
            [table_key, source_file, file_hash, layer, n, tables.REASON_REQUEST, request_id]
            + [_now()],
        )
        per_request = self._erased.setdefault(request_id, {})
        per_request[layer] = per_request.get(layer, 0) + n

    def _copy_raw(
        self, conn: duckdb.DuckDBPyConnection, table: Table, source: str, target: str
    ) -> None:
        self._hits(conn, keys.column_keys(table, keys.typed_value), source, "true")
        self._ledger(conn, table.key, "raw", source, "_source_file", "_file_hash")
        conn.execute(
            f"insert into {target} by name select * from {source} "
            f"where rowid not in (select rid from {HITS})"
        )

    def _copy_quarantine(self, conn: duckdb.DuckDBPyConnection, source: str, target: str) -> None:
        parts = []
        for table in self._by_table.values():
            exprs = keys.column_keys(table, keys.json_value)
            parts.append(
                f"select rowid as rid, unnest([{', '.join(exprs)}]) as k from {source} "
                f"where table_name = {literal(table.key)}"
            )
        conn.execute(
            f"""create or replace temp table {HITS} as
            with row_keys as ({" union all ".join(parts)}),
            hashed as (
                select k, {keys.UDF}(k) as h
                from (select distinct k from row_keys where k is not null)
            ),
            by_key as (
                select row_keys.rid, t.request_id
                from row_keys
                inner join hashed on row_keys.k = hashed.k
                inner join _tombstones as t on t.tombstone_hash = hashed.h
            ),
            -- records the reader could not split into columns: look for the values
            by_text as (
                select q.rowid as rid, (select min(request_id) from _tombstones) as request_id
                from {source} as q inner join _needles as n
                    on not json_valid(q.raw_record) and contains(lower(q.raw_record), n.needle)
            )
            select rid, min(request_id) as request_id
            from (select rid, request_id from by_key union all select rid, request_id from by_text)
            group by rid"""
        )
        rows = conn.execute(
            f"""select q.table_name, q.source_file, q.file_hash, h.request_id, count(*)
            from {source} as q inner join {HITS} as h on q.rowid = h.rid group by all"""
        ).fetchall()
        for table_key, source_file, file_hash, request_id, n in rows:
            self._record(conn, table_key, source_file, file_hash, "quarantine", n, request_id)
        conn.execute(
            f"insert into {target} by name select * from {source} "
            f"where rowid not in (select rid from {HITS})"
        )
