"""Cost of an incremental build after 1% new data, as a ratio to the full build.

    .venv/bin/python benchmarks/incremental_benchmark.py --persons 20000
    .venv/bin/python benchmarks/incremental_benchmark.py --persons 20000 --share 0.01

Generates a data set under --workdir and moves --share of every file's rows
to a second batch (`orchestration.generator.batches`: rows of every age, so late
events included). Then two builds go through the publish code as a Dagster run does
(fresh build file, raw layer and incremental tables carried over, load, dbt, swap):

1. the full build: every model and seed on the first batch;
2. the incremental build: the second batch dropped in, same steps, the incremental
   models (`int_journey_touches_unioned`, `int_orders_collected`,
   `int_order_lines_collected`) adding only what changed.

Both dbt steps run models and seeds, not data tests (their cost does not depend on
incremental models). var incremental_lookback_minutes is 0: the two builds are
minutes apart, and the default lookback of 120 minutes would re-read the first batch.
Prints each step's wall time, the ratio, and each incremental model's own time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from orchestration import publish  # noqa: E402
from orchestration.contract import load_contract  # noqa: E402
from orchestration.generator import generate  # noqa: E402
from orchestration.generator.batches import split_off_batch  # noqa: E402
from orchestration.loader import connect, load_table  # noqa: E402

BIN = Path(sys.executable).parent


def _timed(steps: dict[str, float], name: str, fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    steps[name] = time.perf_counter() - started
    return result


def _load(path: Path, raw: Path) -> None:
    conn = connect(path)
    try:
        for table in load_contract():
            load_table(conn, table, raw)
    finally:
        conn.close()


def _dbt(path: Path, target: Path) -> dict[str, float]:
    build_vars = {"warehouse_build_path": str(path), "incremental_lookback_minutes": 0}
    subprocess.run(
        [str(BIN / "dbt"), "build", "--profiles-dir", str(PROJECT_DIR)]
        + ["--project-dir", str(PROJECT_DIR), "--target-path", str(target), "--quiet"]
        + ["--resource-type", "model", "--resource-type", "seed"]
        + ["--vars", json.dumps(build_vars)],
        check=True,
        cwd=PROJECT_DIR,
        env=os.environ | {"DO_NOT_TRACK": "1", "DBT_TARGET": "duckdb"},
    )
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {r["unique_id"].split(".")[-1]: r["execution_time"] for r in results}


def _build(
    published: Path, build_id: str, raw: Path, target: Path
) -> tuple[dict[str, float], dict]:
    steps: dict[str, float] = {}
    incremental = publish.incremental_relations(target / "manifest.json")
    path = _timed(
        steps,
        "prepare (copy raw + incremental)",
        publish.prepare_build,
        published,
        build_id,
        incremental,
    )
    _timed(steps, "load", _load, path, raw)
    models = _timed(steps, "dbt (models + seeds)", _dbt, path, target)
    _timed(steps, "publish", publish.publish_build, published, build_id)
    return steps, models


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--share", type=float, default=0.01, help="share of rows in batch 2")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = (args.workdir or Path(f"/tmp/cdp_incremental_{args.persons}")).resolve()
    raw, later, published = work / "raw", work / "later", work / "warehouse.duckdb"
    for stale in (later, published.parent / f"{published.stem}.builds"):
        shutil.rmtree(stale, ignore_errors=True)
    published.unlink(missing_ok=True)
    shutil.rmtree(raw, ignore_errors=True)
    generate(raw, persons=args.persons, seed=args.seed)
    moved = split_off_batch(raw, later, share=args.share, seed=args.seed)

    # dbt's own target folder in the workdir: its manifest says which tables to carry
    target = work / "dbt_target"
    full_steps, full_models = _build(published, "full", raw, target)
    shutil.copytree(later, raw, dirs_exist_ok=True)
    inc_steps, inc_models = _build(published, "incremental", raw, target)

    full_total, inc_total = sum(full_steps.values()), sum(inc_steps.values())
    print(
        f"\nscale: {args.persons:,} persons, second batch {sum(moved.values()):,} rows "
        f"({args.share:.0%} of every file), cores: {os.cpu_count()}"
    )
    print(f"{'step':<34} {'full s':>9} {'incremental s':>14}")
    for name in full_steps:
        print(f"{name:<34} {full_steps[name]:>9.1f} {inc_steps[name]:>14.1f}")
    print(f"{'total':<34} {full_total:>9.1f} {inc_total:>14.1f}")
    print(
        f"incremental / full: {inc_total / full_total:.1%} "
        f"(dbt alone {inc_steps['dbt (models + seeds)'] / full_steps['dbt (models + seeds)']:.1%})"
    )
    print(f"\n{'incremental model':<34} {'full s':>9} {'incremental s':>14}")
    names = [t for _, t in publish.incremental_relations(target / "manifest.json")]
    for name in names:
        print(f"{name:<34} {full_models.get(name, 0):>9.2f} {inc_models.get(name, 0):>14.2f}")
    slowest = sorted(inc_models.items(), key=lambda kv: -kv[1])[:5]
    print(
        "\nslowest models of the incremental build: "
        + ", ".join(f"{n} {s:.1f} s" for n, s in slowest)
    )


if __name__ == "__main__":
    main()
