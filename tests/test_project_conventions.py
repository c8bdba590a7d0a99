"""The dbt project keeps its own conventions (README "Layout"), read off the parsed
manifest (`python -m orchestration parse`, which `make test` runs first): every model and
column documented, every model tested, every mart under an enforced contract with a
type for each column, layer names, no `select *` in marts, no comma after the last CTE."""

from __future__ import annotations

import json
import re

import pytest

from orchestration.contract import PROJECT_DIR

LAYER_PREFIXES = {"staging": ("stg_",), "intermediate": ("int_",)}
STAGING_NAME = re.compile(r"^stg_[a-z0-9_]+__[a-z0-9_]+$")
SELECT_STAR = re.compile(r"select\s+(distinct\s+)?\*", re.IGNORECASE)
# a comma after the last CTE, before the final select: DuckDB accepts it, Spark does not
TRAILING_CTE_COMMA = re.compile(r"\)\s*,\s*(--[^\n]*\n\s*)*select\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((PROJECT_DIR / "target" / "manifest.json").read_text())


def _models(manifest: dict) -> list[dict]:
    return [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]


def _layer(model: dict) -> str:
    return model["fqn"][1]


def test_every_model_and_column_is_documented(manifest: dict):
    models = _models(manifest)
    assert len(models) > 50
    assert [m["name"] for m in models if not m["description"].strip()] == []
    assert [m["name"] for m in models if not m["columns"]] == []
    undocumented = [
        f"{m['name']}.{c}"
        for m in models
        for c, column in m["columns"].items()
        if not column["description"].strip()
    ]
    assert undocumented == []


def test_every_model_has_a_data_test_or_a_unit_test(manifest: dict):
    tested = {
        d
        for n in [*manifest["nodes"].values(), *manifest["unit_tests"].values()]
        if n["resource_type"] in ("test", "unit_test")
        for d in n["depends_on"]["nodes"]
    }
    assert [m["name"] for m in _models(manifest) if m["unique_id"] not in tested] == []


def test_every_mart_has_an_enforced_contract_with_typed_columns(manifest: dict):
    marts = [m for m in _models(manifest) if _layer(m) == "marts"]
    assert len(marts) > 20
    assert [m["name"] for m in marts if not m["config"]["contract"]["enforced"]] == []
    untyped = [
        f"{m['name']}.{c}" for m in marts for c, col in m["columns"].items() if not col["data_type"]
    ]
    assert untyped == []


def test_layer_names_and_no_select_star_in_marts(manifest: dict):
    models = _models(manifest)
    assert {_layer(m) for m in models} == {"staging", "intermediate", "marts"}
    misnamed = [
        m["name"]
        for m in models
        if not m["name"].startswith(LAYER_PREFIXES.get(_layer(m), ("",)))
        or (_layer(m) == "staging" and not STAGING_NAME.match(m["name"]))
        or (_layer(m) == "marts" and m["name"].startswith(("stg_", "int_")))
    ]
    assert misnamed == []
    starred = [
        m["name"] for m in models if _layer(m) == "marts" and SELECT_STAR.search(m["raw_code"])
    ]
    assert starred == []


def test_no_comma_after_the_last_cte(manifest: dict):
    trailing = [m["name"] for m in _models(manifest) if TRAILING_CTE_COMMA.search(m["raw_code"])]
    assert trailing == []
