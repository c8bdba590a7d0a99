"""Stream rows into raw files exactly as the contract declares them.

Rows are dicts of typed Python values keyed by contract column name:
varchar -> str, bigint -> int, decimal(p,s) -> int in units of 10**-s (cents),
boolean -> bool, date -> int days since 1970-01-01, timestamp -> int seconds since the
Unix epoch (UTC), None -> null. A writer turns them into the table's format, encoding,
delimiter, decimal separator, timestamp format and time zone, one chunk at a time.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from json.encoder import encode_basestring as _encode_string
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.contract import DEFAULT_TIMESTAMP_FORMAT, Column, Table
from orchestration.generator.textvariants import to_encoding

PART_NAME = "part-0001"
EXTENSIONS = {"csv": "csv", "jsonl": "jsonl", "parquet": "parquet"}
PARQUET_ROWS_PER_GROUP = 100_000
Row = dict[str, Any]
Converter = Callable[[Any], Any]


def output_path(table: Table, out_dir: Path) -> Path:
    """`<out>/<source>/<table>/part-0001.<ext>`, matching the contract's path glob."""
    folder, _, pattern = table.path.rpartition("/")
    name = pattern.replace("*", PART_NAME, 1)
    if "*" in name or "*" in folder or not name.endswith("." + EXTENSIONS[table.file_format]):
        raise ValueError(f"{table.key}: cannot place one file under path glob {table.path!r}")
    return out_dir / folder / name


def clock_table() -> tuple[str, ...]:
    """'HH:MM:SS' for every second of a day, built once per run and shared by writers."""
    return tuple(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86_400))


