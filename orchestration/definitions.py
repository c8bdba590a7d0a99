"""The Dagster code location: `dagster dev -m orchestration.definitions`."""

from __future__ import annotations

import dagster as dg

from orchestration.customer.assets import customer_btyd_parameters
from orchestration.dbt_assets import dbt_resource, warehouse_dbt_assets
from orchestration.raw_assets import build_raw_assets
from orchestration.resources import WarehouseResource

raw_assets, raw_checks = build_raw_assets()

build_warehouse_job = dg.define_asset_job(
    name="build_warehouse",
    selection=dg.AssetSelection.all(),
    description="Load new raw files, then build and test every dbt model.",
)

daily_build = dg.ScheduleDefinition(
    name="daily_warehouse_build",
    job=build_warehouse_job,
    cron_schedule="0 5 * * *",
    execution_timezone="Europe/Berlin",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

defs = dg.Definitions(
    assets=[*raw_assets, warehouse_dbt_assets, customer_btyd_parameters],
    asset_checks=raw_checks,
    jobs=[build_warehouse_job],
    schedules=[daily_build],
    resources={"warehouse": WarehouseResource(), "dbt": dbt_resource()},
    # DuckDB allows one writing process per file: run steps one after another.
    executor=dg.in_process_executor,
)
