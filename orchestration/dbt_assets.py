"""Every dbt model, seed, snapshot and test as Dagster assets and asset checks."""

import shutil
import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from orchestration.contract import PROJECT_DIR

dbt_project = DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR)
dbt_project.prepare_if_dev()


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, pool="warehouse_writer")
def warehouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """`dbt build` of the selected models: runs, unit tests and data tests in DAG order."""
    # Not `.fetch_row_counts()`: it opens a DuckDB connection inside this process that
    # stays open, and the next run's loader then cannot open the file for writing.
    yield from dbt.cli(["build"], context=context).stream()


def dbt_resource() -> DbtCliResource:
    # The dbt installed beside this interpreter (the project's .venv), even when the
    # virtualenv is not activated.
    beside = Path(sys.executable).parent / "dbt"
    executable = str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")
    return DbtCliResource(project_dir=dbt_project, dbt_executable=executable)
