"""Measure identity resolution: the warehouse's dbt models vs Splink alone, on ground truth.

    .venv/bin/python benchmarks/identity_benchmark.py --persons 20000
    .venv/bin/python benchmarks/identity_benchmark.py --persons 2000 --workdir /tmp/idbench
    .venv/bin/python benchmarks/identity_benchmark.py --workdir /tmp/idbench --skip-build

Without --skip-build: when the workdir holds no warehouse yet, generate (unless raw/
exists), load, and `dbt build` everything except the identity models; then time the
identity stage alone (the identity intermediate models and marts), in its own
process (wall time and peak RSS from wait4, like build_at_scale.py). With --skip-build
the warehouse under --workdir is evaluated as it is.

Then Splink alone runs in its own process on the same records table (so its peak memory
is its own), and both predictions are scored against <workdir>/ground_truth with
orchestration.identity.evaluation. The dbt artefacts go to <workdir>/dbt_target.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd

# benchmarks/ is not a package: run as a script, its folder is on sys.path.
from build_at_scale import BIN, PROJECT_DIR, run_stage

# The evaluation runs in this process: make the project importable without an install.
sys.path.insert(0, str(PROJECT_DIR))

from orchestration.identity.evaluation import (  # noqa: E402
    DEFAULT_PREDICTION_TABLE,
    BCubed,
    MissingTableError,
    Scores,
    evaluate,
    format_rows,
    load_prediction,
    load_truth,
    report,
    require_table,
    wrong_links,
)
from orchestration.identity.evaluation_sql import score_in_duckdb  # noqa: E402
from orchestration.identity.linkable import linkable_truth  # noqa: E402
from orchestration.identity.splink_baseline import (  # noqa: E402
    DEFAULT_RECORDS_TABLE,
    BaselineConfig,
)
from orchestration.identity.survival import id_survival  # noqa: E402

# the identity models alone (marts built on the customer ids are not the identity stage)
IDENTITY_SELECTOR = "path:models/intermediate/identity path:models/marts/identity"
# the base build: everything that does not need the customer ids
DOWNSTREAM_OF_IDENTITY = "path:models/intermediate/identity+"
SURVIVAL_SNAPSHOT = "identity_map_as_of.parquet"
LINKS_TABLE = "intermediate.int_identity_links_unioned"
Stage = tuple[str, float, float]


def _dbt(command: str, work: Path, *selection: str) -> list[str]:
    return [
        str(BIN / "dbt"),
        command,
        *selection,
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(work / "dbt_target"),
        "--log-path",
        str(work / "dbt_logs"),
        "--quiet",
    ]


def build(args: argparse.Namespace, work: Path, env: dict[str, str]) -> list[Stage]:
    """Base warehouse if missing, then the identity stage alone (always timed)."""
    py = str(BIN / "python")
    raw = work / "raw"
    stages: list[Stage] = []
    if not (work / "warehouse.duckdb").exists():
        if not raw.exists():
            generate = [py, "-m", "orchestration.generator", "--persons", str(args.persons)]
            generate += ["--seed", str(args.seed), "--out", str(raw)]
            stages.append(run_stage("generate", generate, env))
        stages.append(run_stage("load", [py, "-m", "orchestration", "load"], env))
        base = _dbt("build", work, "--exclude", DOWNSTREAM_OF_IDENTITY)
        stages.append(run_stage("dbt build (no identity)", base, env))
    if args.survival_days > 0:
        before = survival_before(args, work, env)
        before.to_frame("customer_id").to_parquet(work / SURVIVAL_SNAPSHOT)
    identity = _dbt("run", work, "--select", IDENTITY_SELECTOR)
    stages.append(run_stage("identity models", identity, env))
    return stages


def survival_before(args: argparse.Namespace, work: Path, env: dict[str, str]) -> pd.Series:
    """Resolve identities as they were --survival-days before the newest record."""
    records = _dbt(
        "run",
        work,
        "--select",
        "int_identity_events_collected int_identity_records_unioned int_identity_records_expanded",
    )
    run_stage("identity records", records, env)
    newest = read_sql(
        work / "warehouse.duckdb", f"select max(observed_at) from {args.records_table}"
    )
    cutoff = (pd.Timestamp(newest.iat[0, 0]) - pd.Timedelta(days=args.survival_days)).isoformat(
        sep=" "
    )
    as_of = _dbt("run", work, "--select", IDENTITY_SELECTOR)
    as_of += ["--vars", json.dumps({"identity_as_of": cutoff})]
    run_stage(f"identity as of {cutoff}", as_of, env)
    print(f"identity resolved as of {cutoff} ({args.survival_days} days before the newest record)")
    return load_prediction(work / "warehouse.duckdb", args.prediction_table)


def check_tables(warehouse: Path, tables: list[str]) -> None:
    if not warehouse.exists():
        raise SystemExit(f"no warehouse at {warehouse}: run without --skip-build first")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for table in tables:
            require_table(con, table)
    except MissingTableError as err:
        raise SystemExit(
            f"{err}.\nThe identity models have not been built into {warehouse} yet "
            f"(run without --skip-build, or `dbt run --select {IDENTITY_SELECTOR}`)."
        ) from err
    finally:
        con.close()


def run_splink(args: argparse.Namespace, work: Path, env: dict[str, str]) -> tuple[Stage, dict]:
    out, stats = work / "splink_clusters.parquet", work / "splink_stats.json"
    cmd = [str(BIN / "python"), "-m", "orchestration.identity.splink_baseline"]
    cmd += ["--warehouse", str(work / "warehouse.duckdb"), "--table", args.records_table]
    cmd += ["--out", str(out), "--stats", str(stats), "--threshold", str(args.threshold)]
    cmd += ["--u-max-pairs", str(args.u_max_pairs)]
    stage = run_stage("splink alone", cmd, env)
    return stage, json.loads(stats.read_text())


def read_sql(warehouse: Path, sql: str) -> pd.DataFrame:
    """One query through a read-only connection (the warehouse file is not locked after)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def read_clusters(path: Path) -> pd.Series:
    df = pd.read_parquet(path)
    return pd.Series(
        df["cluster"].to_numpy(dtype=object), index=df["record_key"].to_numpy(dtype=object)
    )


