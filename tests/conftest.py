"""Fixtures shared by several test modules.

`raw_data` generates one small data set for the session. `built` runs the real
`build_warehouse` Dagster job twice on it. The second run finds no new files and one
erasure request, for a person chosen after the first run (tests/support/erasure_case.py).
It is session-scoped so that every module that needs a published warehouse (the
pipeline, erasure, the dashboard, Spark) pays for it once. The Spark build of the same
raw files, the longest part of the session, starts in the background as the session
starts (`spark_background`), when the session has Spark tests, and runs beside
everything else at a lower CPU priority.
"""

from __future__ import annotations

import os
import shutil
from datetime import date

import dagster as dg
import pytest

from orchestration.generator import generate
from orchestration.progress import command_line_run_config
from tests.support import erasure_case, spark_build

PIPELINE_PERSONS = 1500
SPARK_TESTS = "test_spark_target.py"
# The pseudonym key of every build the tests run (dbt marts, erasure tombstones, Spark):
# a test key, never a production one. Set before any fixture starts a build.
TEST_PSEUDONYM_KEY = "pytest-pseudonym-key-0a1b2c3d4e5f60718293a4b5c6d7e8f9"
os.environ.setdefault("CDP_PSEUDONYM_KEY", TEST_PSEUDONYM_KEY)


@pytest.fixture(scope="session", autouse=True)
def pinned_as_of_date():
    """Every build of the session counts to the same day (var customer_as_of_date reads
    CDP_AS_OF_DATE), also when the session runs across midnight."""
    mp = pytest.MonkeyPatch()
    mp.setenv("CDP_AS_OF_DATE", os.environ.get("CDP_AS_OF_DATE") or date.today().isoformat())
    yield
    mp.undo()


@pytest.fixture(scope="session")
def raw_data(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The session's generated raw files, `raw/` in a folder of their own."""
    work = tmp_path_factory.mktemp("pipeline")
    summary = generate(work / "raw", persons=PIPELINE_PERSONS, seed=7)
    return {"work": work, "raw": work / "raw", "summary": summary}


@pytest.fixture(scope="session", autouse=True)
def spark_background(request: pytest.FixtureRequest, raw_data, pinned_as_of_date, tmp_path_factory):
    """The Spark build of the session's raw files (tests/support/spark_build.py), started
    before the first test when the session collected tests/test_spark_target.py, which
    waits for it; None otherwise. A build nobody waited for is killed at the end."""
    if not any(item.path.name == SPARK_TESTS for item in request.session.items):
        yield None
        return
    spark = spark_build.start(raw_data["raw"], tmp_path_factory.mktemp("spark"))
    yield spark
    spark.stop()


@pytest.fixture(scope="session")
def built(raw_data):
    work = raw_data["work"]
    warehouse = work / "warehouse.duckdb"
    mp = pytest.MonkeyPatch()
    mp.setenv("RAW_DATA_DIR", str(raw_data["raw"]))
    mp.setenv("WAREHOUSE_PATH", str(warehouse))
    from orchestration.definitions import defs

    job = defs.resolve_job_def("build_warehouse")
    # the first run as `python -m orchestration run` starts it, progress lines to a file
    progress = work / "progress.log"
    first = job.execute_in_process(
        run_config=command_line_run_config(progress),
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    # the second run replaces the published file: keep what the first run published
    # (tests/test_spark_target.py compares the Spark build of the same raw files with it)
    first_published = None
    if warehouse.exists():  # (a failed first run: the pipeline tests say)
        first_published = shutil.copy2(warehouse, work / "first_run.duckdb")
    # the run's erasure step reads the default folder, beside the raw one
    erasure = erasure_case.pick_person(warehouse, work / "erasure_requests")
    second = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    yield {
        "summary": raw_data["summary"],
        "warehouse": warehouse,
        "first": first,
        "first_published": first_published,
        "second": second,
        "erasure": erasure,
        "progress": progress.read_text(),
    }
    mp.undo()
