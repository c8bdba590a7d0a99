"""A compact progress logger for runs started from the command line.

Dagster's console logger prints every event (hundreds of lines for one dbt build). The
`progress` logger prints one line per finished step that materialised assets, with its
duration, a line every `every` materialised assets with the count so far out of the
run's selection, and every failed asset check and step at once (steps that only run
checks and pass stay quiet). `python -m orchestration run` selects it (with the
console logger at WARNING); schedules, sensors and `dagster dev` keep the default logger.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import dagster as dg

PROGRESS_EVERY = 50


class ProgressHandler(logging.Handler):
    """Turns Dagster events into short progress lines on a stream."""

    def __init__(self, total_assets: int, every: int, path: Path | None = None) -> None:
        super().__init__()
        self.total_assets = total_assets
        self.every = every
        self.path = path
        self.started = time.monotonic()
        self.step_started: dict[str, float] = {}
        self.step_assets: dict[str, int] = {}
        self.materialised = 0

    def _say(self, text: str) -> None:
        elapsed = int(time.monotonic() - self.started)
        line = f"  [{elapsed // 60:02d}:{elapsed % 60:02d}] {text}\n"
        if self.path is None:
            # the terminal, also while a command line run sends Dagster's output to a file
            sys.__stdout__.write(line)
            sys.__stdout__.flush()
        else:
            with self.path.open("a", encoding="utf-8") as out:
                out.write(line)

    def _took(self, step: str) -> float:
        return time.monotonic() - self.step_started.get(step, self.started)

    def emit(self, record: logging.LogRecord) -> None:
        # A logger must never fail a step (a failing step leaves its dbt process running).
        try:
            self._emit(record)
        except Exception:
            self.handleError(record)

    def _emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_event", None)
        if event is None:
            return
        kind, step = event.event_type_value, event.step_key
        if kind == "STEP_START":
            self.step_started[step] = time.monotonic()
        elif kind == "STEP_SUCCESS":
            assets = self.step_assets.get(step, 0)
            if assets:  # steps that only run checks, and pass, stay quiet
                noun = "asset" if assets == 1 else "assets"
                self._say(f"done   {step}: {assets:,} {noun} ({self._took(step):.1f} s)")
        elif kind == "STEP_FAILURE":
            error = event.event_specific_data.error
            reason = error.message.strip().splitlines()[0] if error else "see the log"
            self._say(f"FAILED {step} ({self._took(step):.1f} s): {reason}")
        elif kind == "ASSET_MATERIALIZATION":
            self.materialised += 1
            self.step_assets[step] = self.step_assets.get(step, 0) + 1
            if self.materialised % self.every == 0 or self.materialised == self.total_assets:
                self._say(f"{self.materialised:,}/{self.total_assets:,} assets materialised")
        elif kind == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if not evaluation.passed:
                self._say(f"check failed: {evaluation.asset_key.to_user_string()}")
                self._say(f"              {evaluation.check_name}")


@dg.logger(
    config_schema={
        "every": dg.Field(int, default_value=PROGRESS_EVERY, is_required=False),
        "path": dg.Field(
            str, is_required=False, description="append to this file, not the terminal"
        ),
    },
    description="One line per finished step and every N materialised assets.",
)
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    config = init_context.logger_config
    job = init_context.job_def
    total = len(job.asset_layer.selected_asset_keys) if job is not None else 0
    path = Path(config["path"]) if "path" in config else None
    logger = logging.Logger("cdp_progress", level=logging.DEBUG)
    logger.addHandler(ProgressHandler(total, config["every"], path))
    return logger


def command_line_run_config(progress_path: Path | None = None) -> dict:
    """Run config for a run started by `python -m orchestration run`: progress lines (on
    the terminal, or appended to `progress_path`), and Dagster's console logger for
    warnings and errors only."""
    progress = {"config": {"path": str(progress_path)}} if progress_path else {}
    return {"loggers": {"progress": progress, "console": {"config": {"log_level": "WARNING"}}}}
