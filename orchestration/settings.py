"""Where the warehouse and the raw files live, read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from orchestration.contract import PROJECT_DIR


@dataclass(frozen=True)
class Settings:
    warehouse_path: Path
    raw_data_dir: Path
    erasure_dir: Path
    full_refresh: bool = False

    @classmethod
    def from_env(cls) -> Settings:
        """`WAREHOUSE_PATH` (default ./warehouse.duckdb), `RAW_DATA_DIR` (default ./data/raw),
        `ERASURE_REQUESTS_DIR` (default `erasure_requests/` beside the raw folder),
        `WAREHOUSE_FULL_REFRESH` (1: build incremental models whole, default 0)."""
        raw = _path(os.environ.get("RAW_DATA_DIR", "data/raw"))
        erasure = os.environ.get("ERASURE_REQUESTS_DIR")
        return cls(
            warehouse_path=_path(os.environ.get("WAREHOUSE_PATH", "warehouse.duckdb")),
            raw_data_dir=raw,
            erasure_dir=_path(erasure) if erasure else raw.parent / "erasure_requests",
            full_refresh=os.environ.get("WAREHOUSE_FULL_REFRESH", "0") == "1",
        )


def _path(value: str) -> Path:
    p = Path(value).expanduser()
    return p if p.is_absolute() else PROJECT_DIR / p
