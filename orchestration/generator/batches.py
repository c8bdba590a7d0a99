"""Split a generated data set into two load batches, for incremental builds.

`split_off_batch(raw_dir, later_dir, share, seed)` moves a random `share` of the rows
of every file under `raw_dir` into a file of the same table under `later_dir`
(`part-0002.<ext>`, the same format, encoding and delimiter), leaving the rest in
place. Dropping `later_dir`'s files into the raw folder later is a second batch in
which rows of every age arrive: late page views of sessions already loaded, app
events in the middle of a device's history, orders whose customer's profile records
came first, profile records that link two customers already resolved apart.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pyarrow.parquet as pq

from orchestration.contract import Table, load_contract

LATER_FILE_STEM = "part-0002"


def _split_rows(n: int, share: float, rng: random.Random) -> tuple[list[int], list[int]]:
    later = [rng.random() < share for _ in range(n)]
    return [i for i in range(n) if not later[i]], [i for i in range(n) if later[i]]


def _split_csv(table: Table, path: Path, out: Path, share: float, rng: random.Random) -> int:
    with path.open(encoding=table.encoding, errors="strict", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=table.delimiter, quotechar='"'))
    header, body = rows[0], rows[1:]
    keep, later = _split_rows(len(body), share, rng)
    for target, indexes in ((path, keep), (out, later)):
        with target.open("w", encoding=table.encoding, errors="strict", newline="") as fh:
            writer = csv.writer(
                fh,
                delimiter=table.delimiter,
                quotechar='"',
                quoting=csv.QUOTE_MINIMAL,
                lineterminator="\r\n",
            )
            writer.writerow(header)
            writer.writerows(body[i] for i in indexes)
    return len(later)


def _split_jsonl(table: Table, path: Path, out: Path, share: float, rng: random.Random) -> int:
    lines = path.read_bytes().splitlines(keepends=True)
    keep, later = _split_rows(len(lines), share, rng)
    path.write_bytes(b"".join(lines[i] for i in keep))
    out.write_bytes(b"".join(lines[i] for i in later))
    return len(later)


def _split_parquet(table: Table, path: Path, out: Path, share: float, rng: random.Random) -> int:
    data = pq.read_table(path)
    keep, later = _split_rows(data.num_rows, share, rng)
    pq.write_table(data.take(keep), path)
    pq.write_table(data.take(later), out)
    return len(later)


SPLITTERS = {"csv": _split_csv, "jsonl": _split_jsonl, "parquet": _split_parquet}


def split_off_batch(raw_dir: Path, later_dir: Path, share: float, seed: int) -> dict[str, int]:
    """Move about `share` of every raw file's rows to `later_dir`; rows moved per table."""
    if not 0 < share < 1:
        raise ValueError("share must be between 0 and 1")
    moved: dict[str, int] = {}
    for table in load_contract():
        rng = random.Random(f"{seed}:{table.key}")
        for path in sorted(p for p in raw_dir.glob(table.path) if p.is_file()):
            relative = path.parent.relative_to(raw_dir)
            out = later_dir / relative / f"{LATER_FILE_STEM}{path.suffix}"
            if out.exists():
                raise FileExistsError(f"{out} exists: split into an empty folder")
            out.parent.mkdir(parents=True, exist_ok=True)
            splitter = SPLITTERS[table.file_format]
            moved[table.key] = moved.get(table.key, 0) + splitter(table, path, out, share, rng)
    return moved
