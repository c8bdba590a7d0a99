"""Safe publishing: build into a fresh file, test it there, swap it in atomically.

DuckDB lets one process write a database file and, while it does, no other process may
open the file, not even read-only. So nothing ever writes the published file
(`WAREHOUSE_PATH`, the one BI tools open read-only). A build instead:

1. `prepare_build` creates a fresh file `<stem>.builds/<build_id>/<name>` beside the
   published one and copies into it, row by row, the raw layer of the last good build
   (every `raw_*` schema and `raw_meta`: raw rows, quarantine, load log, build history,
   erasure tombstones). The load history keeps re-loads idempotent; the copy is logical,
   not a byte copy, so the bytes of rows deleted in an earlier build never travel on.
   The tables of dbt's incremental fact models (tag `incremental_fact`) are carried
   over the same way (`carry_over_incremental_tables`): they are those models' state, so the next
   `dbt build` only adds to them. Everything else (staging, intermediate, marts) is
   rebuilt by dbt. The file keeps the
   published file's name inside its own folder so that DuckDB gives it the same catalog
   name: dbt's views name their catalog, and they must still resolve after the swap.
2. The loads, `dbt build` and every check write and read that file.
3. `publish_build` runs only when all of them passed: it records the build in
   `raw_meta.builds`, closes the file (checkpointed, no WAL left), refuses when another
   build was published since this one started (it would drop that build's loads or
   erasures), and `os.replace`s the file over the published one: a rename within one
   folder tree, atomic on POSIX. A reader that opens the published path sees the old
   or the new file, never a mix; a reader already connected keeps the old one.

A build that fails or is killed leaves the published file untouched; its folder stays
for debugging until the next build starts (which removes all but the newest leftover)
or the next successful publish (which removes them all).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import duckdb

from orchestration.loader import META_SCHEMA, ensure_schema

BUILDS_TABLE = f"{META_SCHEMA}.builds"
READY_SUFFIX = ".partial"
STARTED_MARKER = "started"


class PublishError(RuntimeError):
    """The build may not replace the published warehouse."""


@dataclass(frozen=True)
class Published:
    build_id: str
    base_build_id: str | None
    path: Path
    tables: int
    bytes: int


def builds_dir(published: Path) -> Path:
    return published.with_name(f"{published.stem}.builds")


def build_path(published: Path, build_id: str) -> Path:
    """Where build `build_id` of `published` is written (same file name, own folder)."""
    if not build_id or "/" in build_id or build_id.startswith("."):
        raise ValueError(f"not a usable build id: {build_id!r}")
    return builds_dir(published) / build_id / published.name


def _exec(conn: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> list:
    return conn.execute(sql, params).fetchall() if params else conn.execute(sql).fetchall()


def _ensure_builds_table(conn: duckdb.DuckDBPyConnection) -> None:
    _exec(conn, f"create schema if not exists {META_SCHEMA}")
    _exec(
        conn,
        f"""create table if not exists {BUILDS_TABLE} (
            build_id varchar not null, base_build_id varchar, started_at timestamp not null,
            published_at timestamp)""",
    )


def published_build_id(published: Path) -> str | None:
    """The id of the build the published file holds (None: nothing published yet)."""
    if not published.exists():
        return None
    with duckdb.connect(str(published), read_only=True) as conn:
        has_table = _exec(
            conn,
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
            [META_SCHEMA, "builds"],
        )[0][0]
        if not has_table:
            return None
        rows = _exec(
            conn,
            f"select build_id from {BUILDS_TABLE} where published_at is not null "
            "order by published_at desc limit 1",
        )
    return rows[0][0] if rows else None


def _raw_tables(conn: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    return [
        (s, t)
        for s, t in _exec(
            conn,
            "select schema_name, table_name from duckdb_tables() where database_name = ? "
            "and (schema_name = ? or schema_name like 'raw\\_%' escape '\\') order by 1, 2",
            [catalog, META_SCHEMA],
        )
    ]


class RawLayerCopy(Protocol):
    """How the raw layer is copied into a new build (`orchestration.erasure.copy` leaves
    erased persons out). `copy_table` fills an existing, empty `target` from `source`;
    `erases_rows` says whether this copy leaves anyone out."""

    erases_rows: bool

    def start(self, conn: duckdb.DuckDBPyConnection) -> None: ...

    def copy_table(
        self, conn: duckdb.DuckDBPyConnection, schema: str, name: str, source: str, target: str
    ) -> None: ...

    def finish(self, conn: duckdb.DuckDBPyConnection) -> None: ...


def _copy_raw_layer(
    conn: duckdb.DuckDBPyConnection, published: Path, raw_copy: RawLayerCopy | None = None
) -> None:
    _exec(conn, f"attach '{published}' as last_good (read_only)")
    try:
        for schema, table in _raw_tables(conn, "last_good"):
            target = f'"{schema}"."{table}"'
            source = f'last_good."{schema}"."{table}"'
            _exec(conn, f'create schema if not exists "{schema}"')
            _exec(conn, f"create table if not exists {target} as select * from {source} limit 0")
            if raw_copy is None:
                _exec(conn, f"insert into {target} by name select * from {source}")
            else:
                raw_copy.copy_table(conn, schema, table, source, target)
    finally:
        _exec(conn, "detach last_good")


CARRY_OVER_TAG = "incremental_fact"


def incremental_relations(manifest: Path) -> list[tuple[str, str]]:
    """(schema, table) of every dbt model materialised `incremental` and tagged
    `incremental_fact`, from dbt's manifest (none when there is no manifest).

    The tag is the promise that the model's rows stay right across builds (no customer
    id stored, rows rebuilt by load time); an incremental model without it is rebuilt
    whole in every build file, as before."""
    if not manifest.exists():
        return []
    nodes = json.loads(manifest.read_text())["nodes"].values()
    return sorted(
        (n["schema"], n.get("alias") or n["name"])
        for n in nodes
        if n["resource_type"] == "model"
        and n["config"].get("materialized") == "incremental"
        and CARRY_OVER_TAG in n["config"].get("tags", [])
    )


def carry_over_incremental_tables(
    conn: duckdb.DuckDBPyConnection,
    published: Path,
    relations: Sequence[tuple[str, str]],
    keep_rows: Mapping[str, str] | None = None,
) -> list[str]:
    """Copy the tables of dbt's incremental models from the last good build, row by row.

    An incremental model's previous state is its own table: a build file without it
    makes dbt build the model whole (a full refresh). A relation the last good build
    lacks is skipped. `keep_rows` maps "schema.table" to a SQL condition on that
    table's columns: only rows meeting it are carried (the hook for erasure: leave an
    erased person's rows behind, as the raw layer does, and the incremental run does
    not bring them back because their raw rows are gone). Passing no relations
    carries nothing: the next dbt build is a full refresh. Returns the tables copied.
    """
    copied: list[str] = []
    _exec(conn, f"attach '{published}' as last_good (read_only)")
    try:
        present = set(
            _exec(
                conn,
                "select schema_name, table_name from duckdb_tables() where database_name = ?",
                ["last_good"],
            )
        )
        for schema, table in relations:
            if (schema, table) not in present:
                continue
            name = f"{schema}.{table}"
            condition = (keep_rows or {}).get(name)
            target = f'"{schema}"."{table}"'
            source = f'last_good."{schema}"."{table}"'
            _exec(conn, f'create schema if not exists "{schema}"')
            _exec(conn, f"create table {target} as select * from {source} limit 0")
            where = f" where {condition}" if condition else ""
            _exec(conn, f"insert into {target} by name select * from {source}{where}")
            copied.append(name)
    finally:
        _exec(conn, "detach last_good")
    return copied


def discard_build(published: Path, build_id: str) -> None:
    """Remove build `build_id`'s folder (its first step re-creates it, e.g. with erasures)."""
    shutil.rmtree(build_path(published, build_id).parent, ignore_errors=True)


