"""The Dagster code location: `dagster dev -m orchestration.definitions`."""

from __future__ import annotations

import dagster as dg

from orchestration.customer.assets import customer_btyd_parameters
from orchestration.dbt_assets import DBT_ASSETS, dbt_resource
from orchestration.erasure.asset import erasure_requests
from orchestration.progress import progress_logger
from orchestration.publish_asset import build_publish_asset
from orchestration.raw_assets import build_raw_assets
from orchestration.resources import WarehouseResource
from orchestration.sensors import build_raw_folder_sensor

raw_assets, raw_checks = build_raw_assets()
# Last step of every build: swap the tested build file in for BI readers.
publish_asset = build_publish_asset(
    [erasure_requests, *raw_assets, *DBT_ASSETS, customer_btyd_parameters]
)

build_warehouse_job = dg.define_asset_job(
    name="build_warehouse",
    selection=dg.AssetSelection.all(),
    description="Load new raw files, build and test every dbt model in a fresh build file, "
    "then publish it for BI readers.",
)

daily_build = dg.ScheduleDefinition(
    name="daily_warehouse_build",
    job=build_warehouse_job,
    cron_schedule="0 5 * * *",
    execution_timezone="Europe/Berlin",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

defs = dg.Definitions(
    assets=[erasure_requests, *raw_assets, *DBT_ASSETS, customer_btyd_parameters, publish_asset],
    asset_checks=raw_checks,
    jobs=[build_warehouse_job],
    schedules=[daily_build],
    sensors=[build_raw_folder_sensor(build_warehouse_job)],
    resources={"warehouse": WarehouseResource(), "dbt": dbt_resource()},
    # DuckDB allows one writing process per file: run steps one after another. Across
    # runs, every writing step is in the `warehouse_writer` pool (dagster.yaml: one run).
    executor=dg.in_process_executor,
    # A run uses the loggers its run config names, the console logger when it names
    # none; `python -m orchestration run` names `progress` (orchestration/progress.py).
    loggers={"console": dg.colored_console_logger, "progress": progress_logger},
)
