"""Read one raw file into batches of text values, keeping every record accounted for.

A reader never guesses: it reads exactly the format the contract declares. Each
record either becomes a row in a batch (all values as text, typed later in SQL) or a
`Reject` naming its line and the reason. Files that are not valid in their declared
encoding are rejected whole, line by line, so nothing is silently dropped or emptied.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from orchestration.contract import Table

BATCH_ROWS = 50_000
LINE_COLUMN = "_line_number"
EXTRA_COLUMN = "_extra_columns"
READ_CHUNK = 1 << 20
SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Reject:
    line_number: int
    column_name: str | None
    reason: str
    raw_record: str


@dataclass
class FileLayout:
    """How the file's own columns relate to the contract."""

    file_columns: list[str]
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        out = []
        if self.missing:
            out.append(f"columns missing from file (loaded as null): {', '.join(self.missing)}")
        if self.extra:
            out.append(
                f"columns not in the contract (kept in _extra_columns): {', '.join(self.extra)}"
            )
        return out


@dataclass
class ReadResult:
    """Counters a reader fills while it yields batches."""

    records: int = 0
    rejects: list[Reject] = field(default_factory=list)
    layout: FileLayout | None = None
    blank_lines: int = 0
    json_keys: set[str] = field(default_factory=set)  # top-level keys seen in a JSON file


class EncodingError(ValueError):
    """The file is not valid in the encoding the contract declares."""

    def __init__(self, path: Path, encoding: str, line: int, column: int, byte: int) -> None:
        self.line = line
        super().__init__(
            f"{path}: not valid {encoding}: byte 0x{byte:02x} at line {line}, column {column}. "
            f"Re-export the file as {encoding} or declare its encoding in the contract "
            f"(meta.encoding in the source YAML)."
        )


def check_encoding(path: Path, encoding: str) -> None:
    """Decode the whole file strictly; raise `EncodingError` at the first bad byte."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    offset = 0
    line = 1
    last_newline = -1
    with path.open("rb") as fh:
        while chunk := fh.read(READ_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                bad = offset + exc.start
                head = chunk[: exc.start]
                line += head.count(b"\n")
                nl = head.rfind(b"\n")
                line_start = offset + nl + 1 if nl >= 0 else last_newline + 1
                raise EncodingError(
                    path, encoding, line, bad - line_start + 1, chunk[exc.start]
                ) from None
            line += chunk.count(b"\n")
            nl = chunk.rfind(b"\n")
            if nl >= 0:
                last_newline = offset + nl
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise EncodingError(path, encoding, line, 1, 0) from None


def reject_whole_file(path: Path, encoding: str, reason: str, header: bool) -> ReadResult:
    """Quarantine every record line of a file that cannot be read at all."""
    result = ReadResult()
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if header and number == 1:
                continue
            text = raw.rstrip(b"\r\n").decode(encoding, errors="backslashreplace")
            if not text.strip():
                result.blank_lines += 1
                continue
            result.records += 1
            result.rejects.append(Reject(number, None, reason, text))
    return result


def plan_layout(table: Table, file_columns: list[str]) -> FileLayout:
    contract = table.column_names
    layout = FileLayout(
        file_columns=file_columns,
        missing=[c for c in contract if c not in file_columns],
        extra=[c for c in file_columns if c not in contract],
    )
    layout.missing_required = [c for c in layout.missing if table.column(c).required]
    return layout


class _Batcher:
    """Collects text rows column-wise and emits Arrow batches."""

    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        self._reset()

    def _reset(self) -> None:
        self.values: dict[str, list[str | None]] = {c: [] for c in self.columns}
        self.lines: list[int] = []
        self.extras: list[str | None] = []

    def add(self, line: int, row: dict[str, str | None], extra: dict[str, object] | None) -> None:
        for c in self.columns:
            self.values[c].append(row.get(c))
        self.lines.append(line)
        self.extras.append(json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None)

    def __len__(self) -> int:
        return len(self.lines)

    def flush(self) -> pa.Table:
        arrays = {c: pa.array(v, type=pa.string()) for c, v in self.values.items()}
        arrays[LINE_COLUMN] = pa.array(self.lines, type=pa.int64())
        arrays[EXTRA_COLUMN] = pa.array(self.extras, type=pa.string())
        self._reset()
        return pa.table(arrays)


def _empty_to_none(value: str) -> str | None:
    return value if value != "" else None


class _LineRecorder:
    """Feeds lines to csv.reader and remembers which physical lines each record used."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self.buffer: list[str] = []
        self.next_line = 1

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.buffer.append(line)
        return line

    def take(self) -> tuple[int, str]:
        start = self.next_line
        self.next_line += len(self.buffer)
        text = "".join(self.buffer).rstrip("\r\n")
        self.buffer = []
        return start, text


