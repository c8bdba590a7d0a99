"""Fixtures shared by several test modules.

`raw_data` generates one small data set for the session. `built` runs the real
`build_warehouse` Dagster job twice on it. The second run finds no new files and one
erasure request, for a person chosen after the first run (tests/support/erasure_case.py).
It is session-scoped so that every module that needs a published warehouse (the
pipeline, erasure, the dashboard, Spark) pays for it once. The Spark build, the longest
part of the session, starts from a copy of the warehouse the first run published, in
the background at a lower CPU priority, when the session has Spark tests, and runs
beside the second run and the other modules.
"""

from __future__ import annotations

import os
import shutil
from datetime import timedelta

import dagster as dg
import pytest

from orchestration.generator import generate
from orchestration.generator.timeline import END_DATE
from orchestration.progress import command_line_run_config
from tests.support import erasure_case, spark_build

PIPELINE_PERSONS = 1500
AS_OF_DATE = END_DATE + timedelta(days=1)
SPARK_TESTS = "test_spark_target.py"
# The pseudonym key of every build the tests run (dbt marts, erasure tombstones, Spark):
# a test key, never a production one. Set before any fixture starts a build.
TEST_PSEUDONYM_KEY = "pytest-pseudonym-key-0a1b2c3d4e5f60718293a4b5c6d7e8f9"
os.environ.setdefault("CDP_PSEUDONYM_KEY", TEST_PSEUDONYM_KEY)


@pytest.fixture(scope="session", autouse=True)
def pinned_as_of_date():
    """Every build counts to the day after the generated period (var customer_as_of_date
    reads CDP_AS_OF_DATE), whatever the day the tests run: counted to today, recency,
    the RFM ages and the CLV fit changed by the day (the BG/NBD fit stopped converging
    on the session's data a month after the period)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("CDP_AS_OF_DATE", os.environ.get("CDP_AS_OF_DATE") or AS_OF_DATE.isoformat())
    yield
    mp.undo()


@pytest.fixture(scope="session")
def raw_data(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The session's generated raw files, `raw/` in a folder of their own."""
    work = tmp_path_factory.mktemp("pipeline")
    summary = generate(work / "raw", persons=PIPELINE_PERSONS, seed=7)
    return {"work": work, "raw": work / "raw", "summary": summary}


@pytest.fixture(scope="session")
def built(request: pytest.FixtureRequest, raw_data, tmp_path_factory):
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
    # the Spark build takes minutes: when the session has Spark tests, it starts now and
    # runs beside the second run and the other modules (tests/support/spark_build.py), on
    # a copy of this warehouse (the second run replaces the file; Spark compares with the
    # copy: the same raw layer, before the erasure)
    first_published, spark = None, None
    wants_spark = any(item.path.name == SPARK_TESTS for item in request.session.items)
    if wants_spark and warehouse.exists():  # (a failed first run: the pipeline tests say)
        spark_work = tmp_path_factory.mktemp("spark")
        first_published = shutil.copy2(warehouse, spark_work / "first_run.duckdb")
        spark = spark_build.start(first_published, spark_work)
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
        "spark": spark,
        "progress": progress.read_text(),
    }
    if spark is not None:
        spark.stop()
    mp.undo()
