"""Every model builds on Spark and resolves the same customers as on DuckDB.

The DuckDB side is the warehouse the first run of the session fixture `built`
(tests/conftest.py) published with the real Dagster job. Its raw layer is published to
a local Spark metastore (`python -m orchestration spark-publish`) and the project built
again with `dbt build --target spark`: every model, seed, unit test and data test but
dbt's built-in generic ones (not_null, unique, accepted_values, relationships), which the
parity queries evaluate in a few scans of each engine instead
(tests/support/builtin_checks.py). That build runs in the background from the end of the
first run (tests/support/spark_build.py). Then the
identity map must give every record the same customer id on both engines, every model
and every relation a test reads the same row count, every column the same number of
nulls, and every mart the same set of primary keys (a checksum per mart)
(tests/support/spark_parity.py). The identifier links Spark pseudonymised must equal the
Python reference, and the mart's SQL must fail in a Spark session without the key.
"""

from __future__ import annotations

import hashlib
import os

import duckdb
import pytest

from tests.support import builtin_checks, spark_parity

# resource types whose nodes `dbt build` builds or tests
BUILT_RESOURCES = ("model", "seed", "test", "snapshot", "unit_test")


@pytest.fixture(scope="module")
def both(built) -> dict:
    """The Spark build `built` started in the background after its first run
    (tests/support/spark_build.py): its run results, manifest and parity rows."""
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


def _duckdb_columns(conn: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """schema.table -> its columns in order, for every relation dbt built."""
    columns: dict[str, list[str]] = {}
    for relation, column in conn.execute(
        "select table_schema || '.' || table_name, column_name from information_schema.columns "
        f"where table_schema in {spark_parity.BUILT_SCHEMAS} "
        "order by table_schema, table_name, ordinal_position"
    ).fetchall():
        columns.setdefault(relation, []).append(column)
    return columns


def _scans(rows: list[tuple], columns: dict[str, list[str]]) -> dict[str, dict]:
    """schema.table -> its row count, {column: non-null values} and built-in failures."""
    return {
        relation: {
            "rows": int(count),
            "non_null": dict(zip(columns.get(relation, []), non_null.split("|"), strict=True))
            if non_null
            else {},
            "failures": failures,
        }
        for relation, count, non_null, failures in rows
    }


@pytest.fixture(scope="module")
def parity(built, both) -> dict[str, dict]:
    """The parity queries' rows on each engine: {'duckdb': {...}, 'spark': {...}}, with
    `scans` the relation scans by relation; Spark's also hold its Spark-only queries."""
    assert built["first_published"] is not None, "the fixture's first run published nothing"
    with duckdb.connect(str(built["first_published"]), read_only=True) as conn:
        columns = _duckdb_columns(conn)
        named = spark_parity.queries(both["manifest"], columns)
        on_duckdb = {k: [tuple(r) for r in conn.execute(q).fetchall()] for k, q in named.items()}
    on_spark = {
        k: v if isinstance(v, str) else [tuple(r) for r in v]
        for k, v in both["parity"]["rows"].items()
    }
    for query in named:
        assert not isinstance(on_spark[query], str), f"{query} failed on Spark: {on_spark[query]}"
    on_duckdb["scans"] = _scans(on_duckdb["relation_scans"], columns)
    on_spark["scans"] = _scans(on_spark["relation_scans"], both["parity"]["columns"])
    return {"duckdb": on_duckdb, "spark": on_spark}


def test_every_node_passes_on_spark(both):
    spark_nodes = {r["unique_id"]: r["status"] for r in both["spark"]["results"]}
    built_nodes = {uid for uid in spark_nodes if uid.split(".")[0] in BUILT_RESOURCES}
    assert built_nodes == _buildable(both["manifest"])  # (exposures, saved queries also run)
    statuses = {k: spark_nodes[k] for k in built_nodes}
    assert {k: v for k, v in statuses.items() if v not in ("success", "pass")} == {}


def _builtin_failures(manifest: dict, rows: dict) -> dict[str, int]:
    per_relation = [(rel, scan["failures"]) for rel, scan in rows["scans"].items()]
    return builtin_checks.failures(
        builtin_checks.builtin_tests(manifest),
        [(rel, joined) for rel, joined in per_relation if joined],
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


def test_same_btyd_parameters_on_both_engines(parity):
    """The CLV and churn marts score with the parameters the Dagster asset fitted, on
    Spark too (spark-publish publishes the asset's table with the raw layer)."""
    on_duckdb = parity["duckdb"]["btyd_parameters"]
    assert [row[0] for row in on_duckdb] == ["ml.customer_btyd_parameters"]
    assert parity["spark"]["btyd_parameters"] == on_duckdb


def test_same_row_counts_in_every_model(both, parity):
    on_duckdb = {rel: scan["rows"] for rel, scan in parity["duckdb"]["scans"].items()}
    assert set(spark_parity.models(both["manifest"]).values()) <= set(on_duckdb)
    assert {rel: scan["rows"] for rel, scan in parity["spark"]["scans"].items()} == on_duckdb


def test_same_nulls_in_every_column_of_every_model(both, parity):
    on_duckdb = {rel: scan["non_null"] for rel, scan in parity["duckdb"]["scans"].items()}
    on_spark = {rel: scan["non_null"] for rel, scan in parity["spark"]["scans"].items()}
    models = spark_parity.models(both["manifest"]).values()
    assert all(on_duckdb[rel] for rel in models), "every model's columns are counted"
    assert {r: c for r, c in on_spark.items() if c != on_duckdb.get(r)} == {}


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
    keys = spark_parity.primary_keys(both["manifest"])
    assert [m for m in spark_parity.models(both["manifest"], "marts") if m not in keys] == []


def test_same_primary_keys_in_every_mart(both, parity):
    on_duckdb = _key_checksums(parity["duckdb"]["mart_keys"])
    on_spark = _key_checksums(parity["spark"]["mart_keys"])
    marts = spark_parity.models(both["manifest"], "marts")
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
    files.append(both["work"] / "parity.json")
    assert any(p.name == "manifest.json" for p in files)
    assert [p for p in files if p.is_file() and key in p.read_bytes()] == []


def test_pseudonymize_on_spark_without_a_key_fails(parity):
    """reflect() returns an unset variable as the text 'null': it must not become the key.
    The mart's own compiled SQL, run by a session without the key, raises the error."""
    assert isinstance(parity["spark"]["links_without_key"], str)
    assert "CDP_PSEUDONYM_KEY is not set" in parity["spark"]["links_without_key"]
