"""Every model builds on Spark and resolves the same customers as on DuckDB.

One small generated data set is loaded once (the DuckDB loader validates and
quarantines for both targets), built with `dbt build` on DuckDB, published to a local
Spark metastore (`python -m orchestration spark-publish`) and built again with
`dbt build --target spark`: every model, data test and unit test. Then the identity
map must give every record the same customer id on both engines, and every model the
same row count.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.contract import PROJECT_DIR
from orchestration.generator import generate

PERSONS = 300
DBT = str(Path(sys.executable).parent / "dbt")


def _run(cmd: list[str], env: dict[str, str]) -> None:
    proc = subprocess.run(cmd, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-40:])
        raise AssertionError(f"{' '.join(cmd[:3])} failed:\n{tail}")


def _dbt_build(work: Path, target: str, env: dict[str, str]) -> dict:
    out = work / f"target_{target}"
    _run(
        [DBT, "build", "--target", target, "--profiles-dir", str(PROJECT_DIR)]
        + ["--target-path", str(out), "--log-path", str(work / "logs")],
        env,
    )
    return json.loads((out / "run_results.json").read_text())


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("spark")
    env = os.environ | {
        "RAW_DATA_DIR": str(work / "raw"),
        "WAREHOUSE_PATH": str(work / "warehouse.duckdb"),
        "SPARK_DATA_DIR": str(work / "spark"),
        "DO_NOT_TRACK": "1",
        "GX_ANALYTICS_ENABLED": "false",
    }
    generate(work / "raw", persons=PERSONS, seed=11)
    _run([sys.executable, "-m", "orchestration", "load"], env)
    duck = _dbt_build(work, "duckdb", env)
    _run([sys.executable, "-m", "orchestration", "spark-publish"], env)
    spark = _dbt_build(work, "spark", env)
    return {"work": work, "env": env, "duckdb": duck, "spark": spark}


def _spark_rows(env: dict[str, str], sql: str) -> list[tuple]:
    """Run one query in a fresh Spark process on the published metastore."""
    code = (
        "import json, sys\n"
        "from orchestration.loader.spark_publish import SparkPaths, spark_session\n"
        "spark = spark_session(SparkPaths.from_env())\n"
        "rows = [list(r) for r in spark.sql(sys.argv[1]).collect()]\n"
        "print('ROWS=' + json.dumps(rows, default=str))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, sql],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in proc.stdout.splitlines() if x.startswith("ROWS="))
    return [tuple(r) for r in json.loads(line.removeprefix("ROWS="))]


def test_every_node_passes_on_spark(both):
    spark_nodes = {r["unique_id"]: r["status"] for r in both["spark"]["results"]}
    duck_nodes = {r["unique_id"]: r["status"] for r in both["duckdb"]["results"]}
    assert set(spark_nodes) == set(duck_nodes)
    not_passed = {k: v for k, v in spark_nodes.items() if v not in ("success", "pass")}
    assert not_passed == {}


def test_same_customer_for_every_record_on_both_engines(both):
    query = "select record_key, customer_id from marts.dim_customer_identity_map"
    with duckdb.connect(both["env"]["WAREHOUSE_PATH"], read_only=True) as conn:
        on_duckdb = dict(conn.execute(query).fetchall())
    on_spark = dict(_spark_rows(both["env"], query))
    assert len(on_duckdb) > 1000
    assert on_spark == on_duckdb


def test_same_row_counts_in_every_model(both):
    models = [
        r["unique_id"].split(".")[-1]
        for r in both["duckdb"]["results"]
        if r["unique_id"].startswith("model.")
    ]
    with duckdb.connect(both["env"]["WAREHOUSE_PATH"], read_only=True) as conn:
        relations = dict(
            conn.execute(
                "select table_name, table_schema || '.' || table_name from "
                "information_schema.tables where table_schema in "
                "('staging', 'intermediate', 'marts')"
            ).fetchall()
        )
        on_duckdb = {
            m: conn.execute(f"select count(*) from {relations[m]}").fetchone()[0] for m in models
        }
    union = " union all ".join(f"select '{m}', count(*) from {relations[m]}" for m in models)
    on_spark = dict(_spark_rows(both["env"], union))
    assert on_spark == on_duckdb


def test_pseudonymize_on_spark_equals_the_python_reference(both):
    from orchestration.privacy import pseudonym

    key = "spark-test-key-8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f"
    value = "mia.smith@example.com"
    sql = "select {{ pseudonymize(\"'" + value + "'\") }} as p, {{ pseudonymize('null') }} as n"
    work = both["work"]
    proc = subprocess.run(
        [DBT, "show", "--target", "spark", "--inline", sql, "--output", "json"]
        + ["--profiles-dir", str(PROJECT_DIR), "--target-path", str(work / "target_show")]
        + ["--log-path", str(work / "logs_show")],
        cwd=PROJECT_DIR,
        env=both["env"] | {"CDP_PSEUDONYM_KEY": key},
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    start = proc.stdout.index('{\n  "show"')
    shown, _ = json.JSONDecoder().raw_decode(proc.stdout[start:])
    assert shown["show"] == [{"p": pseudonym(value, key.encode()), "n": None}]
    for path in (work / "target_show").rglob("*"):
        assert not path.is_file() or key.encode() not in path.read_bytes(), path


def test_pseudonymize_on_spark_without_a_key_fails(both):
    """reflect() returns an unset variable as the text 'null': it must not become the key."""
    sql = "select {{ pseudonymize(\"'mia.smith@example.com'\") }} as p"
    env = {k: v for k, v in both["env"].items() if not k.startswith("CDP_PSEUDONYM")}
    proc = subprocess.run(
        [DBT, "show", "--target", "spark", "--inline", sql, "--output", "json"]
        + ["--profiles-dir", str(PROJECT_DIR), "--target-path", str(both["work"] / "target_nokey")]
        + ["--log-path", str(both["work"] / "logs_nokey")],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0
    assert "CDP_PSEUDONYM_KEY is not set" in proc.stdout + proc.stderr
