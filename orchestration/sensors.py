"""A sensor that starts a build when new raw files are dropped into the raw folder.

Its cursor is a SHA-256 over (path, size, mtime) of every file the contract's globs
match; any new, replaced or removed file changes it and requests one `build_warehouse`
run (the run key is the fingerprint, so one state of the folder is built once). The
loader itself skips files whose content it has loaded before.

A file still being copied must not be loaded half-written (its complete version would
have another hash and load again): the sensor waits until no matching file was
modified in the last `settle_seconds`. Producers should still write to a name the globs
do not match (`.part`) and rename when done.
"""

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from orchestration.contract import Table, load_contract
from orchestration.loader import files_for
from orchestration.settings import Settings

RAW_SETTLE_SECONDS = 30


@dataclass(frozen=True)
class FolderState:
    fingerprint: str
    files: int
    newest_mtime: float


def folder_state(raw_dir: Path, tables: Sequence[Table]) -> FolderState:
    digest = hashlib.sha256()
    files = 0
    newest = 0.0
    paths = sorted({p for t in tables for p in files_for(t, raw_dir)})
    for path in paths:
        stat = path.stat()
        digest.update(f"{path.relative_to(raw_dir).as_posix()}\0{stat.st_size}\0".encode())
        digest.update(f"{stat.st_mtime_ns}\n".encode())
        files += 1
        newest = max(newest, stat.st_mtime)
    return FolderState(digest.hexdigest(), files, newest)


def build_raw_folder_sensor(
    job: dg.JobDefinition | UnresolvedAssetJobDefinition,
    settle_seconds: float = RAW_SETTLE_SECONDS,
    minimum_interval_seconds: int = 60,
) -> dg.SensorDefinition:
    @dg.sensor(
        name="raw_folder_sensor",
        job=job,
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Builds the warehouse when files in RAW_DATA_DIR are added or changed.",
    )
    def _sensor(context: dg.SensorEvaluationContext):
        raw_dir = Settings.from_env().raw_data_dir
        state = folder_state(raw_dir, load_contract())
        if state.fingerprint == context.cursor:
            return dg.SkipReason(f"no new files in {raw_dir}")
        if state.files == 0:
            context.update_cursor(state.fingerprint)
            return dg.SkipReason(f"no raw files in {raw_dir}")
        if time.time() - state.newest_mtime < settle_seconds:
            return dg.SkipReason(f"files in {raw_dir} changed in the last {settle_seconds:g} s")
        context.update_cursor(state.fingerprint)
        return dg.RunRequest(
            run_key=state.fingerprint,
            tags={"raw/files": str(state.files)},
        )

    return _sensor
