"""Every model builds on Spark and resolves the same customers as on DuckDB.

The DuckDB side is the warehouse the first run of the session fixture `built`
(tests/conftest.py) published with the real Dagster job. Its raw layer is published to
a local Spark metastore (`python -m orchestration spark-publish`) and the project built
again with `dbt build --target spark`: every model, seed, unit test and data test but
dbt's built-in generic ones (not_null, unique, accepted_values, relationships), which
are evaluated here in a few scans of each engine instead
(tests/support/builtin_checks.py). That build starts in the background as soon as that
warehouse is published and runs beside the fixture's second run and the other test
modules (tests/support/spark_build.py). Then the identity map must give every record
the same customer id on both engines, every model the same row count and the same
number of nulls in each column, and every mart the same set of primary keys (a checksum
per mart). The identifier links Spark pseudonymised must equal the Python reference,
and the mart's SQL must fail in a Spark session without the key.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import duckdb
import pytest

from orchestration.contract import PROJECT_DIR
from tests.support import builtin_checks

# resource types whose nodes `dbt build` builds or tests
BUILT_RESOURCES = ("model", "seed", "test", "snapshot", "unit_test")


@pytest.fixture(scope="module")
def both(built) -> dict:
    """The Spark build `built` started in the background when the session collected this
    module (tests/support/spark_build.py)."""
    assert built["spark"] is not None, "the fixture's first run published no warehouse"
    return built["spark"].wait()


def _buildable(manifest: dict) -> set[str]:
    """Every node `dbt build` runs: models (not ephemeral), seeds, data and unit tests;
    less the built-in generic tests, which the Spark build leaves to `builtin_checks`."""
    nodes = {
        uid
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in ("model", "seed", "test", "snapshot")
        and node["config"].get("materialized") != "ephemeral"
    }
    builtin = {t.unique_id for t in builtin_checks.builtin_tests(manifest)}
    return (nodes - builtin) | set(manifest.get("unit_tests", {}))


def _models(manifest: dict, layer: str | None = None) -> list[str]:
    return sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["config"].get("materialized") != "ephemeral"
        and (layer is None or node["fqn"][1] == layer)
    )


def _primary_keys(manifest: dict) -> dict[str, list[str]]:
    """Model name -> its key columns, from its `unique` or `unique_combination_of_columns`
    data test."""
    keys: dict[str, list[str]] = {}
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        model = (node.get("attached_node") or "").split(".")[-1]
        if meta.get("name") == "unique" and node.get("column_name"):
            keys.setdefault(model, [node["column_name"]])
        elif meta.get("name") == "unique_combination_of_columns":
            keys[model] = list(meta["kwargs"]["combination_of_columns"])
    return keys


def _spark_rows(env: dict[str, str], queries: dict[str, str]) -> dict[str, list[tuple] | str]:
    """Run named queries in one fresh Spark process on the published metastore (a Spark
    start costs ~20 s, so the Spark checks share one): each query's rows, or the text of
    the error it raised. The process runs without the pseudonym key, as a reader would."""
    code = (
        "import json, sys\n"
        "from orchestration.loader.spark_publish import SparkPaths, spark_session\n"
        "spark = spark_session(SparkPaths.from_env())\n"
        "out = {}\n"
        "for name, query in json.loads(sys.stdin.read()).items():\n"
        "    try:\n"
        "        out[name] = [list(r) for r in spark.sql(query).collect()]\n"
        "    except Exception as exc:\n"
        "        out[name] = str(exc)\n"
        "print('ROWS=' + json.dumps(out, default=str))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env={k: v for k, v in env.items() if not k.startswith("CDP_PSEUDONYM")},
        input=json.dumps(queries),
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in proc.stdout.splitlines() if x.startswith("ROWS="))
    return {
        k: v if isinstance(v, str) else [tuple(r) for r in v]
        for k, v in json.loads(line.removeprefix("ROWS=")).items()
    }


def _relations(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(
        conn.execute(
            "select table_name, table_schema || '.' || table_name from "
            "information_schema.tables where table_schema in "
            "('staging', 'intermediate', 'marts', 'raw_history')"
        ).fetchall()
    )


IDENTITY_MAP_SQL = "select record_key, customer_id from marts.dim_customer_identity_map"


def _row_counts_sql(manifest: dict, relations: dict[str, str]) -> str:
    return " union all ".join(
        f"select '{m}', count(*) from {relations[m]}" for m in _models(manifest)
    )


def _mart_keys_sql(manifest: dict, relations: dict[str, str]) -> str:
    """(mart, its key values joined by '|') for every row of every mart."""
    keys = _primary_keys(manifest)
    return " union all ".join(
        f"select '{m}', concat_ws('|', "
        + ", ".join(f"coalesce(cast({c} as string), '~')" for c in keys[m])
        + f") from {relations[m]}"
        for m in _models(manifest, "marts")
    )


def _null_counts_sql(
    conn: duckdb.DuckDBPyConnection, models: list[str], relations: dict[str, str]
) -> str:
    """(model, the non-null values of each of its columns joined by '|') for every
    model: Spark must agree with DuckDB on every column, not only on the keys."""
    columns: dict[str, list[str]] = {}
    for table, column in conn.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema in ('staging', 'intermediate', 'marts', 'raw_history') "
        "order by table_name, ordinal_position"
    ).fetchall():
        columns.setdefault(table, []).append(column)
    return " union all ".join(
        f"select '{m}', concat_ws('|', "
        + ", ".join(f"cast(count({c}) as string)" for c in columns[m])
        + f") from {relations[m]}"
        for m in models
    )


# identifier links before and after pseudonymisation, as the Spark build wrote them
IDENTIFIER_LINKS_SQL = {
    "links_plain": "select record_key, link_rule, link_node from {int_identity_links_unioned} "
    "where link_kind = 'identifier'",
    "links_keyed": "select record_key, link_rule, link_node from {fct_identity_links} "
    "where link_kind = 'identifier'",
}


@pytest.fixture(scope="module")
def parity(both) -> dict[str, dict[str, list[tuple] | str]]:
    """The parity queries' rows on each engine: {'duckdb': {...}, 'spark': {...}}; the
    Spark side also reads the identifier links and runs the compiled
    fct_identity_links select, which must fail in a session without the key."""
    builtin = builtin_checks.builtin_tests(both["manifest"])
    with duckdb.connect(both["env"]["WAREHOUSE_PATH"], read_only=True) as conn:
        relations = _relations(conn)
        queries = {
            "identity_map": IDENTITY_MAP_SQL,
            "row_counts": _row_counts_sql(both["manifest"], relations),
            "mart_keys": _mart_keys_sql(both["manifest"], relations),
            "null_counts": _null_counts_sql(conn, _models(both["manifest"]), relations),
            "builtin_per_relation": builtin_checks.per_relation_sql(builtin),
            "builtin_relationships": builtin_checks.relationships_sql(builtin),
        }
        on_duckdb = {k: conn.execute(q).fetchall() for k, q in queries.items()}
    spark_only = {k: q.format(**relations) for k, q in IDENTIFIER_LINKS_SQL.items()}
    mart = both["manifest"]["nodes"]["model.omnichannel_cdp.fct_identity_links"]
    spark_only["links_without_key"] = mart["compiled_code"]
    return {"duckdb": on_duckdb, "spark": _spark_rows(both["env"], queries | spark_only)}


def test_every_node_passes_on_spark(both):
    spark_nodes = {r["unique_id"]: r["status"] for r in both["spark"]["results"]}
    built_nodes = {uid for uid in spark_nodes if uid.split(".")[0] in BUILT_RESOURCES}
    assert built_nodes == _buildable(both["manifest"])  # (exposures, saved queries also run)
    statuses = {k: spark_nodes[k] for k in built_nodes}
    assert {k: v for k, v in statuses.items() if v not in ("success", "pass")} == {}


def _builtin_failures(manifest: dict, rows: dict[str, list[tuple] | str]) -> dict[str, int]:
    for query in ("builtin_per_relation", "builtin_relationships"):
        assert not isinstance(rows[query], str), f"{query} failed: {rows[query]}"
    return builtin_checks.failures(
        builtin_checks.builtin_tests(manifest),
        rows["builtin_per_relation"],
        rows["builtin_relationships"],
    )


def test_dbt_builtin_tests_pass_on_spark(both, parity):
    """Every not_null, unique, accepted_values and relationships test the Spark build left
    out is evaluated on Spark's tables, and none fails; on DuckDB, where dbt ran them
    itself in the Dagster job, the same evaluation finds none failing either."""
    on_spark = _builtin_failures(both["manifest"], parity["spark"])
    on_duckdb = _builtin_failures(both["manifest"], parity["duckdb"])
    builtin = {t.unique_id for t in builtin_checks.builtin_tests(both["manifest"])}
    assert len(builtin) > 500
    assert set(on_spark) == set(on_duckdb) == builtin
    assert {uid: n for uid, n in on_spark.items() if n} == {}
    assert {uid: n for uid, n in on_duckdb.items() if n} == {}


def test_same_customer_for_every_record_on_both_engines(parity):
    on_duckdb = dict(parity["duckdb"]["identity_map"])
    assert len(on_duckdb) > 1000
    assert dict(parity["spark"]["identity_map"]) == on_duckdb


def test_same_row_counts_in_every_model(parity):
    assert dict(parity["spark"]["row_counts"]) == dict(parity["duckdb"]["row_counts"])


def test_same_nulls_in_every_column_of_every_model(parity):
    on_duckdb = dict(parity["duckdb"]["null_counts"])
    assert len(on_duckdb) == len(parity["duckdb"]["row_counts"])
    on_spark = dict(parity["spark"]["null_counts"])
    assert {m: p for m, p in on_spark.items() if p != on_duckdb.get(m)} == {}


def _key_checksums(rows: list[tuple]) -> dict[str, str]:
    """Mart -> sha256 over its sorted key strings (order-free, engine-free)."""
    per_mart: dict[str, list[str]] = {}
    for mart, key in rows:
        per_mart.setdefault(mart, []).append(key)
    return {
        mart: hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()
        for mart, keys in per_mart.items()
    }


def test_every_mart_declares_its_primary_key(both):
    keys = _primary_keys(both["manifest"])
    assert [m for m in _models(both["manifest"], "marts") if m not in keys] == []


def test_same_primary_keys_in_every_mart(both, parity):
    on_duckdb = _key_checksums(parity["duckdb"]["mart_keys"])
    on_spark = _key_checksums(parity["spark"]["mart_keys"])
    marts = _models(both["manifest"], "marts")
    assert len(on_duckdb) > len(marts) // 2, "most marts hold rows at this size"
    different = sorted(m for m in {*on_duckdb, *on_spark} if on_spark.get(m) != on_duckdb.get(m))
    assert different == []


def test_spark_keys_identifier_links_as_the_python_reference(parity):
    """Every identifier node of fct_identity_links built on Spark is 'id:<type>:' and the
    HMAC of the value under the build's key, computed here in Python."""
    from orchestration.privacy import pseudonym

    key = os.environ["CDP_PSEUDONYM_KEY"].encode()  # the key the Spark build ran with
    plain = parity["spark"]["links_plain"]
    assert len(plain) > 1000
    expected = sorted(
        (record, rule, f"id:{rule}:" + pseudonym(node[len(f"id:{rule}:") :], key))
        for record, rule, node in plain
    )
    assert sorted(parity["spark"]["links_keyed"]) == expected


def test_the_key_leaves_no_trace_in_the_spark_build_files(both):
    key = os.environ["CDP_PSEUDONYM_KEY"].encode()
    files = [p for d in ("target_spark", "logs") for p in (both["work"] / d).rglob("*")]
    assert any(p.name == "manifest.json" for p in files)
    assert [p for p in files if p.is_file() and key in p.read_bytes()] == []


def test_pseudonymize_on_spark_without_a_key_fails(parity):
    """reflect() returns an unset variable as the text 'null': it must not become the key.
    The mart's own compiled SQL, run by a session without the key, raises the error."""
    assert isinstance(parity["spark"]["links_without_key"], str)
    assert "CDP_PSEUDONYM_KEY is not set" in parity["spark"]["links_without_key"]
