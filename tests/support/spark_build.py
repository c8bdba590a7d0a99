"""The Spark build of the session's published warehouse, in a background process.

Publishing the raw layer to Spark (`python -m orchestration spark-publish`) and building
the project there (`dbt build --target spark`) takes minutes, most of them spent waiting
on the JVM. The session fixture `built` starts it as soon as the warehouse is published,
at a lower CPU priority, so that it runs while the other modules' tests do;
tests/test_spark_target.py waits for it. The build leaves out dbt's built-in generic
tests, which that module evaluates in a few scans (tests/support/builtin_checks.py). It
reads the published file only during spark-publish, with a read-only connection, and
writes nothing but its own folder.
"""

from __future__ import annotations

import json
import os
import shlex
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

    def wait(self) -> dict:
        """Block until the build ends; its run results and manifest, or an error naming
        the step that failed with the end of its output."""
        code = self.process.wait()
        if code != 0:
            tail = "\n".join(self.log.read_text(errors="replace").splitlines()[-LOG_TAIL_LINES:])
            raise AssertionError(f"the Spark build failed (exit {code}):\n{tail}")
        return {
            "work": self.work,
            "env": self.env,
            "spark": json.loads((self.target / "run_results.json").read_text()),
            "manifest": json.loads((self.target / "manifest.json").read_text()),
        }

    def stop(self) -> None:
        """At the end of the session: a build nobody waited for is killed."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def start(warehouse: Path, work: Path) -> SparkBuild:
    work.mkdir(parents=True, exist_ok=True)
    env = os.environ | {
        "WAREHOUSE_PATH": str(warehouse),
        "SPARK_DATA_DIR": str(work / "spark"),
        "DO_NOT_TRACK": "1",
        "GX_ANALYTICS_ENABLED": "false",
    }
    publish = [sys.executable, "-m", "orchestration", "spark-publish"]
    build = [DBT, "build", "--target", "spark", "--profiles-dir", str(PROJECT_DIR)]
    build += ["--target-path", str(work / "target_spark"), "--log-path", str(work / "logs")]
    # dbt's built-in generic tests are evaluated in a few scans afterwards instead
    build += ["--exclude", *SPARK_BUILD_EXCLUDES]
    script = f"set -e\n{shlex.join(publish)}\n{shlex.join(build)}\n"
    with (work / "build.log").open("w") as log:
        process = subprocess.Popen(
            ["nice", "-n", str(NICENESS), "bash", "-c", script],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return SparkBuild(work=work, env=env, process=process)
