"""Incremental fact tables: an incremental run after new files equals a full refresh.

A small generated data set is split into two load batches
(`orchestration.generator.batches`: the second holds a random tenth of every file, so
it brings late page views and app events with old timestamps, cart events of old
sessions and profile records that link customers already resolved apart). Each build
goes through the real publish code: a fresh build file with the raw layer and the
incremental tables carried over (`publish.prepare_build`), the loader, `dbt run`, the
swap. After the second batch, every incremental table and the facts built on them are
compared row by row (EXCEPT ALL both ways) with a `--full-refresh` build of the same
raw rows.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration import publish
from orchestration.contract import PROJECT_DIR, load_contract
from orchestration.generator import generate
from orchestration.generator.batches import split_off_batch
from orchestration.loader import connect, load_table

PERSONS = 300
INCREMENTAL_MODELS = [
    "intermediate.int_journey_touches_unioned",
    "intermediate.int_orders_collected",
    "intermediate.int_order_lines_collected",
]
FACTS = [
    "intermediate.int_orders_unioned",
    "marts.fct_touchpoints",
    "marts.fct_orders",
    "marts.fct_order_lines",
]
# every model the facts need, seeds included (data tests run in the project's own builds)
SELECT = ["+fct_touchpoints", "+fct_order_lines"]
# the models from the incremental tables down to the facts: what a full refresh rebuilds
FULL_REFRESH_SELECT = [
    "int_journey_touches_unioned+,+fct_touchpoints",
    "int_orders_collected+,+fct_order_lines",
    "int_order_lines_collected+,+fct_order_lines",
]
DBT = Path(sys.executable).parent / "dbt"
MANIFEST = PROJECT_DIR / "target" / "manifest.json"


def _dbt_build(build_file: Path, select: list[str], *extra: str) -> dict:
    # lookback 0: the batches are loaded seconds apart, and the test must see the
    # incremental filter itself pick up the second batch, not a lookback that spans both
    build_vars = {"warehouse_build_path": str(build_file), "incremental_lookback_minutes": 0}
    subprocess.run(
        [str(DBT), "build", "--profiles-dir", str(PROJECT_DIR), "--project-dir", str(PROJECT_DIR)]
        + ["--resource-type", "model", "--resource-type", "seed", "--select", *select]
        + ["--vars", json.dumps(build_vars), *extra],
        check=True,
        cwd=PROJECT_DIR,
        env={**os.environ, "DO_NOT_TRACK": "1", "DBT_TARGET": "duckdb"},
        capture_output=True,
    )
    return json.loads((PROJECT_DIR / "target" / "run_results.json").read_text())


def _build(published: Path, build_id: str, raw: Path) -> dict:
    """One build as a Dagster run does it: carry over, load, dbt, swap."""
    path = publish.prepare_build(published, build_id, publish.incremental_relations(MANIFEST))
    conn = connect(path)
    try:
        for table in load_contract():
            load_table(conn, table, raw)
    finally:
        conn.close()
    results = _dbt_build(path, SELECT)
    publish.publish_build(published, build_id)
    return results


def _full_refresh(published: Path, work: Path) -> Path:
    """A copy of the published build with the incremental tables and the facts on them
    rebuilt with --full-refresh (the identity map they join is the same either way)."""
    path = work / "full_refresh" / published.name
    path.parent.mkdir()
    shutil.copyfile(published, path)
    _dbt_build(path, FULL_REFRESH_SELECT, "--full-refresh")
    return path


def _rows(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("incremental")
    raw, later = work / "raw", work / "later"
    generate(raw, persons=PERSONS, seed=11)
    moved = split_off_batch(raw, later, share=0.1, seed=11)
    published = work / "w.duckdb"
    _build(published, "first", raw)
    before = {
        "map": dict(
            _rows(published, "select record_key, customer_id from marts.dim_customer_identity_map")
        ),
        "touches": {
            key: (customer, events)
            for key, customer, events in _rows(
                published,
                "select touchpoint_key, customer_id, event_count from marts.fct_touchpoints",
            )
        },
        "max_viewed_at": _rows(
            published, "select max(viewed_at) from staging.stg_web_shop__page_views"
        )[0][0],
    }
    shutil.copytree(later, raw, dirs_exist_ok=True)
    incremental_results = _build(published, "second", raw)
    full = _full_refresh(published, work)
    return {
        "published": published,
        "full": full,
        "before": before,
        "moved": moved,
        "incremental_results": incremental_results,
    }


def test_second_batch_brings_late_events_and_links_customers(builds):
    """The second batch is the hard case: old timestamps, merges of existing customers."""
    published, before = builds["published"], builds["before"]
    assert builds["moved"]["web_shop.page_views"] > 0
    with duckdb.connect(str(published), read_only=True) as conn:
        late_views = conn.execute(
            "select count(*) from staging.stg_web_shop__page_views "
            "where source_file like '%part-0002%' and viewed_at < ?",
            [before["max_viewed_at"]],
        ).fetchall()[0][0]
        after_map = dict(
            conn.execute(
                "select record_key, customer_id from marts.dim_customer_identity_map"
            ).fetchall()
        )
        touches = {
            key: (customer, events)
            for key, customer, events in conn.execute(
                "select touchpoint_key, customer_id, event_count from marts.fct_touchpoints"
            ).fetchall()
        }
    assert late_views > 0
    # two customers of the first build became one
    merged: dict[str, set[str]] = {}
    for record, customer in before["map"].items():
        merged.setdefault(after_map[record], set()).add(customer)
    assert any(len(ids) > 1 for ids in merged.values())
    # an old session grew by a late page view, and an old touch changed customer
    common = set(touches) & set(before["touches"])
    assert any(touches[k][1] > before["touches"][k][1] for k in common)
    assert any(touches[k][0] != before["touches"][k][0] for k in common)


def test_second_run_was_incremental(builds):
    """The incremental models ran their incremental branch on the carried-over tables."""
    results = {r["unique_id"].split(".")[-1]: r for r in builds["incremental_results"]["results"]}
    for relation in INCREMENTAL_MODELS:
        result = results[relation.split(".")[1]]
        assert result["status"] == "success"
        assert "interval '0' minute" in result["compiled_code"], relation
    carried = {f"{s}.{t}" for s, t in publish.incremental_relations(MANIFEST)}
    assert carried == set(INCREMENTAL_MODELS)


@pytest.mark.parametrize("relation", INCREMENTAL_MODELS + FACTS)
def test_incremental_equals_full_refresh(builds, relation):
    with duckdb.connect(":memory:") as conn:
        conn.execute(f"attach '{builds['published']}' as incremental (read_only)")
        conn.execute(f"attach '{builds['full']}' as full_refresh (read_only)")
        total = conn.execute(f"select count(*) from incremental.{relation}").fetchall()[0][0]
        only_incremental = conn.execute(
            f"select count(*) from (select * from incremental.{relation} "
            f"except all select * from full_refresh.{relation})"
        ).fetchall()[0][0]
        only_full = conn.execute(
            f"select count(*) from (select * from full_refresh.{relation} "
            f"except all select * from incremental.{relation})"
        ).fetchall()[0][0]
    assert total > 0
    assert (only_incremental, only_full) == (0, 0)


def test_touch_customers_follow_the_identity_map(builds):
    """Customer ids are never stored in the incremental tables: every touch and order
    carries the id its record resolves to in this build."""
    stale = _rows(
        builds["published"],
        """select count(*) from marts.fct_touchpoints t
        left join marts.dim_customer_identity_map m on t.record_key = m.record_key
        where t.customer_id is distinct from m.customer_id""",
    )[0][0]
    assert stale == 0


def test_carry_over_copies_listed_tables_and_keeps_only_rows_meeting_the_condition(tmp_path):
    """The hook erasure uses: `keep_rows` leaves rows behind; unlisted tables stay."""
    published = tmp_path / "w.duckdb"
    with duckdb.connect(str(published)) as conn:
        conn.execute("create schema intermediate")
        conn.execute("create table intermediate.facts as select range as k from range(5)")
        conn.execute("create table intermediate.other as select 1 as k")
    with duckdb.connect(str(tmp_path / "new.duckdb")) as conn:
        copied = publish.carry_over_incremental_tables(
            conn,
            published,
            [("intermediate", "facts"), ("intermediate", "missing")],
            keep_rows={"intermediate.facts": "k <> 3"},
        )
        rows = conn.execute("select k from intermediate.facts order by k").fetchall()
        tables = conn.execute("select table_name from duckdb_tables()").fetchall()
    assert copied == ["intermediate.facts"]
    assert rows == [(0,), (1,), (2,), (4,)]
    assert tables == [("facts",)]