def _in_use(folder: Path) -> bool:
    """Whether a live process still writes a database file in this build folder."""
    for path in folder.glob("*.duckdb*"):
        if path.suffix == ".wal":
            continue
        try:
            duckdb.connect(str(path), read_only=True).close()
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                return True
        except duckdb.Error:
            continue
    return False


def _started(folder: Path) -> float:
    marker = folder / STARTED_MARKER
    return marker.stat().st_mtime if marker.exists() else folder.stat().st_mtime


def remove_leftover_builds(
    published: Path,
    keep: set[str],
    keep_newest: int = 0,
    started_before: float | None = None,
) -> list[Path]:
    """Delete build folders of failed or killed builds, except `keep`, the newest
    `keep_newest`, any started at or after `started_before`, and any a live process still
    writes (a killed process holds no lock)."""
    root = builds_dir(published)
    if not root.is_dir():
        return []
    leftovers = sorted(
        (
            p
            for p in root.iterdir()
            if p.is_dir()
            and p.name not in keep
            and (started_before is None or _started(p) < started_before)
            and not _in_use(p)
        ),
        key=_started,
        reverse=True,
    )
    removed = leftovers[keep_newest:]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed


def prepare_build(
    published: Path,
    build_id: str,
    incremental: Sequence[tuple[str, str]] = (),
    raw_copy: RawLayerCopy | None = None,
) -> Path:
    """The build file of `build_id`, created from the last good build if it is not there yet.

    Idempotent within a build: every step of a run calls it and the first one creates the
    file. It is written under a temporary name and renamed when complete, so a build file
    that exists is always a whole copy. `incremental`: the (schema, table) of dbt's
    incremental models, carried over with the raw layer (`carry_over_incremental_tables`).
    `raw_copy` (the run's erasure step) decides which raw rows are copied; a build that
    erases anyone carries no incremental table (their rows of the erased person would
    survive), so dbt rebuilds those whole from the cleaned raw layer.
    """
    path = build_path(published, build_id)
    if path.exists():
        return path
    remove_leftover_builds(published, keep={build_id}, keep_newest=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.parent / STARTED_MARKER).touch()
    partial = path.with_name(path.name + READY_SUFFIX)
    for stale in (partial, partial.with_name(partial.name + ".wal")):
        stale.unlink(missing_ok=True)
    base = published_build_id(published)
    conn = duckdb.connect(str(partial))
    try:
        _exec(conn, "set TimeZone = 'UTC'")
        ensure_schema(conn)
        if raw_copy is not None:
            raw_copy.start(conn)
        if published.exists():
            _copy_raw_layer(conn, published, raw_copy)
            erasing = raw_copy is not None and raw_copy.erases_rows
            carry_over_incremental_tables(conn, published, [] if erasing else incremental)
        if raw_copy is not None:
            raw_copy.finish(conn)
        _ensure_builds_table(conn)
        _exec(
            conn,
            f"insert into {BUILDS_TABLE} values (?, ?, ?, null)",
            [build_id, base, datetime.now(UTC).replace(tzinfo=None)],
        )
        _exec(conn, "checkpoint")
    finally:
        conn.close()
    os.replace(partial, path)
    return path


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def seal_build(published: Path, build_id: str) -> tuple[str | None, int]:
    """Record build `build_id` as published and close its file for the swap.

    Returns (the build it replaces, tables in it). Refuses when the published file no
    longer holds the build this one started from.
    """
    path = build_path(published, build_id)
    if not path.exists():
        raise PublishError(f"build {build_id} has no file at {path}")
    conn = duckdb.connect(str(path))
    try:
        rows = _exec(
            conn, f"select base_build_id from {BUILDS_TABLE} where build_id = ?", [build_id]
        )
        if len(rows) != 1:
            raise PublishError(f"{path} is not the file of build {build_id}")
        base = rows[0][0]
        current = published_build_id(published)
        if current != base:
            raise PublishError(
                f"build {build_id} started from build {base!r} but {published} now holds "
                f"build {current!r}: publishing it would undo that build; run again"
            )
        _exec(
            conn,
            f"update {BUILDS_TABLE} set published_at = ? where build_id = ?",
            [datetime.now(UTC).replace(tzinfo=None), build_id],
        )
        tables = _exec(
            conn,
            "select count(*) from duckdb_tables() where database_name = current_database()",
        )[0][0]
        _exec(conn, "checkpoint")
    finally:
        conn.close()
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        raise PublishError(f"{wal} is left after closing the build: not publishing")
    _fsync(path)
    return base, int(tables)


def swap_in(published: Path, build_id: str) -> int:
    """Atomically replace the published file with the sealed build; returns its size."""
    path = build_path(published, build_id)
    started = _started(path.parent)
    os.replace(path, published)
    _fsync(published.parent)
    shutil.rmtree(path.parent, ignore_errors=True)
    # builds that started before this one cannot be published any more (see seal_build)
    remove_leftover_builds(published, keep=set(), started_before=started)
    return published.stat().st_size


def publish_build(published: Path, build_id: str) -> Published:
    """Seal build `build_id` and swap it in; see the module docstring.

    Call it only when every load, model and test of the build passed.
    """
    base, tables = seal_build(published, build_id)
    size = swap_in(published, build_id)
    return Published(build_id, base, published, tables, size)