def print_stages(stages: list[Stage]) -> None:
    print(f"{'stage':<24} {'wall s':>9} {'peak MiB':>10}")
    for name, seconds, mib in stages:
        print(f"{name:<24} {seconds:>9.1f} {mib:>10.0f}")


def print_sql_metrics(work: Path, stages: list[Stage], pairwise: Scores, bcubed: BCubed) -> None:
    print(f"\nworkdir: {work}   cores: {os.cpu_count()}   (scored in DuckDB)")
    if stages:
        print_stages(stages)
    rows = [
        ("metric", "warehouse"),
        ("pairwise precision", f"{pairwise.precision:.4f}"),
        ("pairwise recall (whole truth)", f"{pairwise.recall:.4f}"),
        ("pairwise F1 (whole truth)", f"{pairwise.f1:.4f}"),
        (
            "true / predicted / correct pairs",
            f"{pairwise.true_pairs:,} / {pairwise.predicted_pairs:,} / {pairwise.correct_pairs:,}",
        ),
        ("B-cubed precision", f"{bcubed.precision:.4f}"),
        ("B-cubed recall (whole truth)", f"{bcubed.recall:.4f}"),
        ("B-cubed F1 (whole truth)", f"{bcubed.f1:.4f}"),
    ]
    print(format_rows(rows))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--records-table", default=DEFAULT_RECORDS_TABLE)
    parser.add_argument("--prediction-table", default=DEFAULT_PREDICTION_TABLE)
    parser.add_argument("--threshold", type=float, default=BaselineConfig.threshold)
    parser.add_argument(
        "--survival-days",
        type=int,
        default=30,
        help="also resolve as of N days before the newest record and report how many "
        "customer ids survive the last N days of data (0: skip)",
    )
    parser.add_argument(
        "--no-splink", action="store_true", help="score the warehouse only (no Splink baseline)"
    )
    parser.add_argument("--u-max-pairs", type=float, default=BaselineConfig.u_max_pairs)
    parser.add_argument(
        "--sql-metrics",
        action="store_true",
        help="score pairwise and B-cubed in DuckDB only (no per-hazard, linkable-truth or "
        "Splink figures): for sizes whose pandas evaluation does not fit in memory (1M)",
    )
    args = parser.parse_args()
    work = (args.workdir or Path(f"/tmp/cdp_identity_{args.persons}")).resolve()
    warehouse = work / "warehouse.duckdb"
    env = os.environ | {
        "RAW_DATA_DIR": str(work / "raw"),
        "WAREHOUSE_PATH": str(warehouse),
        "DO_NOT_TRACK": "1",
        "GX_ANALYTICS_ENABLED": "false",
    }
    if not args.skip_build:
        work.mkdir(parents=True, exist_ok=True)
    stages = [] if args.skip_build else build(args, work, env)
    check_tables(
        warehouse, [args.prediction_table, *([] if args.sql_metrics else [args.records_table])]
    )
    truth_dir = work / "ground_truth"
    if not (truth_dir / "record_persons.csv").exists():
        raise SystemExit(f"no ground truth under {truth_dir}: generate the data with this tool")
    if args.sql_metrics:
        print_sql_metrics(
            work, stages, *score_in_duckdb(warehouse, truth_dir, args.prediction_table)
        )
        return

    splink_stage, splink_stats = (None, {}) if args.no_splink else run_splink(args, work, env)
    truth = load_truth(truth_dir)
    truth = replace(
        truth, linkable=linkable_truth(str(warehouse), truth.record_person, args.records_table)
    )
    prediction = load_prediction(warehouse, args.prediction_table)
    evaluations = {"warehouse": evaluate(prediction, truth)}
    if splink_stage is not None:
        splink_clusters = read_clusters(work / "splink_clusters.parquet")
        evaluations["splink alone"] = evaluate(splink_clusters, truth)
    snapshot = work / SURVIVAL_SNAPSHOT
    survival = None
    if snapshot.exists() and not args.skip_build and args.survival_days > 0:
        survival = id_survival(pd.read_parquet(snapshot)["customer_id"], prediction)
    identity = next((s for s in stages if s[0] == "identity models"), None)
    links = wrong_links(
        read_sql(warehouse, f"select record_key, link_node from {LINKS_TABLE}"), truth
    )
    extra = [
        (
            "links joining two persons",
            {"warehouse": f"{links.wrong:,} of {links.links:,}"},
        ),
        ("  of which touch a junk record", {"warehouse": f"{links.wrong_touching_junk:,}"}),
        (
            "wall s (own process)",
            {"warehouse": f"{identity[1]:.1f}" if identity else "-"}
            | ({"splink alone": f"{splink_stage[1]:.1f}"} if splink_stage else {}),
        ),
        (
            "peak MiB (own process)",
            {"warehouse": f"{identity[2]:.0f}" if identity else "-"}
            | ({"splink alone": f"{splink_stage[2]:.0f}"} if splink_stage else {}),
        ),
    ]
    if splink_stage is not None:
        extra += [
            ("splink: train+predict+cluster s", {"splink alone": f"{splink_stats['seconds']:.1f}"}),
            ("splink: scored pairs", {"splink alone": f"{splink_stats['scored_pairs']:,}"}),
            ("splink: pairs >= threshold", {"splink alone": f"{splink_stats['matched_pairs']:,}"}),
        ]
    persons = len(truth.persons)
    print(f"\nscale: {persons:,} persons   workdir: {work}   cores: {os.cpu_count()}")
    if stages:
        print_stages([*stages, *([splink_stage] if splink_stage else [])])
    print()
    print(format_rows(report(evaluations, extra)))
    if survival is not None:
        print(f"\nstable ids across the last {args.survival_days} days of data (warehouse):")
        print(format_rows([("metric", "value"), *survival.rows()]))


if __name__ == "__main__":
    main()