class _Days:
    """Day number -> formatted date, memoised per writer."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self._memo: dict[int, str] = {}

    def __call__(self, day: int) -> str:
        s = self._memo.get(day)
        if s is None:
            s = (dt.date(1970, 1, 1) + dt.timedelta(days=day)).strftime(self.fmt)
            self._memo[day] = s
        return s


def timestamp_formatter(
    fmt: str, timezone: str, clock: tuple[str, ...], iso: bool = False
) -> Callable[[int], str]:
    """Epoch seconds -> text in `fmt` and `timezone` (ISO-8601 'Z' form when `iso`)."""
    if iso:
        days = _Days("%Y-%m-%d")
        return lambda ts: f"{days(ts // 86_400)}T{clock[ts % 86_400]}Z"
    if fmt == DEFAULT_TIMESTAMP_FORMAT and timezone == "UTC":
        days = _Days("%Y-%m-%d")
        return lambda ts: f"{days(ts // 86_400)} {clock[ts % 86_400]}"
    tz = ZoneInfo(timezone)
    return lambda ts: dt.datetime.fromtimestamp(ts, tz).strftime(fmt)


def _none_safe(f: Converter, empty: Any) -> Converter:
    return lambda v: empty if v is None else f(v)


def _scale(column: Column) -> int:
    inner = column.data_type.partition("(")[2].rstrip(")")
    return int(inner.split(",")[1]) if "," in inner else 0


def _identity(v: Any) -> Any:
    return v


def _text_converter(table: Table, column: Column, clock: tuple[str, ...]) -> Converter:
    """Converter to CSV text for one column (the csv module writes None as '' and ints
    as their digits itself, so those need no conversion)."""
    base = column.base_type
    if base == "varchar":
        enc = table.encoding.lower().replace("_", "-")
        if enc in ("utf-8", "utf8"):
            return _identity
        return _none_safe(lambda v: to_encoding(v, table.encoding), None)
    if base == "bigint":
        return _identity
    if base == "double":
        return _none_safe(repr, "")
    if base == "boolean":
        return lambda v: "" if v is None else ("true" if v else "false")
    if base == "decimal":
        scale = _scale(column)
        sep = table.decimal_separator
        div = 10**scale
        fmt = f"%.{scale}f"
        if sep == ".":
            return _none_safe(lambda v: fmt % (v / div), "")
        return _none_safe(lambda v: (fmt % (v / div)).replace(".", sep), "")
    if base == "date":
        return _none_safe(_Days(table.date_format), "")
    if base == "timestamp":
        return _none_safe(timestamp_formatter(table.timestamp_format, table.timezone, clock), "")
    raise ValueError(f"{table.key}.{column.name}: unsupported type {column.data_type}")


def _json_converter(table: Table, column: Column, clock: tuple[str, ...]) -> Converter:
    base = column.base_type
    if base in ("varchar", "bigint", "boolean", "double"):
        return _identity
    if base == "decimal":
        div = 10 ** _scale(column)
        return _none_safe(lambda v: v / div if div > 1 else v, None)
    if base == "date":
        return _none_safe(_Days(table.date_format), None)
    if base == "timestamp":
        iso = table.timestamp_format == DEFAULT_TIMESTAMP_FORMAT and table.timezone == "UTC"
        return _none_safe(
            timestamp_formatter(table.timestamp_format, table.timezone, clock, iso), None
        )
    raise ValueError(f"{table.key}.{column.name}: unsupported type {column.data_type}")


def _arrow_type(column: Column) -> pa.DataType:
    base = column.base_type
    if base == "decimal":
        inner = column.data_type.partition("(")[2].rstrip(")")
        precision, scale = (int(x) for x in inner.split(","))
        return pa.decimal128(precision, scale)
    return {
        "varchar": pa.string(),
        "bigint": pa.int64(),
        "double": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us"),
    }[base]


def _arrow_array(column: Column, values: list[Any]) -> pa.Array:
    typ = _arrow_type(column)
    base = column.base_type
    if base == "decimal":
        scale = -typ.scale
        return pa.array([None if v is None else Decimal(v).scaleb(scale) for v in values], typ)
    if base == "date":
        return pa.array(values, pa.int32()).cast(typ)
    if base == "timestamp":
        return pa.array([None if v is None else v * 1_000_000 for v in values], pa.int64()).cast(
            typ
        )
    return pa.array(values, typ)


class TableWriter(Protocol):
    table: Table
    path: Path
    rows_written: int

    def write(self, rows: list[Row]) -> None: ...

    def close(self) -> None: ...


def _check_keys(table: Table, rows: list[Row]) -> None:
    if rows:
        unknown = set(rows[0]) - set(table.column_names)
        if unknown:
            raise KeyError(f"{table.key}: generated columns not in the contract: {sorted(unknown)}")


class CsvWriter:
    def __init__(self, table: Table, path: Path, clock: tuple[str, ...]) -> None:
        self.table = table
        self.path = path
        self.rows_written = 0
        self._columns = table.column_names
        self._convert = [_text_converter(table, c, clock) for c in table.columns]
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = path.open("w", encoding=table.encoding, errors="strict", newline="")
        self._csv = csv.writer(
            self._fh,
            delimiter=table.delimiter,
            quotechar='"',
            quoting=csv.QUOTE_MINIMAL,
            lineterminator="\r\n",
        )
        self._csv.writerow(self._columns)

    def write(self, rows: list[Row]) -> None:
        _check_keys(self.table, rows)
        cols = self._columns
        convert = [(i, f) for i, f in enumerate(self._convert) if f is not _identity]
        out = []
        for row in rows:
            values = [row.get(c) for c in cols]
            for i, f in convert:
                values[i] = f(values[i])
            out.append(values)
        self._csv.writerows(out)
        self.rows_written += len(rows)

    def close(self) -> None:
        self._fh.close()


def _json_value(v: Any) -> str:
    """One JSON value, as `json.dumps(v, ensure_ascii=False)` writes it."""
    if v is None:
        return "null"
    if v.__class__ is str:
        return _encode_string(v)
    return json.dumps(v)


class JsonlWriter:
    def __init__(self, table: Table, path: Path, clock: tuple[str, ...]) -> None:
        self.table = table
        self.path = path
        self.rows_written = 0
        self._columns = table.column_names
        self._convert = [_json_converter(table, c, clock) for c in table.columns]
        # one object per line, keys in contract order: {"a":%s,"b":%s}
        keys = (json.dumps(c, ensure_ascii=False) for c in self._columns)
        self._template = "{" + ",".join(k.replace("%", "%%") + ":%s" for k in keys) + "}"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = path.open("w", encoding=table.encoding, errors="strict", newline="\n")

    def write(self, rows: list[Row]) -> None:
        _check_keys(self.table, rows)
        cols = self._columns
        convert = [(i, f) for i, f in enumerate(self._convert) if f is not _identity]
        template = self._template
        value = _json_value
        lines = []
        for row in rows:
            values = [row.get(c) for c in cols]
            for i, f in convert:
                values[i] = f(values[i])
            lines.append(template % tuple([value(v) for v in values]))
        lines.append("")
        self._fh.write("\n".join(lines))
        self.rows_written += len(rows)

    def close(self) -> None:
        self._fh.close()


class ParquetWriter:
    def __init__(self, table: Table, path: Path) -> None:
        self.table = table
        self.path = path
        self.rows_written = 0
        self._schema = pa.schema([pa.field(c.name, _arrow_type(c)) for c in table.columns])
        self._pending: list[Row] = []
        path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = pq.ParquetWriter(path, self._schema, compression="zstd")

    def write(self, rows: list[Row]) -> None:
        _check_keys(self.table, rows)
        self._pending.extend(rows)
        self.rows_written += len(rows)
        if len(self._pending) >= PARQUET_ROWS_PER_GROUP:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        arrays = [
            _arrow_array(c, [row.get(c.name) for row in self._pending]) for c in self.table.columns
        ]
        self._writer.write_table(pa.Table.from_arrays(arrays, schema=self._schema))
        self._pending = []

    def close(self) -> None:
        self._flush()
        self._writer.close()


def open_writer(table: Table, out_dir: Path, clock: tuple[str, ...]) -> TableWriter:
    """A streaming writer for the table's one file; `clock` comes from `clock_table()`."""
    path = output_path(table, out_dir)
    if table.file_format == "csv":
        return CsvWriter(table, path, clock)
    if table.file_format == "jsonl":
        return JsonlWriter(table, path, clock)
    if table.file_format == "parquet":
        return ParquetWriter(table, path)
    raise ValueError(f"{table.key}: unsupported format {table.file_format}")


class PlainCsv:
    """A UTF-8 CSV for ground truth files."""

    def __init__(self, path: Path, header: Iterable[str]) -> None:
        self.path = path
        self.rows_written = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = path.open("w", encoding="utf-8", newline="")
        self._csv = csv.writer(self._fh, lineterminator="\n")
        self._csv.writerow(list(header))

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        self._csv.writerows(rows)
        self.rows_written += len(rows)

    def close(self) -> None:
        self._fh.close()
