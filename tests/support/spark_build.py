"""The Spark build of the session's first published warehouse, in a background process.

Building the project on Spark takes minutes, most of them spent waiting on the JVM, so
the session fixture `built` (tests/conftest.py) starts it as soon as its first Dagster
run has published, on a copy of that file (the second run replaces it), at a lower CPU
priority; it runs while the other modules' tests do, and tests/test_spark_target.py
waits for it. Its steps, as a user would run them (README "Spark"):

1. `python -m orchestration spark-publish`: that warehouse's raw layer and the tables the
   Python assets wrote for dbt to Parquet and the Spark metastore (read-only). Not a
   load of its own from the raw files: the raw layer carries each load's `_loaded_at`,
   which is data (a subscriber status without a timestamp counts from its load), so a
   second load would not be the same input;
2. `dbt build --target spark`, less dbt's built-in generic tests, which the parity
   queries evaluate in a few scans (tests/support/builtin_checks.py);
3. the parity queries on Spark (tests/support/spark_parity.py), without the pseudonym
   key, their rows to `parity.json`.

It writes nothing but its own folder.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from orchestration.contract import PROJECT_DIR
from tests.support.builtin_checks import SPARK_BUILD_EXCLUDES

DBT = str(Path(sys.executable).parent / "dbt")
NICENESS = 10  # the foreground tests come first; Spark takes the idle CPU
LOG_TAIL_LINES = 40


@dataclass
class SparkBuild:
    work: Path
    env: dict[str, str]
    process: subprocess.Popen

    @property
    def target(self) -> Path:
        return self.work / "target_spark"

    @property
    def log(self) -> Path:
        return self.work / "build.log"

    @property
    def parity(self) -> Path:
        return self.work / "parity.json"

    def wait(self) -> dict:
        """Block until the build ends; its run results, manifest and parity rows, or an
        error with the end of its output."""
        code = self.process.wait()
        if code != 0:
            tail = "\n".join(self.log.read_text(errors="replace").splitlines()[-LOG_TAIL_LINES:])
            raise AssertionError(f"the Spark build failed (exit {code}):\n{tail}")
        return {
            "work": self.work,
            "env": self.env,
            "spark": json.loads((self.target / "run_results.json").read_text()),
            "manifest": json.loads((self.target / "manifest.json").read_text()),
            "parity": json.loads(self.parity.read_text()),
        }

    def stop(self) -> None:
        """At the end of the session: a build nobody waited for is killed."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # bash and the JVM it started
            self.process.wait()


def start(warehouse: Path, work: Path) -> SparkBuild:
    """Start the build from the raw layer of `warehouse`, a DuckDB file nobody writes."""
    work.mkdir(parents=True, exist_ok=True)
    env = os.environ | {
        "WAREHOUSE_PATH": str(warehouse),
        "SPARK_DATA_DIR": str(work / "spark"),
        "DO_NOT_TRACK": "1",
        "GX_ANALYTICS_ENABLED": "false",
    }
    orchestration = [sys.executable, "-m", "orchestration"]
    build = [DBT, "build", "--target", "spark", "--profiles-dir", str(PROJECT_DIR)]
    build += ["--target-path", str(work / "target_spark"), "--log-path", str(work / "logs")]
    # dbt's built-in generic tests are evaluated by the parity queries instead
    build += ["--exclude", *SPARK_BUILD_EXCLUDES]
    parity = [sys.executable, "-m", "tests.support.spark_parity"]
    parity += [str(work / "target_spark"), str(work / "parity.json")]
    # the parity queries run as a reader would: without the pseudonym key
    without_key = ["env", *(f"--unset={k}" for k in env if k.startswith("CDP_PSEUDONYM"))]
    steps = [[*orchestration, "spark-publish"], build]
    script = "set -e\n" + "".join(f"{shlex.join(s)}\n" for s in steps)
    script += f"{shlex.join(without_key + parity)}\n"
    with (work / "build.log").open("w") as log:
        process = subprocess.Popen(
            ["nice", "-n", str(NICENESS), "bash", "-c", script],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return SparkBuild(work=work, env=env, process=process)
