"""Processes for the publishing tests: a small representative build, and a BI reader.

`build PUBLISHED BUILD_ID ROWS [--pause-at STAGE --marker FILE]` runs the real
`prepare_build` / `seal_build` / `swap_in` of `orchestration.publish` around a cheap
build step with the shape of the real one: a load appends rows to a raw table (carried
from build to build like the real raw layer), a model replaces a mart table, a test
checks it, and a summary row states what a reader must find. With `--pause-at` it
writes FILE when it reaches that stage and waits there to be killed.

`read PUBLISHED STOP OUT` opens the published file read-only again and again until the
file STOP exists, checks on every read that it holds one whole build, and writes counts to OUT.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import duckdb

from orchestration import publish

STAGES = ("load", "model", "test", "swap")
READ_PAUSE_S = 0.02


def _pause(stage: str, args: argparse.Namespace) -> None:
    if args.pause_at == stage:
        Path(args.marker).write_text(stage)
        while True:
            time.sleep(1)


def build(args: argparse.Namespace) -> int:
    published = Path(args.published)
    path = publish.prepare_build(published, args.build_id)
    conn = duckdb.connect(str(path))
    try:
        conn.execute("create schema if not exists raw_soak")
        conn.execute(
            "create table if not exists raw_soak.events "
            "(build_id varchar, i bigint, payload varchar)"
        )
        conn.execute(
            "insert into raw_soak.events select ?, i, repeat('x', 200) from range(?) t(i)",
            [args.build_id, args.rows],
        )
        _pause("load", args)
        conn.execute("create schema if not exists marts")
        conn.execute(
            "create or replace table marts.soak_facts as select build_id, i, payload "
            "from raw_soak.events"
        )
        _pause("model", args)
        bad = conn.execute(
            "select count(*) from marts.soak_facts f full join raw_soak.events e "
            "on f.build_id = e.build_id and f.i = e.i where f.i is null or e.i is null"
        ).fetchall()[0][0]
        if bad:
            raise SystemExit(f"test failed: {bad} rows differ")
        conn.execute(
            "create or replace table marts.soak_summary as select ? as build_id, "
            "count(*) as fact_rows, count(distinct build_id) as builds from marts.soak_facts",
            [args.build_id],
        )
        _pause("test", args)
    finally:
        conn.close()
    publish.seal_build(published, args.build_id)
    _pause("swap", args)
    publish.swap_in(published, args.build_id)
    return 0


def read_once(published: Path) -> str:
    """The build id the file holds; raises AssertionError when it is not one whole build."""
    with duckdb.connect(str(published), read_only=True) as conn:
        summary_id, fact_rows, builds = conn.execute(
            "select build_id, fact_rows, builds from marts.soak_summary"
        ).fetchall()[0]
        published_id = conn.execute(
            "select build_id from raw_meta.builds where published_at is not null "
            "order by published_at desc limit 1"
        ).fetchall()[0][0]
        facts, raw, history = conn.execute(
            "select (select count(*) from marts.soak_facts), "
            "(select count(*) from raw_soak.events), "
            "(select count(*) from raw_meta.builds where published_at is not null)"
        ).fetchall()[0]
    if not (summary_id == published_id and facts == fact_rows == raw and builds == history):
        raise AssertionError(
            f"half-built: summary {summary_id} published {published_id} facts {facts} "
            f"summary rows {fact_rows} raw {raw} builds {builds} history {history}"
        )
    return summary_id


def read(args: argparse.Namespace) -> int:
    published = Path(args.published)
    stop = Path(args.stop)
    counts = {"reads": 0, "lock_errors": 0, "other_errors": [], "builds_seen": []}
    seen: set[str] = set()
    while not stop.exists():
        try:
            seen.add(read_once(published))
            counts["reads"] += 1
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                counts["lock_errors"] += 1
            else:
                counts["other_errors"].append(repr(exc))
        except Exception as exc:  # noqa: BLE001 - every other failure is reported
            counts["other_errors"].append(repr(exc))
        time.sleep(READ_PAUSE_S)  # a dashboard, not a busy loop: leave CPU to the builds
    counts["builds_seen"] = sorted(seen)
    Path(args.out).write_text(json.dumps(counts))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("published")
    b.add_argument("build_id")
    b.add_argument("rows", type=int)
    b.add_argument("--pause-at", choices=STAGES)
    b.add_argument("--marker")
    b.set_defaults(func=build)
    r = sub.add_parser("read")
    r.add_argument("published")
    r.add_argument("stop")
    r.add_argument("out")
    r.set_defaults(func=read)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
