"""Time every attribution model on synthetic journeys: time, CPU and peak memory each.

    .venv/bin/python benchmarks/attribution_benchmark.py --journeys 1000000
    .venv/bin/python benchmarks/attribution_benchmark.py --journeys 50000 --workdir /tmp/attrbench

Writes a fresh DuckDB warehouse under --workdir holding the inputs of the attribution
models, as the upstream models would have built them: `int_journey_path_touches`
(journeys of 1-20 touches over 12 channels, some converting), `int_journey_conversions`,
`fct_touchpoints` (touch time and campaign) and `stg_ads__spend` (daily spend of the
paid channels). Then one `dbt run --threads 1` builds every model, one after the other,
as a build would. Printed per model: dbt's own execution time of the model (from
run_results.json), the CPU time and the peak RSS of the dbt process while the model ran
(sampled from /proc every 20 ms; DuckDB runs in-process); then the whole run's wall
time (dbt's start-up included), its CPU time (user + system: what the run costs,
whatever else shares the machine) and the process's peak RSS (wait4).
To measure on two cores: `taskset -c 0,1 .venv/bin/python benchmarks/attribution_benchmark.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

# benchmarks/ is not a package: run as a script, its folder is on sys.path.
from build_at_scale import BIN, PROJECT_DIR, run_stage

CHANNELS = [
    "direct", "organic_search", "paid_search", "paid_social", "organic_social", "email",
    "sms", "display", "affiliate", "app", "store", "support",
]  # fmt: skip
SHARES = np.array([0.24, 0.2, 0.1, 0.08, 0.06, 0.08, 0.03, 0.04, 0.03, 0.08, 0.04, 0.02])
LIFTS = np.array([0.03, 0.05, 0.08, 0.06, 0.02, 0.09, 0.07, 0.01, 0.05, 0.06, 0.1, 0.0])
PAID = {"paid_search", "paid_social", "display", "affiliate"}
MODELS = [
    "int_attribution_shapley_values",
    "int_attribution_rule_credits",
    "int_attribution_markov_edges",
    "int_attribution_markov_iterations",
    "fct_attribution_markov_effects",
    "fct_attribution_credits",
    "fct_journey_paths",
    "fct_attribution_channel_daily",
]
START = np.datetime64("2025-01-01T00:00:00")


def synthesise(journeys: int, seed: int) -> dict[str, pd.DataFrame]:
    """The input tables of the attribution models for `journeys` synthetic journeys."""
    rng = np.random.default_rng(seed)
    lengths = np.minimum(rng.geometric(0.4, size=journeys), 20)
    total = int(lengths.sum())
    journey = np.repeat(np.arange(journeys), lengths)
    starts = np.cumsum(lengths) - lengths
    index = np.arange(total) - np.repeat(starts, lengths) + 1
    channel = rng.choice(len(CHANNELS), size=total, p=SHARES / SHARES.sum())
    # P(convert) = 1 - prod(1 - lift) over the touches
    log_miss = np.add.reduceat(np.log1p(-LIFTS[channel]), starts)
    converts = rng.random(journeys) < 1 - np.exp(log_miss)
    end = START + (rng.random(journeys) * 365 * 86400).astype("timedelta64[s]")
    gaps = rng.exponential(3.0, size=total)  # days between consecutive touches
    # days before the path end: the gaps from each touch to its path's last touch
    rev = np.cumsum(gaps[::-1])[::-1]  # rev[i] = sum of gaps[i:]
    last_of_path = np.repeat(starts + lengths - 1, lengths)
    days_before = rev - rev[last_of_path]
    touched_at = np.repeat(end, lengths) - (days_before * 86400).astype("timedelta64[s]")
    names = np.array(CHANNELS)[channel]
    keys = np.where(converts, "conv_" + np.arange(journeys).astype(str), "")
    customers = "cus_" + np.arange(journeys).astype(str)
    path_key = np.where(converts, keys, "open:" + customers)
    touch_key = "t_" + journey.astype(str) + "_" + index.astype(str)
    conv_rep = np.repeat(converts, lengths)
    path_touches = pd.DataFrame(
        {
            "path_key": np.repeat(path_key, lengths),
            "customer_id": np.repeat(customers, lengths),
            "conversion_key": np.where(conv_rep, np.repeat(keys, lengths), None),
            "is_converting": conv_rep,
            "touchpoint_key": touch_key,
            "touched_at": touched_at,
            "channel": names,
            "is_direct": names == "direct",
            "has_cart_add": rng.random(total) < 0.2,
            "path_end_at": np.repeat(end, lengths),
            "touch_index": index.astype("int64"),
            "touch_count": np.repeat(lengths, lengths).astype("int64"),
            "days_before_path_end": days_before,
        }
    )
    campaign = np.where(np.isin(names, list(PAID)), names + "_" + (index % 3).astype(str), None)
    touchpoints = pd.DataFrame(
        {"touchpoint_key": touch_key, "touched_at": touched_at, "campaign_id": campaign}
    )
    revenue = np.round(rng.gamma(2.0, 40.0, size=int(converts.sum())), 2)
    conversions = pd.DataFrame(
        {
            "conversion_key": keys[converts],
            "customer_id": customers[converts],
            "source_system": "web_shop",
            "sales_channel": "web",
            "converted_at": end[converts],
            "currency": "EUR",
            "gross_revenue": revenue,
            "revenue": revenue,
            "conversion_number": np.ones(int(converts.sum()), dtype="int64"),
            "previous_converted_at": pd.NaT,
        }
    )
    days = pd.date_range("2024-12-01", "2025-12-31", freq="D")
    spend_rows = [
        (day.date(), ch, f"{ch}_{k}", "EUR", float(rng.gamma(2.0, 50.0)))
        for day in days
        for ch in sorted(PAID)
        for k in range(3)
    ]
    spend = pd.DataFrame(
        spend_rows, columns=["spend_date", "channel", "campaign_id", "currency", "spend_amount"]
    )
    spend["impressions"] = rng.integers(100, 10_000, size=len(spend))
    spend["clicks"] = rng.integers(1, 100, size=len(spend))
    return {
        "intermediate.int_journey_path_touches": path_touches,
        "intermediate.int_journey_conversions": conversions,
        "marts.fct_touchpoints": touchpoints,
        "staging.stg_ads__spend": spend,
    }


def write_inputs(warehouse: Path, tables: dict[str, pd.DataFrame]) -> None:
    con = duckdb.connect(str(warehouse))
    try:
        for name, frame in tables.items():
            con.execute(f"create schema if not exists {name.split('.')[0]}")
            con.register("frame", frame)
            con.execute(f"create or replace table {name} as select * from frame")
            con.unregister("frame")
    finally:
        con.close()


def _usage(pid: int) -> tuple[float, float]:
    """(RSS MiB, CPU seconds user + system so far) of a running process; (0, 0) once gone."""
    try:
        rss = 0.0
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime, stime
        return rss, ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0, 0.0


def run_sampled(
    cmd: list[str], env: dict[str, str]
) -> tuple[float, float, float, list[tuple[float, float, float]]]:
    """Run cmd; return wall seconds, CPU seconds (user + system), peak RSS MiB (wait4) and
    (epoch time, RSS MiB, CPU seconds so far) samples."""
    samples: list[tuple[float, float, float]] = []
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append((time.time(), *_usage(proc.pid)))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.stdout.write(output[-4000:])
        raise SystemExit("dbt run failed")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, samples


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--journeys", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = (args.workdir or Path(f"/tmp/attr_bench_{args.journeys}")).resolve()
    work.mkdir(parents=True, exist_ok=True)
    warehouse = work / "warehouse.duckdb"
    if warehouse.exists():
        warehouse.unlink()
    started = time.perf_counter()
    tables = synthesise(args.journeys, args.seed)
    write_inputs(warehouse, tables)
    paths = tables["intermediate.int_journey_path_touches"]
    print(
        f"{args.journeys:,} journeys, {len(paths):,} touches, "
        f"{len(tables['intermediate.int_journey_conversions']):,} conversions "
        f"(inputs written in {time.perf_counter() - started:.1f} s)"
    )
    env = os.environ | {"WAREHOUSE_PATH": str(warehouse), "DO_NOT_TRACK": "1"}
    dbt = [str(BIN / "dbt"), "--quiet"]
    common = ["--profiles-dir", str(PROJECT_DIR), "--target-path", str(work / "target")]
    common += ["--log-path", str(work / "logs")]
    run_stage("dbt parse", dbt + ["parse", *common], env)
    seconds, cpu, peak, samples = run_sampled(
        dbt + ["run", *common, "--threads", "1", "--select", *MODELS], env
    )
    results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    width = max(len(m) for m in MODELS)
    print(f"{'model'.ljust(width)}  model s  CPU s  peak MiB")
    for result in sorted(results, key=lambda r: r["timing"][0]["started_at"]):
        name = result["unique_id"].split(".")[-1]
        execute = next(t for t in result["timing"] if t["name"] == "execute")
        start, end = _epoch(execute["started_at"]), _epoch(execute["completed_at"])
        during = [(rss, used) for at, rss, used in samples if start <= at <= end] or [(0.0, 0.0)]
        peak_mib = max(rss for rss, _ in during)
        used = during[-1][1] - during[0][1]
        print(f"{name.ljust(width)}  {result['execution_time']:7.1f}  {used:5.1f}  {peak_mib:8.0f}")
    model_seconds = sum(r["execution_time"] for r in results)
    print(f"{'all models'.ljust(width)}  {model_seconds:7.1f}")
    print(
        f"dbt run wall {seconds:.1f} s (start-up and parse included), CPU {cpu:.1f} s"
        f" (user + system), peak RSS {peak:.0f} MiB"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (1 min)")


if __name__ == "__main__":
    main()
