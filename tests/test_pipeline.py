"""End to end: generated exports -> Dagster raw loads + checks -> dbt build, twice.

Uses the session fixture `built` (tests/conftest.py: the real `build_warehouse` job run
twice in process on a small generated data set; the second run finds no new files and
one erasure request) and checks that no row is lost between the files, the raw tables
and the staging models (a row is in the raw table or counted in the erasure ledger),
that all asset checks pass, and that the second run loads nothing again.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb

from orchestration.contract import PROJECT_DIR, load_contract


def _count(conn: duckdb.DuckDBPyConnection, relation: str) -> int:
    return conn.execute(f"select count(*) from {relation}").fetchall()[0][0]


def test_job_succeeds_and_every_check_passes(built):
    for result in (built["first"], built["second"]):
        assert result.success
        evaluations = result.get_asset_check_evaluations()
        assert len(evaluations) >= 3 * len(load_contract())
        failed = [
            f"{e.asset_key.to_user_string()}:{e.check_name}" for e in evaluations if not e.passed
        ]
        assert failed == []


def _erased(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Raw rows the erasure request removed, per table (raw_meta.erasure_ledger)."""
    return dict(
        conn.execute(
            "select table_name, sum(rows_erased) from raw_meta.erasure_ledger "
            "where layer = 'raw' group by 1"
        ).fetchall()
    )


def test_every_generated_row_reaches_raw_and_staging(built):
    rows_written = built["summary"].rows
    with duckdb.connect(str(built["warehouse"]), read_only=True) as conn:
        assert _count(conn, "raw_meta.quarantine") == 0  # generated exports are clean
        erased = _erased(conn)
        assert erased, "the second run erased a person's rows"
        for table in load_contract():
            raw_rows = _count(conn, table.relation)
            assert raw_rows + erased.get(table.key, 0) == rows_written[table.key], table.key
            staged = _count(conn, f"staging.stg_{table.source}__{table.name}")
            assert staged == raw_rows, table.key


def test_each_run_publishes_its_build_and_cleans_up(built):
    from orchestration import publish

    runs = [built["first"].run_id, built["second"].run_id]
    with duckdb.connect(str(built["warehouse"]), read_only=True) as conn:
        builds = conn.execute(
            "select build_id, base_build_id from raw_meta.builds "
            "where published_at is not null order by published_at"
        ).fetchall()
    assert builds == [(runs[0], None), (runs[1], runs[0])]
    for result in (built["first"], built["second"]):
        published = result.asset_materializations_for_node("warehouse__published")
        assert [m.metadata["build_id"].value for m in published] == [result.run_id]
    leftovers = publish.builds_dir(built["warehouse"])
    assert not leftovers.exists() or not any(leftovers.iterdir())


def test_second_run_loads_nothing_new(built):
    with duckdb.connect(str(built["warehouse"]), read_only=True) as conn:
        files = _count(conn, "raw_meta.load_log")
        assert files == len(load_contract())
        # only the request removed rows: no file was loaded again, so none at load time
        reasons = conn.execute("select distinct reason from raw_meta.erasure_ledger").fetchall()
        assert reasons == [("erasure_request",)]


HOP = re.compile(r"^\s+\d+\. (?P<a>\S+)  --\[(?P<evidence>.*)\]-->  (?P<b>\S+)$")


def test_why_linked_explains_a_page_view_and_a_crm_contact_hop_by_hop(built):
    """A page view that is not its group's representative and a CRM contact of the same
    customer: every hop is a real link (both records on one link node in
    fct_identity_links) or the event group hop, and the hops chain from A to B."""
    with duckdb.connect(str(built["warehouse"]), read_only=True) as conn:
        pair = conn.execute(
            """
            select pv.record_key, other.record_key
            from marts.dim_customer_identity_map as pv
            inner join marts.dim_customer_identity_map as other
                on other.customer_id = pv.customer_id
            where pv.source_table = 'web_shop.page_views'
              and pv.linked_via_record_key <> pv.record_key
              and other.source_table = 'crm.contacts'
            order by pv.record_key, other.record_key
            limit 1
            """
        ).fetchone()
    assert pair is not None, "no customer with a grouped page view and a CRM contact"
    record_a, record_b = pair
    # dbt opens the file for writing: no reader may hold it meanwhile
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "run-operation", "why_linked"]
        + ["--profiles-dir", str(PROJECT_DIR), "--quiet"]
        + ["--args", json.dumps({"record_a": record_a, "record_b": record_b})],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    hops = [m.groupdict() for m in map(HOP.match, proc.stdout.splitlines()) if m]
    assert hops, proc.stdout
    assert hops[0]["a"] == record_a and hops[-1]["b"] == record_b
    assert all(prev["b"] == nxt["a"] for prev, nxt in zip(hops, hops[1:], strict=False))
    assert "events resolved as one group" in hops[0]["evidence"]
    with duckdb.connect(str(built["warehouse"]), read_only=True) as conn:
        for hop in hops[1:]:
            shared = conn.execute(
                "select count(*) from marts.fct_identity_links as l "
                "inner join marts.fct_identity_links as r on l.link_node = r.link_node "
                "where l.record_key = ? and r.record_key = ?",
                [hop["a"], hop["b"]],
            ).fetchone()[0]
            assert shared >= 1, hop


def test_the_command_line_run_shows_progress_per_step(built):
    lines = built["progress"].splitlines()
    materialised = len(built["first"].get_asset_materialization_events())
    assert not [line for line in lines if "FAILED" in line or "check failed" in line]
    done = [re.search(r"done   (\S+): ([\d,]+) assets?", line) for line in lines]
    per_step = {m[1]: int(m[2].replace(",", "")) for m in done if m}
    assert any(step.startswith("warehouse_dbt_assets") for step in per_step)
    assert sum(per_step.values()) == materialised
    assert f"{materialised:,}/{materialised:,} assets materialised" in built["progress"]


def test_summary_reports_identity_figures_and_rows_per_mart(built):
    from orchestration.summary import render

    text = render(built["warehouse"])
    with duckdb.connect(str(built["warehouse"]), read_only=True) as conn:
        records, customers = conn.execute(
            "select count(*), count(distinct customer_id) from marts.dim_customer_identity_map"
        ).fetchall()[0]
        largest = conn.execute(
            "select count(*) from marts.dim_customer_identity_map "
            "group by customer_id order by 1 desc limit 1"
        ).fetchall()[0][0]
        marts = conn.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
        customer_rows = _count(conn, "marts.dim_customer")
    assert f"Identity: {records:,} records" in text
    assert f"-> {customers:,} customers; merge rate {1 - customers / records:.1%}" in text
    assert f"largest cluster: {largest:,} records" in text
    assert re.search(rf"\n  dim_customer +{customer_rows:,}\n", text)
    for (mart,) in marts:
        assert f"\n  {mart} " in text
