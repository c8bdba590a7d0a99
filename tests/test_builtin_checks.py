"""The evaluation of dbt's built-in generic tests that stands in for them in the Spark
build (tests/support/builtin_checks.py) finds the rows dbt's own tests would fail."""

from __future__ import annotations

import duckdb

from tests.support import builtin_checks


def _test(name: str, column: str, where: str | None = None, **kwargs) -> tuple[str, dict]:
    uid = f"test.p.{name}_{column}_{len(kwargs)}{'_where' if where else ''}"
    node = {
        "resource_type": "test",
        "test_metadata": {"name": name, "kwargs": {"column_name": column, **kwargs}},
        "attached_node": "model.p.child",
        "depends_on": {"nodes": ["model.p.child"]},
        "config": {"where": where},
    }
    return uid, node


def _manifest() -> dict:
    models = {
        f"model.p.{name}": {"resource_type": "model", "name": name, "schema": "s", "alias": name}
        for name in ("child", "parent")
    }
    tests = dict(
        [
            _test("not_null", "id"),
            _test("not_null", "id", where="kind = 'a'"),
            _test("unique", "id"),
            _test("unique", "id", where="kind <> 'b'"),
            _test("accepted_values", "kind", values=["a", "b"]),
            _test("accepted_values", "kind", where="id = 1", values=["a", "b"], quote=True),
            _test("relationships", "parent_id", to="ref('parent')", field="id"),
            _test(
                "relationships", "parent_id", where="kind = 'a'", to='ref( "parent" )', field="id"
            ),
            ("test.p.singular", {"resource_type": "test", "config": {}}),
        ]
    )
    return {"nodes": models | tests, "sources": {}}


def test_each_kind_of_failure_is_counted_under_its_where():
    conn = duckdb.connect()
    conn.execute("create schema s")
    conn.execute("create table s.parent as select * from (values (10), (10)) t(id)")
    conn.execute(
        "create table s.child as select * from (values (1, 'a', 10), (1, 'b', 11), "
        "(null, 'z', null), (2, null, 10)) t(id, kind, parent_id)"
    )
    manifest = _manifest()
    tests = builtin_checks.builtin_tests(manifest)
    assert {t.name for t in tests} == set(builtin_checks.BUILTIN_TESTS)
    per_relation = conn.execute(builtin_checks.per_relation_sql(tests)).fetchall()
    relationships = conn.execute(builtin_checks.relationships_sql(tests)).fetchall()
    counts = builtin_checks.failures(tests, per_relation, relationships)
    assert counts == {
        "test.p.not_null_id_0": 1,  # the row of kind 'z'
        "test.p.not_null_id_0_where": 0,
        "test.p.unique_id_0": 1,  # id 1 twice
        "test.p.unique_id_0_where": 0,  # kind 'b' is out of scope
        "test.p.accepted_values_kind_1": 1,  # 'z'; a null kind is not a value
        "test.p.accepted_values_kind_2_where": 0,
        "test.p.relationships_parent_id_2": 1,  # 11 has no parent; a parent twice is fine
        "test.p.relationships_parent_id_2_where": 0,
    }
