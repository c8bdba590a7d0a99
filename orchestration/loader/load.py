"""Load raw channel files into DuckDB, one file per transaction, with full reconciliation.

For every file: hash it; skip it if that content was already loaded into that table
(re-loading is a no-op); otherwise read it with its contract and type every value in
SQL, batch by batch, staging the checked rows in a Parquet file in DuckDB's temporary
directory (memory holds one batch, never the file); then, in one transaction, insert
the good rows into `raw_<source>.<table>` and every other record into
`raw_meta.quarantine` (file, line, column, reason, raw text), and write one
`raw_meta.load_log` row. Rows that carry an erased person's tombstoned identifier are
neither loaded nor quarantined but counted in `raw_meta.erasure_ledger`
(`orchestration.erasure.at_load`). `rows_in_file = rows_loaded + rows_quarantined +
rows_erased` is checked before the transaction commits; a file that does not reconcile
is not loaded at all, and its staged rows are deleted either way.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as pa_dataset
import pyarrow.parquet as pq

from orchestration.contract import Table, load_contract
from orchestration.erasure import at_load
from orchestration.erasure.tables import ensure_tables as ensure_erasure_tables
from orchestration.loader.readers import (
    EXTRA_COLUMN,
    LINE_COLUMN,
    READERS,
    EncodingError,
    ReadResult,
    Reject,
    check_encoding,
    reject_whole_file,
)
from orchestration.loader.typing_sql import (
    column_error,
    duckdb_type,
    literal,
    parse_expression,
    quote,
    typed_name,
)

STAGED_RELATION = "_loader_staged"  # a staged Parquet file registered through Arrow
GLOB_CHARACTERS = re.compile(r"[*?\[\]{}]")  # what DuckDB's read_parquet expands in a path
META_SCHEMA = "raw_meta"
LINEAGE_COLUMNS = {
    "_file_hash": "VARCHAR",
    "_source_file": "VARCHAR",
    "_line_number": "BIGINT",
    "_loaded_at": "TIMESTAMP",
    "_extra_columns": "VARCHAR",
}


class ReconciliationError(RuntimeError):
    """Rows in a file do not equal rows loaded plus rows quarantined."""


@dataclass(frozen=True)
class FileLoad:
    table: str
    source_file: str
    file_hash: str
    status: str  # loaded | partial | rejected | skipped
    rows_in_file: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    warnings: tuple[str, ...] = ()
    rows_erased: int = 0


@dataclass
class TableLoad:
    table: Table
    files: list[FileLoad] = field(default_factory=list)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)

    @property
    def rows_in_files(self) -> int:
        return sum(f.rows_in_file for f in self.files)


def _exec(conn: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> list:
    """Run one statement and drain its result (DuckDB 2 keeps unread results open)."""
    return conn.execute(sql, params).fetchall() if params else conn.execute(sql).fetchall()


def ensure_schema(conn: duckdb.DuckDBPyConnection, tables: Iterable[Table] | None = None) -> None:
    """Create the meta tables and every raw table of the contract (idempotent)."""
    _exec(conn, f"create schema if not exists {META_SCHEMA}")
    _exec(
        conn,
        f"""create table if not exists {META_SCHEMA}.load_log (
            table_name varchar not null, source_file varchar not null, file_hash varchar not null,
            status varchar not null, rows_in_file bigint not null, rows_loaded bigint not null,
            rows_quarantined bigint not null, warnings varchar, loaded_at timestamp not null)""",
    )
    _exec(
        conn,
        f"""create table if not exists {META_SCHEMA}.quarantine (
            table_name varchar not null, source_file varchar not null, file_hash varchar not null,
            line_number bigint not null, column_name varchar, reason varchar not null,
            raw_record varchar, quarantined_at timestamp not null)""",
    )
    ensure_erasure_tables(conn)
    for table in tables if tables is not None else load_contract():
        _exec(conn, f"create schema if not exists {quote(table.schema)}")
        cols = [f"{quote(c.name)} {duckdb_type(c)}" for c in table.columns]
        cols += [f"{quote(n)} {t}" for n, t in LINEAGE_COLUMNS.items()]
        _exec(
            conn,
            f"create table if not exists {quote(table.schema)}.{quote(table.name)} "
            f"({', '.join(cols)})",
        )


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _already_loaded(conn: duckdb.DuckDBPyConnection, table: Table, digest: str) -> bool:
    rows = _exec(
        conn,
        f"select count(*) from {META_SCHEMA}.load_log where table_name = ? and file_hash = ?",
        [table.key, digest],
    )
    return bool(rows[0][0])


def _case(subject: str, whens: list[tuple[str, str]]) -> str:
    """`case [subject] when .. then .. end`; null when there is no branch."""
    if not whens:
        return "null"
    return f"case {subject} " + " ".join(f"when {w} then {t}" for w, t in whens) + " end"


@dataclass(frozen=True)
class _BatchSql:
    """The statements every batch of one file runs, written once per file."""

    check: str  # the batch (registered as `_batch`) -> typed, with the first error
    insert_raw: str  # valid, not erased checked rows -> the raw table
    insert_quarantine: str  # invalid, not erased checked rows -> the quarantine

    @classmethod
    def for_file(cls, table: Table, source_file: str, digest: str, checked: str) -> _BatchSql:
        """A checked batch holds each value's text (under the column's name: the
        quarantine and erasure read it) and, parsed once, its typed value (`typed_name`);
        the first invalid column is found on the typed values and only its reason is
        spelled out. `checked`: the relation the inserts read the checked rows from."""
        errors = [(c.name, column_error(table, c, typed_name(c))) for c in table.columns]
        first_error_column = _case("", [(f"({e}) is not null", literal(n)) for n, e in errors])
        first_error = _case("_error_column", [(literal(n), e) for n, e in errors])
        text = [f"cast({quote(c)} as varchar) as {quote(c)}" for c in table.column_names]
        typed = [f"{parse_expression(table, c)[0]} as {typed_name(c)}" for c in table.columns]
        kept = at_load.not_erased(LINE_COLUMN)
        target = f"{quote(table.schema)}.{quote(table.name)}"
        record = (
            "json_object("
            + ", ".join(f"{literal(c)}, {quote(c)}" for c in table.column_names)
            + ")"
        )
        return cls(
            check=f"select *, {first_error} as _error from ("
            f"select *, {first_error_column} as _error_column from ("
            f"select *, {', '.join(typed)} from ("
            f"select {', '.join(text)}, cast({LINE_COLUMN} as bigint) as {LINE_COLUMN}, "
            f"cast({EXTRA_COLUMN} as varchar) as {EXTRA_COLUMN} from _batch)))",
            insert_raw=f"insert into {target} by name select "
            + ", ".join(f"{typed_name(c)} as {quote(c.name)}" for c in table.columns)
            + f", {literal(digest)} as _file_hash, {literal(source_file)} as _source_file, "
            f"{LINE_COLUMN} as _line_number, current_localtimestamp() as _loaded_at, "
            f"{EXTRA_COLUMN} as _extra_columns from {checked} as _checked "
            f"where _error is null and {kept}",
            insert_quarantine=f"""insert into {META_SCHEMA}.quarantine
            select {literal(table.key)}, {literal(source_file)}, {literal(digest)},
                   {LINE_COLUMN}, _error_column, 'column ' || _error_column || ': ' || _error,
                   {record}, current_localtimestamp()
            from {checked} as _checked where _error is not null and {kept}""",
        )


def _stage_batches(
    conn: duckdb.DuckDBPyConnection,
    table: Table,
    sql: _BatchSql,
    batches: Iterable[pa.Table],
    staged: Path,
    erasing: bool,
) -> bool:
    """Type and check the file batch by batch (`BATCH_ROWS` rows at a time, never the
    whole file) into one Parquet file, `staged`; returns whether any row was staged.
    This runs before the file's transaction: objects registered inside a transaction
    stay in memory until it commits, which held every batch of a 7 GB file at once.
    `erasing`: tombstones exist, so each batch's erased lines are noted
    (`at_load.mark_erased`)."""
    writer: pq.ParquetWriter | None = None
    try:
        for batch in batches:
            conn.register("_batch", batch)
            try:
                checked = conn.sql(sql.check).to_arrow_table()
            finally:
                conn.unregister("_batch")
            if erasing:
                conn.register("_checked", checked)
                try:
                    at_load.mark_erased(conn, table, LINE_COLUMN)
                finally:
                    conn.unregister("_checked")
            if writer is None:
                writer = pq.ParquetWriter(staged, checked.schema)
            writer.write_table(checked)
    finally:
        if writer is not None:
            writer.close()
    return writer is not None


def staging_path(conn: duckdb.DuckDBPyConnection, digest: str) -> Path:
    """Where a file's checked rows wait for its transaction: DuckDB's own temporary
    directory (beside the database file unless configured)."""
    folder = Path(str(_exec(conn, "select current_setting('temp_directory')")[0][0]))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"loader-{digest}.parquet"


def _insert_rejects(
    conn: duckdb.DuckDBPyConnection,
    table: Table,
    source_file: str,
    digest: str,
    rejects: list[Reject],
) -> None:
    if not rejects:
        return
    batch = pa.table(
        {
            "line_number": pa.array([r.line_number for r in rejects], type=pa.int64()),
            "column_name": pa.array([r.column_name for r in rejects], type=pa.string()),
            "reason": pa.array([r.reason for r in rejects], type=pa.string()),
            "raw_record": pa.array([r.raw_record for r in rejects], type=pa.string()),
        }
    )
    conn.register("_rejects", batch)
    _exec(
        conn,
        f"""insert into {META_SCHEMA}.quarantine
        select {literal(table.key)}, {literal(source_file)}, {literal(digest)}, line_number,
               column_name, reason, raw_record, current_localtimestamp() from _rejects""",
    )
    conn.unregister("_rejects")


def _count(conn: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> int:
    return int(_exec(conn, sql, params)[0][0])


def load_file(conn: duckdb.DuckDBPyConnection, table: Table, path: Path, raw_dir: Path) -> FileLoad:
    """Load one file in one transaction (its rows staged before it); see the module
    docstring."""
    source_file = (
        path.relative_to(raw_dir).as_posix() if path.is_relative_to(raw_dir) else str(path)
    )
    digest = file_hash(path)
    if _already_loaded(conn, table, digest):
        return FileLoad(table.key, source_file, digest, "skipped")

    result = ReadResult()
    warnings: list[str] = []
    staged = staging_path(conn, digest)
    try:
        return _load_staged(conn, table, path, source_file, digest, staged, result, warnings)
    finally:
        staged.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # DuckDB may be spilling there
            staged.parent.rmdir()


def _staged_relation(staged: Path) -> str:
    """The relation the inserts read a file's staged rows from. DuckDB's read_parquet
    takes its path as a glob: where the path holds a glob character (a `*` or `**` in
    the warehouse's folder would read other files' rows) the file is read through Arrow
    instead, registered as STAGED_RELATION (about 10% slower)."""
    if GLOB_CHARACTERS.search(str(staged)):
        return STAGED_RELATION
    return f"read_parquet({literal(str(staged))})"


@contextlib.contextmanager
def _registered_staging(
    conn: duckdb.DuckDBPyConnection, staged: Path, relation: str
) -> Iterator[None]:
    """STAGED_RELATION registered while the inserts run, where they read it (`relation`,
    from `_staged_relation`)."""
    if relation != STAGED_RELATION:
        yield
        return
    conn.register(STAGED_RELATION, pa_dataset.dataset(str(staged), format="parquet"))
    try:
        yield
    finally:
        conn.unregister(STAGED_RELATION)


def _load_staged(
    conn: duckdb.DuckDBPyConnection,
    table: Table,
    path: Path,
    source_file: str,
    digest: str,
    staged: Path,
    result: ReadResult,
    warnings: list[str],
) -> FileLoad:
    """Stage the file's checked rows, then move them into the raw table and the
    quarantine in one transaction that also reconciles and logs the file."""
    checked = _staged_relation(staged)
    sql = _BatchSql.for_file(table, source_file, digest, checked=checked)
    erasing = at_load.start(conn)
    has_rows = False
    try:
        if table.file_format != "parquet":
            check_encoding(path, table.encoding)
        batches = READERS[table.file_format](table, path, result)
        has_rows = _stage_batches(conn, table, sql, batches, staged, erasing)
    except EncodingError as exc:
        result = reject_whole_file(
            path, table.encoding, str(exc), header=table.file_format == "csv"
        )
        warnings.append(str(exc))
    _exec(conn, "begin transaction")
    try:
        if has_rows:
            with _registered_staging(conn, staged, checked):
                _exec(conn, sql.insert_raw)
                _exec(conn, sql.insert_quarantine)
        if result.layout is not None:
            warnings.extend(result.layout.warnings)
        if result.blank_lines:
            warnings.append(f"{result.blank_lines} blank line(s) ignored")
        erased = at_load.record_erased(conn, table, source_file, digest)
        _insert_rejects(conn, table, source_file, digest, result.rejects)

        target = f"{quote(table.schema)}.{quote(table.name)}"
        loaded = _count(conn, f"select count(*) from {target} where _file_hash = ?", [digest])
        quarantined = _count(
            conn,
            f"select count(*) from {META_SCHEMA}.quarantine where table_name = ? and file_hash = ?",
            [table.key, digest],
        )
        if loaded + quarantined + erased != result.records:
            raise ReconciliationError(
                f"{source_file}: {result.records} records read but {loaded} loaded + "
                f"{quarantined} quarantined + {erased} erased; nothing was loaded from this file"
            )
        status = "loaded" if quarantined == 0 else "rejected" if loaded == 0 else "partial"
        _exec(
            conn,
            f"insert into {META_SCHEMA}.load_log values (?, ?, ?, ?, ?, ?, ?, ?, "
            "current_localtimestamp())",
            [
                table.key,
                source_file,
                digest,
                status,
                result.records,
                loaded,
                quarantined,
                "; ".join(warnings) or None,
            ],
        )
        _exec(conn, "commit")
    except Exception:
        _exec(conn, "rollback")
        raise
    return FileLoad(
        table.key,
        source_file,
        digest,
        status,
        result.records,
        loaded,
        quarantined,
        tuple(warnings),
        erased,
    )


def files_for(table: Table, raw_dir: Path) -> list[Path]:
    return sorted(p for p in raw_dir.glob(table.path) if p.is_file())


def load_table(conn: duckdb.DuckDBPyConnection, table: Table, raw_dir: Path) -> TableLoad:
    """Load every not-yet-loaded file of one raw table, oldest name first."""
    ensure_schema(conn, [table])
    out = TableLoad(table)
    for path in files_for(table, raw_dir):
        out.files.append(load_file(conn, table, path, raw_dir))
    return out


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A writing connection with the session settings the loader relies on."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    conn = duckdb.connect(str(warehouse))
    _exec(conn, "set TimeZone = 'UTC'")
    _exec(conn, f"set memory_limit = {literal(memory_limit())}")
    return conn


def memory_limit() -> str:
    """DuckDB's memory budget for the loader and for dbt (profiles.yml reads the same
    variable): `WAREHOUSE_MEMORY_LIMIT`, e.g. `6GB`; DuckDB's own default, 80% of the
    machine's memory, when unset. Beyond it DuckDB spills to its temporary directory."""
    return os.environ.get("WAREHOUSE_MEMORY_LIMIT") or "80%"
