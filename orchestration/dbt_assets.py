"""Every dbt model, seed, snapshot and test as Dagster assets and asset checks.

dagster-dbt turns each dbt data test into an asset check, blocking when its severity is
`error`: a failing test stops everything downstream, `warehouse/published` included.
"""

import json
import os
import shutil
import signal
import subprocess
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
PARTIAL_PARSE_FILE = "partial_parse.msgpack"


def _failed_nodes(invocation) -> list[str]:
    """dbt nodes that ended in error or failure, from the invocation's run_results.json."""
    path = Path(invocation.target_path) / "run_results.json"
    if not path.exists():
        return []
    results = json.loads(path.read_text()).get("results", [])
    return [r["unique_id"] for r in results if r.get("status") in ("error", "fail")]


# The BTYD fit (orchestration/customer/assets.py) is a Python asset between dbt models:
# it reads marts.customer_rfm and writes ml.customer_btyd_parameters, which the CLV
# scoring models read. So the dbt project is two asset definitions, each run as one
# whole `dbt build`: everything before the fit, and the models downstream of its table.
# (One definition would be split by Dagster into subset steps, and dagster-dbt runs a
# subset of more than 200 nodes against a copy of the whole project folder in /tmp,
# virtualenv included, that it never deletes.)
CLV_SCORING_SELECT = "source:ml.customer_btyd_parameters+"


def _build_dbt_assets(name: str, select: str, exclude: str | None):
    @dbt_assets(
        manifest=dbt_project.manifest_path,
        project=dbt_project,
        name=name,
        select=select,
        exclude=exclude,
        pool="warehouse_writer",
        retry_policy=DBT_RETRY_POLICY,
    )
    def _dbt_build(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
    ):
        """`dbt build` of this definition's models in the run's build file: runs, unit
        tests and data tests in DAG order."""
        yield from _stream_dbt_build(context, dbt, warehouse)

    return _dbt_build


def _stream_dbt_build(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
):
    # The build file reaches dbt through a CLI var that profiles.yml reads (the process
    # environment is shared by every step, so it is not the place for a per-run path).
    build_vars = {"warehouse_build_path": str(warehouse.build_path(context.run.run_id))}
    # Not `.fetch_row_counts()`: it opens a DuckDB connection inside this process that
    # stays open, and the next run's loader then cannot open the file for writing.
    # `buildable`: a test runs in the step where the last of its parents is built, never
    # in an earlier step against a table that is not there yet.
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
    finally:
        _stop_if_running(invocation)
        _share_partial_parse(Path(invocation.target_path))


warehouse_dbt_assets = _build_dbt_assets("warehouse_dbt_assets", "fqn:*", CLV_SCORING_SELECT)
clv_scoring_dbt_assets = _build_dbt_assets("clv_scoring_dbt_assets", CLV_SCORING_SELECT, None)
DBT_ASSETS = [warehouse_dbt_assets, clv_scoring_dbt_assets]


def _share_partial_parse(step_target: Path) -> None:
    """Offer this step's parse to the run's next dbt step.

    dagster-dbt gives every dbt invocation its own target folder, seeded with the
    project's `target/partial_parse.msgpack`. The build file's path is part of the dbt
    profile, so the project's copy (from `dbt parse`) never matches a run and every step
    parsed the whole project again. The first step's parse does match the next steps of
    the same run. dbt checks the profile, vars and file hashes before it trusts the file,
    so a stale copy only costs a full parse. Replaced atomically: a step that is copying
    it never sees half a file.
    """
    produced = step_target / PARTIAL_PARSE_FILE
    if not produced.exists():
        return
    shared_dir = PROJECT_DIR / os.environ.get("DBT_TARGET_PATH", "target")
    shared_dir.mkdir(parents=True, exist_ok=True)
    staging = shared_dir / f".{PARTIAL_PARSE_FILE}.{os.getpid()}"
    shutil.copyfile(produced, staging)
    os.replace(staging, shared_dir / PARTIAL_PARSE_FILE)


def _stop_if_running(invocation) -> None:
    """Interrupt a dbt process this step leaves behind (the step failed or was closed
    outside dbt, e.g. in a logger): it holds the build file's write lock, and the next
    step or retry could not open the file."""
    process = invocation.process
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def dbt_resource() -> DbtCliResource:
    # The dbt installed beside this interpreter (the project's .venv), even when the
    # virtualenv is not activated.
    beside = Path(sys.executable).parent / "dbt"
    executable = str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")
    return DbtCliResource(project_dir=dbt_project, dbt_executable=executable)
