"""Command line: `python -m orchestration run|parse|summary`.

`run` is the project's main job: generate demo data when the raw folder is empty,
parse the dbt project, materialise every Dagster asset (raw loads, checks, dbt build)
and print where the warehouse is and what it holds.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from orchestration.contract import PROJECT_DIR
from orchestration.settings import Settings

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def dbt_parse() -> None:
    """Write target/manifest.json, which the Dagster definitions are built from."""
    dbt = Path(sys.executable).parent / "dbt"
    subprocess.run(
        [str(dbt), "parse", "--quiet", "--profiles-dir", str(PROJECT_DIR)],
        cwd=PROJECT_DIR,
        check=True,
    )


def has_raw_files(raw_dir: Path) -> bool:
    return raw_dir.is_dir() and any(p.is_file() for p in raw_dir.rglob("*"))


def materialize_all(log_path: Path) -> bool:
    """Run the `build_warehouse` job in this process; True when every step succeeded.

    The terminal gets one progress line per step (orchestration/progress.py); everything
    Dagster and dbt print goes to `log_path`.
    """
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.progress import command_line_run_config

    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else None
    job = defs.resolve_job_def("build_warehouse")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w", encoding="utf-8") as log, redirect_stdout(log), redirect_stderr(log):
        result = job.execute_in_process(
            run_config=command_line_run_config(), instance=instance, raise_on_error=False
        )
    return result.success


def cmd_run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    started = time.perf_counter()
    if not has_raw_files(settings.raw_data_dir):
        from orchestration.generator import generate

        print(
            f"[1/4] No raw files in {settings.raw_data_dir}: generating demo data "
            f"({args.persons:,} persons, seed {args.seed})",
            flush=True,
        )
        generate(settings.raw_data_dir, persons=args.persons, seed=args.seed)
    else:
        print(f"[1/4] Raw files found in {settings.raw_data_dir}", flush=True)
    print("[2/4] Parsing the dbt project", flush=True)
    dbt_parse()
    log_path = PROJECT_DIR / "logs" / f"run-{time.strftime('%Y%m%d-%H%M%S')}.log"
    print(f"[3/4] Materialising every asset into {settings.warehouse_path}", flush=True)
    print(f"      (the full Dagster and dbt log: {log_path})", flush=True)
    ok = materialize_all(log_path)
    from orchestration.summary import render

    print("[4/4] Summary", flush=True)
    print(render(settings.warehouse_path))
    print(f"\n{'Done' if ok else 'FAILED'} in {time.perf_counter() - started:.0f} s")
    return 0 if ok else 1


def cmd_load(_: argparse.Namespace) -> int:
    """Load every raw table without Dagster (used by benchmarks and for debugging)."""
    from orchestration.contract import load_contract
    from orchestration.loader import connect, load_table

    settings = Settings.from_env()
    conn = connect(settings.warehouse_path)
    try:
        for table in load_contract():
            result = load_table(conn, table, settings.raw_data_dir)
            print(
                f"{table.key:<24} files {len(result.files):>3}  loaded "
                f"{result.rows_loaded:>10,}  quarantined {result.rows_quarantined:>8,}"
            )
    finally:
        conn.close()
    return 0


def cmd_spark_publish(_: argparse.Namespace) -> int:
    """Export the loaded raw tables to Parquet and register them in the Spark metastore."""
    from orchestration.loader.spark_publish import SparkPaths, publish

    paths = SparkPaths.from_env()
    for name, rows in publish(Settings.from_env().warehouse_path, paths):
        print(f"{name:<40} {rows:>10,} rows")
    print(f"Spark metastore and warehouse under {paths.root}")
    return 0


def cmd_summary(_: argparse.Namespace) -> int:
    from orchestration.summary import render

    print(render(Settings.from_env().warehouse_path))
    return 0


def _write_docs() -> int:
    from orchestration.contract_docs import DOC_PATH, write

    write()
    print(f"wrote {DOC_PATH}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="generate demo data if needed, build everything, summarise")
    run.add_argument("--persons", type=int, default=20_000, help="demo data size (persons)")
    run.add_argument("--seed", type=int, default=42)
    run.set_defaults(func=cmd_run)
    sub.add_parser("parse", help="dbt parse (writes the manifest)").set_defaults(
        func=lambda _: dbt_parse() or 0
    )
    sub.add_parser("load", help="load new raw files only (no dbt)").set_defaults(func=cmd_load)
    sub.add_parser(
        "spark-publish", help="publish the loaded raw tables to Spark (dbt target spark)"
    ).set_defaults(func=cmd_spark_publish)
    sub.add_parser("docs", help="regenerate docs/raw_contract.md").set_defaults(
        func=lambda _: _write_docs()
    )
    sub.add_parser("summary", help="print what the warehouse holds").set_defaults(func=cmd_summary)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