def _is_utf8(encoding: str) -> bool:
    return encoding.lower().replace("_", "-") in ("utf-8", "utf8")


def _decoding(table: Table) -> str:
    # A UTF-8 byte-order mark is not part of the first column's name.
    return "utf-8-sig" if _is_utf8(table.encoding) else table.encoding


def read_csv(table: Table, path: Path, result: ReadResult) -> Iterator[pa.Table]:
    """Every record a row or a reject, with its first physical line. A UTF-8 file without
    quotes (one record per line, `_plain_csv`) goes block by block through Arrow's CSV
    reader where a block parses cleanly, and through csv.reader otherwise, with the same
    outcome."""
    with path.open("r", encoding=_decoding(table), errors="strict", newline="") as fh:
        recorder = _LineRecorder(fh)
        reader = csv.reader(recorder, delimiter=table.delimiter, quotechar='"', strict=True)
        try:
            header = next(reader)
        except StopIteration:
            result.layout = plan_layout(table, [])
            return
        recorder.take()
        header = [h.strip() for h in header]
        dupes = sorted({h for h in header if header.count(h) > 1})
        if dupes:
            raise ValueError(f"{path}: line 1: duplicate column names in header: {dupes}")
        layout = result.layout = plan_layout(table, header)
        batch = _Batcher(table.column_names)
        if recorder.next_line == 2 and _plain_csv(table, path, layout):
            yield from _plain_csv_blocks(table, path, layout, result, batch)
        else:
            yield from _csv_records(reader, recorder, layout, result, batch)
        if len(batch):
            yield batch.flush()


def _csv_records(
    reader: Iterator[list[str]],
    recorder: _LineRecorder,
    layout: FileLayout,
    result: ReadResult,
    batch: _Batcher,
) -> Iterator[pa.Table]:
    """The records csv.reader parses from the recorder's lines: rows of `batch` (yielded
    whenever it is full) or rejects naming their line."""
    header = layout.file_columns
    missing_reason = (
        f"missing required column(s) {', '.join(layout.missing_required)} in header"
        if layout.missing_required
        else None
    )
    while True:
        try:
            row = next(reader)
        except StopIteration:
            if recorder.buffer:  # a quoted field left open at end of file
                line, text = recorder.take()
                result.records += 1
                result.rejects.append(
                    Reject(line, None, "truncated record: file ends inside a quoted field", text)
                )
            return
        except csv.Error as exc:
            line, text = recorder.take()
            result.records += 1
            reason = (
                "truncated record: file ends inside a quoted field"
                if "unexpected end of data" in str(exc)
                else f"malformed CSV: {exc}"
            )
            result.rejects.append(Reject(line, None, reason, text))
            continue
        line, text = recorder.take()
        if not row or (len(row) == 1 and row[0].strip() == ""):
            result.blank_lines += 1
            continue
        result.records += 1
        if missing_reason:
            result.rejects.append(Reject(line, layout.missing_required[0], missing_reason, text))
            continue
        if len(row) != len(header):
            result.rejects.append(
                Reject(
                    line,
                    None,
                    f"expected {len(header)} fields (as in the header), found {len(row)}",
                    text,
                )
            )
            continue
        values = dict(zip(header, (_empty_to_none(v) for v in row), strict=True))
        extra = {c: values[c] for c in layout.extra} if layout.extra else None
        batch.add(line, values, extra)
        if len(batch) >= BATCH_ROWS:
            yield batch.flush()


def _plain_csv(table: Table, path: Path, layout: FileLayout) -> bool:
    """Whether every physical line of the file is one record that csv.reader would split
    at each delimiter and nowhere else: UTF-8, no quote character, no NUL, no carriage
    return but before a line feed, at least two columns, and the header maps onto the
    contract without extra or missing required columns."""
    if not _is_utf8(table.encoding) or layout.extra or layout.missing_required:
        return False
    if len(layout.file_columns) < 2:
        return False
    with path.open("rb") as fh:
        while chunk := fh.read(READ_CHUNK):
            if chunk.endswith(b"\r"):
                chunk += fh.read(1)  # keep a CR LF in one chunk
            if b'"' in chunk or b"\x00" in chunk or chunk.count(b"\r") != chunk.count(b"\r\n"):
                return False
    return True


