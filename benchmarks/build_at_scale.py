"""Build the warehouse at a given scale and print wall time and peak memory per stage.

    .venv/bin/python benchmarks/build_at_scale.py --persons 20000
    .venv/bin/python benchmarks/build_at_scale.py --persons 1000000 --workdir /tmp/cdp_1m

Each stage runs as its own process, so its peak resident memory (max RSS, from
`wait4`) is its own: generate (synthetic exports), load (raw files -> DuckDB with
quarantine and reconciliation), dbt build (every model and test). The warehouse and
data are written under --workdir and kept for inspection, with dbt's target folder
(`<workdir>/target`, its run_results.json); the slowest dbt nodes are printed.

--threads sets how many models dbt runs at once (the profile reads WAREHOUSE_THREADS,
default 2); at 1M persons one is faster (see README "Benchmarks").
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run_stage(name: str, cmd: list[str], env: dict[str, str]) -> tuple[str, float, float]:
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert proc.stdout is not None
    tail = []
    for line in proc.stdout:
        tail = (tail + [line])[-20:]
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    mib = usage.ru_maxrss / 1024  # KiB -> MiB
    # each stage's figures as soon as it ends: a later stage that fails keeps them
    print(f"stage {name}: {seconds:.1f} s, peak {mib:.0f} MiB", flush=True)
    if proc.returncode != 0:
        sys.stdout.write("".join(tail))
        raise SystemExit(f"stage {name} failed with exit code {proc.returncode}")
    return name, seconds, mib


def slowest_nodes(run_results: Path, count: int) -> list[tuple[float, str]]:
    """The `count` dbt nodes that took longest, as (seconds, node id)."""
    results = json.loads(run_results.read_text())["results"]
    timed = sorted(((r["execution_time"], r["unique_id"]) for r in results), reverse=True)
    return timed[:count]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--threads", type=int, default=None, help="dbt threads (default: profile)")
    args = parser.parse_args()
    work = (args.workdir or Path(f"/tmp/cdp_bench_{args.persons}")).resolve()
    raw = work / "raw"
    warehouse = work / "warehouse.duckdb"
    if warehouse.exists():
        warehouse.unlink()
    env = os.environ | {
        "RAW_DATA_DIR": str(raw),
        "WAREHOUSE_PATH": str(warehouse),
        "DO_NOT_TRACK": "1",
        "GX_ANALYTICS_ENABLED": "false",
    }
    py = str(BIN / "python")
    stages = []
    if not raw.exists():
        stages.append(
            run_stage(
                "generate",
                [
                    py,
                    "-m",
                    "orchestration.generator",
                    "--persons",
                    str(args.persons),
                    "--seed",
                    str(args.seed),
                    "--out",
                    str(raw),
                ],
                env,
            )
        )
    stages.append(run_stage("load", [py, "-m", "orchestration", "load"], env))
    target = work / "target"
    dbt_cmd = [str(BIN / "dbt"), "build", "--profiles-dir", str(PROJECT_DIR), "--quiet"]
    dbt_cmd += ["--target-path", str(target), "--log-path", str(work / "logs")]
    if args.threads is not None:
        dbt_cmd += ["--threads", str(args.threads)]
    stages.append(run_stage("dbt build", dbt_cmd, env))
    threads = args.threads or env.get("WAREHOUSE_THREADS") or "the profile's default"
    print("\nslowest dbt nodes:")
    for seconds, node in slowest_nodes(target / "run_results.json", 12):
        print(f"  {seconds:7.1f} s  {node}")
    print(
        f"\nscale: {args.persons:,} persons   workdir: {work}   cores: {os.cpu_count()}"
        f"   dbt threads: {threads}   memory limit: {env.get('WAREHOUSE_MEMORY_LIMIT', '80%')}"
    )
    print(f"{'stage':<12} {'wall s':>9} {'peak MiB':>10}")
    for name, seconds, mib in stages:
        print(f"{name:<12} {seconds:>9.1f} {mib:>10.0f}")
    total = sum(s for _, s, _ in stages)
    print(f"{'total':<12} {total:>9.1f} {max(m for *_, m in stages):>10.0f}")
    print(f"warehouse: {warehouse} ({warehouse.stat().st_size / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()
