"""The parity queries tests/test_spark_target.py compares between DuckDB and Spark.

Both engines answer the same SQL, generated from the Spark build's manifest:

- `identity_map`: the customer id of every record;
- `btyd_parameters`: the CLV model's parameters and where they came from;
- `relation_scans`: one aggregate per relation (every model, and every seed or source a
  built-in test reads): its row count, the non-null count of each of its columns, and
  the failing rows of each of its `not_null`, `unique` and `accepted_values` tests
  (tests/support/builtin_checks.py), all in one scan (on Spark a scan of a staging view
  re-evaluates the view, so each relation is read once);
- `mart_keys`: the primary-key values of every row of every mart;
- `builtin_relationships`: the orphans of every `relationships` test.

Each engine lists the columns of its own relations, so a column one engine lacks shows as
a difference. On Spark the queries run at the end of the background build
(tests/support/spark_build.py), in a process without the pseudonym key, as a reader
would; there it also reads the identifier links before and after pseudonymisation and
runs fct_identity_links' compiled select, which must fail without the key:

    python -m tests.support.spark_parity <dbt target dir> <output json>
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.support import builtin_checks

# the schemas of the relations dbt builds (profiles.yml, generate_schema_name)
BUILT_SCHEMAS = ("staging", "intermediate", "marts", "raw_history")
IDENTITY_MAP_SQL = "select record_key, customer_id from marts.dim_customer_identity_map"
# the BTYD parameters the CLV and churn marts used: the fitted ones (a Python asset's
# table spark-publish also publishes), not the seed fallback, on both engines
BTYD_PARAMETERS_SQL = (
    "select parameter_source, r, alpha, a, b, p, q, v "
    "from intermediate.int_customer_btyd_parameters"
)
# identifier links before and after pseudonymisation, as the Spark build wrote them
IDENTIFIER_LINKS_SQL = {
    "links_plain": "select record_key, link_rule, link_node from "
    "intermediate.int_identity_links_unioned where link_kind = 'identifier'",
    "links_keyed": "select record_key, link_rule, link_node from "
    "marts.fct_identity_links where link_kind = 'identifier'",
}


def models(manifest: dict, layer: str | None = None) -> dict[str, str]:
    """Model name -> schema.table of every model dbt materialises (of one layer, the
    folder under models/, when given)."""
    return {
        node["name"]: builtin_checks.relation(node)
        for node in sorted(manifest["nodes"].values(), key=lambda n: n["name"])
        if node["resource_type"] == "model"
        and node["config"].get("materialized") != "ephemeral"
        and (layer is None or node["fqn"][1] == layer)
    }


def primary_keys(manifest: dict) -> dict[str, list[str]]:
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


def _joined(expressions: list[str]) -> str:
    """The expressions' values as one string, '|'-separated ('' for none)."""
    if not expressions:
        return "''"
    return "concat_ws('|', " + ", ".join(f"cast({e} as string)" for e in expressions) + ")"


def relation_scans_sql(
    manifest: dict, builtin: list[builtin_checks.BuiltinTest], columns: dict[str, list[str]]
) -> str:
    """(relation, rows, non-null count per column, failing rows per built-in test), one
    row per relation; `columns` maps each model's schema.table to its columns."""
    checks = builtin_checks.failure_expressions(builtin)
    relations = sorted({*models(manifest).values(), *checks})
    return " union all ".join(
        f"select '{relation}', count(*), "
        + _joined([f"count({c})" for c in columns.get(relation, [])])
        + ", "
        + _joined(checks.get(relation, []))
        + f" from {relation}"
        for relation in relations
    )


def mart_keys_sql(manifest: dict) -> str:
    """(mart, its key values joined by '|') for every row of every mart."""
    keys = primary_keys(manifest)
    return " union all ".join(
        f"select '{mart}', concat_ws('|', "
        + ", ".join(f"coalesce(cast({c} as string), '~')" for c in keys[mart])
        + f") from {relation}"
        for mart, relation in models(manifest, "marts").items()
    )


def queries(manifest: dict, columns: dict[str, list[str]]) -> dict[str, str]:
    """The named parity queries, the same text on both engines."""
    builtin = builtin_checks.builtin_tests(manifest)
    return {
        "identity_map": IDENTITY_MAP_SQL,
        "btyd_parameters": BTYD_PARAMETERS_SQL,
        "relation_scans": relation_scans_sql(manifest, builtin, columns),
        "mart_keys": mart_keys_sql(manifest),
        "builtin_relationships": builtin_checks.relationships_sql(builtin),
    }


def _on_spark(target: Path) -> dict:
    """Every parity query's rows on Spark (or the text of the error it raised), the
    columns of each model, and the Spark-only queries."""
    from orchestration.loader.spark_publish import SparkPaths, spark_session

    manifest = json.loads((target / "manifest.json").read_text())
    spark = spark_session(SparkPaths.from_env())
    columns = {rel: spark.table(rel).columns for rel in models(manifest).values()}
    named = queries(manifest, columns) | IDENTIFIER_LINKS_SQL
    named["links_without_key"] = manifest["nodes"]["model.omnichannel_cdp.fct_identity_links"][
        "compiled_code"
    ]
    rows: dict[str, list | str] = {}
    for name, query in named.items():
        try:
            rows[name] = [list(r) for r in spark.sql(query).collect()]
        except Exception as exc:  # the test reports which query failed, and why
            rows[name] = str(exc)
    return {"columns": columns, "rows": rows}


def main(argv: list[str]) -> int:
    target, out = Path(argv[0]), Path(argv[1])
    out.write_text(json.dumps(_on_spark(target), default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
