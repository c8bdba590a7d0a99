"""Every dbt model, seed, snapshot and test as Dagster assets and asset checks.

dagster-dbt turns each dbt data test into an asset check, blocking when its severity is
`error`: a failing test stops everything downstream, `warehouse/published` included.
"""

import json
import shutil
import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets
from dagster_dbt.errors import DagsterDbtCliRuntimeError

from orchestration.contract import PROJECT_DIR
from orchestration.resources import WarehouseResource

dbt_project = DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR)
dbt_project.prepare_if_dev()

# A crashed dbt process (killed, out of memory, a lock) is worth one more try; a model
# or test that failed is not (see `_failed_nodes`).
DBT_RETRY_POLICY = dg.RetryPolicy(max_retries=1, delay=10)


def _failed_nodes(invocation) -> list[str]:
    """dbt nodes that ended in error or failure, from the invocation's run_results.json."""
    path = Path(invocation.target_path) / "run_results.json"
    if not path.exists():
        return []
    results = json.loads(path.read_text()).get("results", [])
    return [r["unique_id"] for r in results if r.get("status") in ("error", "fail")]


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    pool="warehouse_writer",
    retry_policy=DBT_RETRY_POLICY,
)
def warehouse_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
):
    """`dbt build` of the selected models in the run's build file: runs, unit tests and
    data tests in DAG order."""
    # The build file reaches dbt through a CLI var that profiles.yml reads (the process
    # environment is shared by every step, so it is not the place for a per-run path).
    build_vars = {"warehouse_build_path": str(warehouse.build_path(context.run.run_id))}
    # Not `.fetch_row_counts()`: it opens a DuckDB connection inside this process that
    # stays open, and the next run's loader then cannot open the file for writing.
    # A run that also materialises a Python asset between dbt models (the BTYD fit) runs
    # dbt in several steps. `buildable`: a test runs in the step where the last of its
    # parents is built, never in an earlier step against a table that is not there yet.
    args = ["build", "--vars", json.dumps(build_vars), "--indirect-selection", "buildable"]
    invocation = dbt.cli(args, context=context)
    try:
        yield from invocation.stream()
    except DagsterDbtCliRuntimeError as exc:
        failed = _failed_nodes(invocation)
        if failed:
            raise dg.Failure(
                description=f"dbt build: {len(failed)} node(s) failed",
                metadata={"failed_nodes": failed[:50]},
                allow_retries=False,
            ) from exc
        raise


def dbt_resource() -> DbtCliResource:
    # The dbt installed beside this interpreter (the project's .venv), even when the
    # virtualenv is not activated.
    beside = Path(sys.executable).parent / "dbt"
    executable = str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")
    return DbtCliResource(project_dir=dbt_project, dbt_executable=executable)
