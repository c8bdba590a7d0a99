"""The real `build_warehouse` job killed mid-build leaves the published warehouse alone.

A small generated data set; a last good warehouse is published first; then the real
Dagster job runs in its own process group (it loads every raw file into its build file
and starts `dbt build` there) and is killed with SIGKILL as soon as dbt has built its
first node (the job's own event log on its console says when). Kills at every stage of
a build are covered by the cheaper builds of `test_publish.py`. The published file must
be byte for byte what it was and open read-only, and the killed build's file stays in
its folder for debugging.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration import publish
from orchestration.contract import PROJECT_DIR
from orchestration.generator import generate
from tests.support.publish_worker import main as cheap_build

PERSONS = 200


def _dbt_writing(line: str) -> bool:
    """dbt has built its first node into the build file (a seed or a model) and goes on."""
    return "dbt_assets - ASSET_MATERIALIZATION" in line


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    work = tmp_path_factory.mktemp("publish_job")
    generate(work / "raw", persons=PERSONS, seed=5)
    return os.environ | {
        "RAW_DATA_DIR": str(work / "raw"),
        "WAREHOUSE_PATH": str(work / "warehouse.duckdb"),
        "DO_NOT_TRACK": "1",
        "GX_ANALYTICS_ENABLED": "false",
    }


def test_job_killed_while_dbt_builds_leaves_published_warehouse(env: dict[str, str]):
    published = Path(env["WAREHOUSE_PATH"])
    cheap_build(["build", str(published), "last-good", "100"])
    before = hashlib.sha256(published.read_bytes()).hexdigest()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.run_job"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 240
    try:
        for line in proc.stdout:
            assert "RUN_SUCCESS" not in line, "the job finished before it could be killed"
            if _dbt_writing(line):
                break
            assert time.monotonic() < deadline
        else:
            pytest.fail("the job ended before dbt started building")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the job and its dbt subprocess
        proc.wait(timeout=30)
    assert hashlib.sha256(published.read_bytes()).hexdigest() == before
    assert publish.published_build_id(published) == "last-good"
    with duckdb.connect(str(published), read_only=True) as conn:
        assert conn.execute("select count(*) from marts.soak_facts").fetchall() == [(100,)]
    kept = [p for p in publish.builds_dir(published).iterdir() if p.is_dir()]
    assert kept, "the killed build's folder is kept for debugging"
