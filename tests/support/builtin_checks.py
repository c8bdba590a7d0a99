"""dbt's built-in generic data tests, evaluated as a few scans instead of one query each.

On Spark every dbt test is a query of its own (~1 core-second even when trivial, and a
test of a staging view re-evaluates the view), so the 600-odd `not_null`, `unique`,
`accepted_values` and `relationships` tests were a third of the Spark build's time. Their
SQL is dbt's own, not this project's; what matters on a second engine is that the data
passes them. So the Spark build leaves them out (`SPARK_BUILD_EXCLUDES`, see
tests/support/spark_build.py) and tests/test_spark_target.py evaluates every one of them
with these aggregates, read from the manifest:

- `not_null`, `unique` and `accepted_values` of one model (or seed, or source) become
  aggregates over that relation (`failure_expressions`; tests/support/spark_parity.py
  puts them in its one scan of each relation), each the number of failing rows (for
  `unique`, of rows beyond the first per value; for `accepted_values`, of rows whose
  value is not accepted), under the test's own `where` config;
- each `relationships` test becomes one branch of a `union all`: the child's non-null
  values with no parent row.

The same SQL runs on DuckDB and Spark. A test passes when its count is 0, the threshold
of every such test in this project (default `error_if`/`warn_if` `!= 0`; a `warn`
severity is held to the same, as the Spark build held it before).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BUILTIN_TESTS = ("not_null", "unique", "accepted_values", "relationships")
SPARK_BUILD_EXCLUDES = tuple(f"test_name:{name}" for name in BUILTIN_TESTS)
_REF = re.compile(r"""ref\(\s*['"]([^'"]+)['"]\s*\)""")


@dataclass(frozen=True)
class BuiltinTest:
    unique_id: str
    name: str  # one of BUILTIN_TESTS
    relation: str  # schema.table the test reads
    column: str
    where: str | None
    kwargs: dict
    parent: str | None = None  # relationships: the parent's schema.table


def relation(node: dict) -> str:
    """schema.table of a model, seed, snapshot or source node of the manifest."""
    return f"{node['schema']}.{node.get('alias') or node['identifier']}"


def builtin_tests(manifest: dict) -> list[BuiltinTest]:
    """Every built-in generic test of the manifest, with the relations it reads."""
    by_id = manifest["nodes"] | manifest["sources"]
    by_name = {
        n["name"]: n
        for n in manifest["nodes"].values()
        if n["resource_type"] in ("model", "seed", "snapshot")
    }
    found = []
    for uid, node in sorted(manifest["nodes"].items()):
        meta = node.get("test_metadata") or {}
        if node["resource_type"] != "test" or meta.get("name") not in BUILTIN_TESTS:
            continue
        kwargs = meta["kwargs"]
        parent = None
        if meta["name"] == "relationships":
            parent_name = _REF.search(kwargs["to"])
            if parent_name is None:
                raise ValueError(f"{uid}: relationships `to` is not a ref(): {kwargs['to']}")
            parent = relation(by_name[parent_name.group(1)])
        attached = node.get("attached_node") or node["depends_on"]["nodes"][0]
        found.append(
            BuiltinTest(
                unique_id=uid,
                name=meta["name"],
                relation=relation(by_id[attached]),
                column=kwargs["column_name"],
                where=node["config"].get("where"),
                kwargs=kwargs,
                parent=parent,
            )
        )
    return found


def _literal(value: object, quote: bool) -> str:
    if not quote:
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _failures(test: BuiltinTest) -> str:
    """An aggregate over the test's relation: the number of rows failing it."""
    scope = f"({test.where}) and " if test.where else ""
    column = test.column
    if test.name == "not_null":
        return f"count(case when {scope}{column} is null then 1 end)"
    if test.name == "unique":
        if test.where:
            return (
                f"count(case when {test.where} then {column} end)"
                f" - count(distinct case when {test.where} then {column} end)"
            )
        return f"count({column}) - count(distinct {column})"
    quote = test.kwargs.get("quote", True)
    values = ", ".join(_literal(v, quote) for v in test.kwargs["values"])
    return f"count(case when {scope}{column} not in ({values}) then 1 end)"


def _by_relation(tests: list[BuiltinTest]) -> dict[str, list[BuiltinTest]]:
    """The single-relation tests (all but relationships), by relation, in test order."""
    grouped: dict[str, list[BuiltinTest]] = {}
    for test in tests:
        if test.name != "relationships":
            grouped.setdefault(test.relation, []).append(test)
    return grouped


def failure_expressions(tests: list[BuiltinTest]) -> dict[str, list[str]]:
    """Relation -> one aggregate per not_null, unique and accepted_values test of it, in
    test order: the rows failing the test."""
    return {
        relation: [_failures(t) for t in group] for relation, group in _by_relation(tests).items()
    }


def per_relation_sql(tests: list[BuiltinTest]) -> str:
    """(relation, failure counts joined by '|' in test order), one row per relation, for
    the not_null, unique and accepted_values tests."""
    return " union all ".join(
        f"select '{relation}', concat_ws('|', "
        + ", ".join(f"cast({e} as string)" for e in expressions)
        + f") from {relation}"
        for relation, expressions in sorted(failure_expressions(tests).items())
    )


def relationships_sql(tests: list[BuiltinTest]) -> str:
    """(test id, child values without a parent row), one row per relationships test."""
    branches = []
    for test in tests:
        if test.name != "relationships":
            continue
        scope = f" and ({test.where})" if test.where else ""
        branches.append(
            f"select '{test.unique_id}', count(*) from {test.relation} c"
            f" left join (select distinct {test.kwargs['field']} as to_field"
            f" from {test.parent}) p on c.{test.column} = p.to_field"
            f" where c.{test.column} is not null{scope} and p.to_field is null"
        )
    return " union all ".join(branches)


def failures(
    tests: list[BuiltinTest], per_relation: list[tuple], relationships: list[tuple]
) -> dict[str, int]:
    """Test id -> failing rows, from the rows of the two queries above."""
    counts: dict[str, int] = {uid: int(n) for uid, n in relationships}
    grouped = _by_relation(tests)
    for relation, joined in per_relation:
        for test, n in zip(grouped[relation], joined.split("|"), strict=True):
            counts[test.unique_id] = int(n)
    return counts
