"""The Dagster definitions: schedule and sensor on by default, the raw-folder sensor's
cursor, one writer at a time, retries, blocking checks, and publish last."""

import os
import shutil
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration import publish
from orchestration.contract import PROJECT_DIR, load_contract
from orchestration.dbt_assets import DBT_ASSETS
from orchestration.definitions import defs, publish_asset, raw_assets, raw_checks
from orchestration.erasure.asset import ERASURE_KEY, erasure_requests
from orchestration.publish_asset import PUBLISHED_KEY, build_publish_asset
from orchestration.resources import WarehouseResource
from orchestration.sensors import RAW_SETTLE_SECONDS


def test_daily_schedule_and_raw_sensor_run_by_default():
    schedule = defs.resolve_schedule_def("daily_warehouse_build")
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert schedule.job_name == "build_warehouse"
    sensor = defs.resolve_sensor_def("raw_folder_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert sensor.job_name == "build_warehouse"


def test_every_writing_step_is_in_the_writer_pool_with_retries():
    job = defs.resolve_job_def("build_warehouse")
    in_job = {n.name for n in job.graph.node_defs}
    for assets in [erasure_requests, *raw_assets, *DBT_ASSETS, publish_asset]:
        assert assets.op.name in in_job
        assert assets.op.pool == "warehouse_writer", assets.op.name
    for assets in [*raw_assets, *DBT_ASSETS]:
        policy = assets.op.retry_policy
        assert policy is not None and policy.max_retries >= 1, assets.op.name
    assert publish_asset.op.retry_policy is None  # a refused publish must not retry


def test_instance_config_lets_one_writing_run_in_at_a_time(tmp_path: Path):
    shutil.copy(PROJECT_DIR / "dagster.yaml", tmp_path / "dagster.yaml")
    instance = dg.DagsterInstance.from_config(str(tmp_path))
    try:
        pools = instance.get_concurrency_config().pool_config
        assert pools.pool_granularity.value == "run"
        assert pools.default_pool_limit == 1
    finally:
        instance.dispose()


def test_quality_checks_block_downstream():
    raw = {(c.asset_key.to_user_string(), c.name): c.blocking for c in _specs(raw_checks)}
    assert len(raw) == 3 * len(load_contract())
    for (asset, name), blocking in raw.items():
        assert blocking == (name != "quarantine_rate"), (asset, name)
    dbt_checks = [spec for assets in DBT_ASSETS for spec in assets.check_specs]
    # every dbt data test on a model is an asset check; error severity blocks
    assert len(dbt_checks) > 50
    assert all(c.blocking for c in dbt_checks if "unique" in c.name or "not_null" in c.name)


def _specs(checks: list[dg.AssetChecksDefinition]) -> list[dg.AssetCheckSpec]:
    return [spec for check in checks for spec in check.check_specs]


def test_publish_comes_after_every_load_and_model():
    graph = defs.resolve_asset_graph()
    upstream = graph.get(PUBLISHED_KEY).parent_keys
    assert {k for a in raw_assets for k in a.keys} <= upstream
    assert {k for a in DBT_ASSETS for k in a.keys} <= upstream
    # erasures come first: every load runs on the raw layer copied without the erased
    assert ERASURE_KEY in upstream
    for assets in raw_assets:
        assert graph.get(next(iter(assets.keys))).parent_keys == {ERASURE_KEY}


def _write(raw: Path, rel: str, text: str, age_s: float) -> Path:
    path = raw / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    then = time.time() - age_s
    os.utime(path, (then, then))
    return path


def _tick(cursor: str | None):
    sensor = defs.resolve_sensor_def("raw_folder_sensor")
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance, cursor=cursor)
        return sensor.evaluate_tick(context)


def test_raw_folder_sensor_requests_one_build_per_new_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    raw = tmp_path / "raw"
    monkeypatch.setenv("RAW_DATA_DIR", str(raw))
    empty = _tick(None)
    assert empty.run_requests == [] and "no raw files" in empty.skip_message

    _write(raw, "ads/clicks/2026-11-01.csv", "a\n", age_s=3600)
    _write(raw, "ads/clicks/notes.txt", "not a contract file\n", age_s=3600)
    first = _tick(empty.cursor)
    assert len(first.run_requests) == 1
    assert first.run_requests[0].run_key == first.cursor

    again = _tick(first.cursor)
    assert again.run_requests == [] and "no new files" in again.skip_message
    _write(raw, "ads/clicks/other.txt", "ignored: the glob does not match\n", age_s=3600)
    assert _tick(first.cursor).run_requests == []

    # a file still being written waits until it settles, without moving the cursor
    _write(raw, "ads/clicks/2026-11-02.csv", "b\n", age_s=0)
    busy = _tick(first.cursor)
    assert busy.run_requests == [] and "changed in the last" in busy.skip_message
    assert busy.cursor in (None, first.cursor)
    _write(raw, "ads/clicks/2026-11-02.csv", "b\n", age_s=RAW_SETTLE_SECONDS + 5)
    second = _tick(first.cursor)
    assert len(second.run_requests) == 1
    assert second.cursor != first.cursor
    assert second.run_requests[0].run_key == second.cursor


def _publish_job_parts(check_passes: bool, blocking: bool):
    @dg.asset(key=["tiny", "mart"])
    def tiny_mart(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        with duckdb.connect(str(warehouse.build_path(context.run.run_id))) as conn:
            conn.execute("create schema if not exists marts")
            conn.execute("create or replace table marts.tiny as select 1 as x")

    @dg.asset_check(asset=tiny_mart, blocking=blocking)
    def tiny_check() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=check_passes, severity=dg.AssetCheckSeverity.ERROR)

    return tiny_mart, tiny_check, build_publish_asset([tiny_mart])


@pytest.mark.parametrize(
    "check_passes, blocking, published",
    [(True, True, True), (False, True, False), (False, False, False)],
)
def test_publish_only_after_every_check_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, check_passes, blocking, published
):
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("WAREHOUSE_PATH", str(warehouse))
    mart, check, publish_asset_def = _publish_job_parts(check_passes, blocking)
    result = dg.materialize(
        [mart, check, publish_asset_def],
        resources={"warehouse": WarehouseResource()},
        raise_on_error=False,
    )
    assert warehouse.exists() == published
    if published:
        assert result.success
        assert publish.published_build_id(warehouse) == result.run_id
    else:
        # a blocking check skips publishing; an error-severity one that does not block
        # reaches it, and it refuses
        assert not result.success or not blocking
        assert publish.builds_dir(warehouse).exists()  # the build is kept for debugging


def test_a_partial_run_does_not_publish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("WAREHOUSE_PATH", str(warehouse))
    mart, check, publish_asset_def = _publish_job_parts(True, True)
    result = dg.materialize(
        [mart, check, publish_asset_def],
        selection=[PUBLISHED_KEY],
        resources={"warehouse": WarehouseResource()},
        raise_on_error=False,
    )
    assert not result.success
    assert not warehouse.exists()


def test_each_dbt_definition_runs_as_one_whole_build_step():
    """No subset steps: dagster-dbt runs a subset of more than 200 nodes against a copy of
    the whole project folder in /tmp (virtualenv included) that it never deletes."""
    from dagster._core.execution.api import create_execution_plan  # no public equivalent

    job = defs.resolve_job_def("build_warehouse")
    steps = create_execution_plan(job).step_keys_to_execute
    assert sorted(k for k in steps if "dbt_assets" in k) == sorted(a.op.name for a in DBT_ASSETS)
