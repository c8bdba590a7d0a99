"""The Spark build of the session's raw data, in a background process.

Building the project on Spark takes minutes, most of them spent waiting on the JVM, so
the session fixture `spark_background` (tests/conftest.py) starts it as soon as the
session has generated its raw files, at a lower CPU priority, and it runs while the
other modules' tests do; tests/test_spark_target.py waits for it. Its steps, as a user
would run them (README "Spark"):

1. `python -m orchestration load`: the raw files into a DuckDB file of its own, through
   the loader the Dagster job's raw assets call (the same files, so the same raw layer
   as the job's first run, which tests/test_spark_target.py compares with);
2. `python -m orchestration spark-publish`: that raw layer to Parquet and the Spark
   metastore;
3. `dbt build --target spark`, less dbt's built-in generic tests, which the parity
   queries evaluate in a few scans (tests/support/builtin_checks.py);
4. the parity queries on Spark (tests/support/spark_parity.py), without the pseudonym
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


def start(raw_dir: Path, work: Path) -> SparkBuild:
    work.mkdir(parents=True, exist_ok=True)
    env = os.environ | {
        "RAW_DATA_DIR": str(raw_dir),
        "WAREHOUSE_PATH": str(work / "raw_layer.duckdb"),
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
    steps = [[*orchestration, "load"], [*orchestration, "spark-publish"], build]
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