def _plain_csv_blocks(
    table: Table, path: Path, layout: FileLayout, result: ReadResult, batch: _Batcher
) -> Iterator[pa.Table]:
    """A plain file after its header, `BATCH_ROWS` lines at a time: through Arrow when
    the block parses into one row per line, else through csv.reader."""
    with path.open("rb") as fh:
        fh.readline()  # the header
        first = 2
        while lines := list(itertools.islice(fh, BATCH_ROWS)):
            fast = _arrow_csv_block(table, layout.file_columns, lines, first)
            if fast is not None:
                result.records += fast.num_rows
                yield fast
            else:
                recorder = _LineRecorder(raw.decode() for raw in lines)
                recorder.next_line = first
                reader = csv.reader(recorder, delimiter=table.delimiter, quotechar='"', strict=True)
                yield from _csv_records(reader, recorder, layout, result, batch)
            first += len(lines)


def _arrow_csv_block(
    table: Table, header: list[str], lines: list[bytes], first_line: int
) -> pa.Table | None:
    """Lines of a plain file (`_plain_csv`) as one batch, or None when a line is blank or
    has another number of fields than the header (csv.reader then reads the block)."""
    if any(not raw.strip() for raw in lines):
        return None
    names = [f"field_{i}" for i in range(len(header))]
    try:
        parsed = pa_csv.read_csv(
            io.BytesIO(b"".join(lines)),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(
                delimiter=table.delimiter,
                quote_char=False,
                escape_char=False,
                newlines_in_values=False,
                ignore_empty_lines=False,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid:
        return None
    if parsed.num_rows != len(lines):
        return None
    position = {name: i for i, name in enumerate(header)}
    columns = {
        c: _empty_to_null(parsed.column(position[c]).combine_chunks())
        if c in position
        else pa.nulls(len(lines), type=pa.string())
        for c in table.column_names
    }
    columns[LINE_COLUMN] = pa.array(range(first_line, first_line + len(lines)), type=pa.int64())
    columns[EXTRA_COLUMN] = pa.nulls(len(lines), type=pa.string())
    return pa.table(columns)


def _json_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _empty_to_none(value)
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _lone_surrogate(value: object) -> bool:
    """Whether a decoded JSON value (or a key inside it) holds a lone UTF-16 surrogate:
    an escape such as `\\ud800` without its pair, which no UTF-8 text can hold."""
    if isinstance(value, str):
        return SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_lone_surrogate(k) or _lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_lone_surrogate(v) for v in value)
    return False


def _json_line(
    table: Table, line_number: int, text: str, result: ReadResult, batch: _Batcher
) -> None:
    """One line of a JSON lines file: a row of `batch`, a reject, or a blank line."""
    if not text.strip():
        result.blank_lines += 1
        return
    result.records += 1
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        result.rejects.append(Reject(line_number, None, f"invalid JSON: {exc.msg}", text))
        return
    if not isinstance(obj, dict):
        result.rejects.append(Reject(line_number, None, "a JSON line must hold one object", text))
        return
    if "\\u" in text:  # only an escape can spell a lone surrogate in a decoded file
        for key, value in obj.items():
            if _lone_surrogate(key) or _lone_surrogate(value):
                column = key if key in table.column_names else None
                reason = f"invalid JSON: a lone UTF-16 surrogate escape in key {key!r}"
                result.rejects.append(Reject(line_number, column, reason, text))
                return
    result.json_keys.update(obj)
    values = {c: _json_text(obj.get(c)) for c in table.column_names}
    extra_keys = [k for k in obj if k not in values]
    extra = {k: obj[k] for k in extra_keys} if extra_keys else None
    batch.add(line_number, values, extra)


def _key_pattern(name: str) -> re.Pattern[bytes]:
    """A top-level key in a block of flat objects: `{` or `,`, then the quoted name, then
    `:`. Inside a string a quote is escaped (`\\"`), so this cannot match there."""
    return re.compile(rb'[{,][ \t\r\n]*"' + re.escape(name.encode()) + rb'"[ \t\r\n]*:')


def _arrow_json_block(
    table: Table, lines: list[bytes], first_line: int, result: ReadResult
) -> pa.Table | None:
    """The block of UTF-8 lines as one batch, parsed by Arrow in one call, when it is
    plainly what the line-by-line reader would make of it: every line one JSON object
    (it starts with `{`, ends with `}`, and Arrow finds as many objects as lines), only
    contract keys, each value a string or null, no key twice. Otherwise None, and the
    block is read line by line; either way the rows, their text and line numbers agree."""
    for raw in lines:
        if not raw.startswith(b"{") or not raw.rstrip(b"\r\n").endswith(b"}"):
            return None
    data = b"".join(lines)
    schema = pa.schema([(c, pa.string()) for c in table.column_names])
    try:
        parsed = pa_json.read_json(
            io.BytesIO(data),
            parse_options=pa_json.ParseOptions(
                explicit_schema=schema, unexpected_field_behavior="error"
            ),
        )
    except pa.ArrowInvalid:  # not JSON, another type, an unknown or repeated key
        return None
    if parsed.num_rows != len(lines):
        return None
    # Keys present only with null values are still present (as the line-by-line reader
    # counts them): look for them in the text unless an escape could spell them.
    unseen = [c for c in table.column_names if c not in result.json_keys]
    present = set()
    for name in unseen:
        if parsed.column(name).null_count < parsed.num_rows or _key_pattern(name).search(data):
            present.add(name)
        elif b"\\u" in data:
            return None
    result.json_keys.update(present)
    result.records += parsed.num_rows
    columns = {c: _empty_to_null(parsed.column(c).combine_chunks()) for c in table.column_names}
    columns[LINE_COLUMN] = pa.array(range(first_line, first_line + len(lines)), type=pa.int64())
    columns[EXTRA_COLUMN] = pa.nulls(len(lines), type=pa.string())
    return pa.table(columns)


def _empty_to_null(array: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array)


def _utf8_json_blocks(path: Path) -> Iterator[tuple[int, list[bytes]]]:
    """The file's lines as bytes, `BATCH_ROWS` at a time, with the first line's number.
    Split at `\\n` only and without a leading byte-order mark, as the text reader does."""
    block: list[bytes] = []
    first = 1
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            block.append(raw)
            if len(block) >= BATCH_ROWS:
                yield first, block
                first, block = number + 1, []
    if block:
        yield first, block


def read_jsonl(table: Table, path: Path, result: ReadResult) -> Iterator[pa.Table]:
    """Every line a record (blank lines counted, not records). UTF-8 files go block by
    block through Arrow's JSON reader where a block is plain (`_arrow_json_block`), and
    line by line otherwise, with the same outcome."""
    batch = _Batcher(table.column_names)
    if _is_utf8(table.encoding):
        for first, lines in _utf8_json_blocks(path):
            fast = _arrow_json_block(table, lines, first, result)
            if fast is not None:
                yield fast
                continue
            for offset, raw in enumerate(lines):
                _json_line(table, first + offset, raw.decode().rstrip("\r\n"), result, batch)
            if len(batch):
                yield batch.flush()
    else:
        with path.open("r", encoding=table.encoding, errors="strict", newline="\n") as fh:
            for line_number, line in enumerate(fh, start=1):
                _json_line(table, line_number, line.rstrip("\r\n"), result, batch)
                if len(batch) >= BATCH_ROWS:
                    yield batch.flush()
        if len(batch):
            yield batch.flush()
    contract = table.column_names
    keys = result.json_keys
    # In JSON lines an absent optional key is ordinary; report only keys never seen at all.
    result.layout = plan_layout(
        table, [c for c in contract if c in keys] + sorted(k for k in keys if k not in contract)
    )


def read_parquet(table: Table, path: Path, result: ReadResult) -> Iterator[pa.Table]:
    pfile = pq.ParquetFile(path)
    layout = result.layout = plan_layout(table, list(pfile.schema_arrow.names))
    first_line = 1
    for record_batch in pfile.iter_batches(batch_size=BATCH_ROWS):
        n = record_batch.num_rows
        result.records += n
        if layout.missing_required:
            reason = f"missing required column(s) {', '.join(layout.missing_required)} in schema"
            for i, row in enumerate(record_batch.to_pylist()):
                result.rejects.append(
                    Reject(
                        first_line + i,
                        layout.missing_required[0],
                        reason,
                        json.dumps(row, default=str, sort_keys=True),
                    )
                )
            first_line += n
            continue
        arrays = {}
        for name in table.column_names:
            if name in layout.missing:
                arrays[name] = pa.nulls(n, type=pa.string())
            else:
                arrays[name] = record_batch.column(name).cast(pa.string())
        arrays[LINE_COLUMN] = pa.array(range(first_line, first_line + n), type=pa.int64())
        if layout.extra:
            extra_rows = record_batch.select(layout.extra).to_pylist()
            arrays[EXTRA_COLUMN] = pa.array(
                [json.dumps(r, default=str, sort_keys=True) for r in extra_rows], type=pa.string()
            )
        else:
            arrays[EXTRA_COLUMN] = pa.nulls(n, type=pa.string())
        first_line += n
        yield pa.table(arrays)


READERS = {"csv": read_csv, "jsonl": read_jsonl, "parquet": read_parquet}
