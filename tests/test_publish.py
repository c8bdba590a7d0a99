"""Publishing for BI readers: build in a fresh file, swap it in atomically.

Real processes throughout. Four reader processes query the published file while 20
builds are made and swapped in (the cheap representative build of
`tests/support/publish_worker.py`, through the real `orchestration.publish`): no lock
error, and every read sees one whole build. Builds killed with SIGKILL at the load,
model, test and swap stages leave the published file byte for byte the last good build.
"""

from __future__ import annotations

import hashlib
import json
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
from tests.support.publish_worker import STAGES, main, read_once

READERS = 4
CYCLES = 20
ROWS = 2000


def _worker(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.publish_worker", *args],
        cwd=PROJECT_DIR,
        start_new_session=True,
        **kwargs,
    )


def _build(published: Path, build_id: str, rows: int = ROWS) -> None:
    proc = _worker("build", str(published), build_id, str(rows), stderr=subprocess.PIPE)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_readers_never_see_a_lock_or_a_half_built_warehouse(tmp_path: Path):
    published = tmp_path / "warehouse.duckdb"
    _build(published, "b00")
    stop = tmp_path / "stop"
    outs = [tmp_path / f"reader{i}.json" for i in range(READERS)]
    readers = [_worker("read", str(published), str(stop), str(out)) for out in outs]
    try:
        time.sleep(1.0)
        for cycle in range(1, CYCLES + 1):
            # in this process, to keep 20 cycles cheap; the readers are other processes
            main(["build", str(published), f"b{cycle:02d}", str(ROWS + cycle)])
    finally:
        stop.touch()
        for proc in readers:
            proc.wait(timeout=30)
    results = [json.loads(out.read_text()) for out in outs]
    assert [r["lock_errors"] for r in results] == [0] * READERS
    assert [r["other_errors"] for r in results] == [[]] * READERS
    assert all(r["reads"] > CYCLES for r in results), [r["reads"] for r in results]
    # the readers really read through the swaps: several builds each
    assert all(len(r["builds_seen"]) >= 5 for r in results), [r["builds_seen"] for r in results]
    assert read_once(published) == f"b{CYCLES:02d}"
    with duckdb.connect(str(published), read_only=True) as conn:
        # raw history carried from build to build: every build's load is there once
        per_build = conn.execute(
            "select build_id, count(*) from raw_soak.events group by 1 order by 1"
        ).fetchall()
        assert per_build == [("b00", ROWS)] + [
            (f"b{c:02d}", ROWS + c) for c in range(1, CYCLES + 1)
        ]
        assert conn.execute(
            "select base_build_id from raw_meta.builds where build_id = ?", [f"b{CYCLES:02d}"]
        ).fetchall() == [(f"b{CYCLES - 1:02d}",)]
    assert not publish.builds_dir(published).exists() or not any(
        publish.builds_dir(published).iterdir()
    )


@pytest.mark.parametrize("stage", STAGES)
def test_a_killed_build_leaves_the_last_good_warehouse(tmp_path: Path, stage: str):
    published = tmp_path / "warehouse.duckdb"
    _build(published, "good")
    before = _sha256(published)
    marker = tmp_path / "marker"
    proc = _worker(
        "build", str(published), "doomed", str(ROWS), "--pause-at", stage, "--marker", str(marker)
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, "the build ended before it reached the stage"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert _sha256(published) == before
    assert read_once(published) == "good"
    # the killed build's file is kept for debugging ...
    assert publish.build_path(published, "doomed").exists()
    # ... and the next build starts from the last good one and cleans it up
    _build(published, "next")
    assert read_once(published) == "next"
    with duckdb.connect(str(published), read_only=True) as conn:
        assert conn.execute(
            "select build_id, count(*) from raw_soak.events group by 1 order by 1"
        ).fetchall() == [("good", ROWS), ("next", ROWS)]
    assert not publish.build_path(published, "doomed").exists()


def test_a_stale_build_is_not_published(tmp_path: Path):
    """Two overlapping builds from one last good file: the second must not undo the first."""
    published = tmp_path / "warehouse.duckdb"
    _build(published, "base")
    publish.prepare_build(published, "fast")
    time.sleep(0.05)
    publish.prepare_build(published, "slow")
    publish.publish_build(published, "fast")
    assert publish.build_path(published, "slow").exists()
    with pytest.raises(publish.PublishError, match="started from build 'base'"):
        publish.publish_build(published, "slow")
    assert publish.published_build_id(published) == "fast"
