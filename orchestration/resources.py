"""Dagster resources."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from orchestration import publish
from orchestration.contract import PROJECT_DIR
from orchestration.settings import Settings


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file and the folder of raw channel exports.

    Both come from the environment (`WAREHOUSE_PATH`, `RAW_DATA_DIR`; see `Settings`) and
    nowhere else: the loader and dbt can never point at different files. A run never
    writes `WAREHOUSE_PATH` itself (BI tools read it): every step of run `run_id` works
    on that run's build file (`orchestration.publish`), which the `publish_warehouse`
    asset swaps in once everything passed.
    """

    def settings(self) -> Settings:
        return Settings.from_env()

    def carried_relations(self) -> list[tuple[str, str]]:
        """The tables of dbt's incremental models a new build carries over (none when the
        environment sets `WAREHOUSE_FULL_REFRESH=1`: dbt then rebuilds them whole)."""
        if self.settings().full_refresh:
            return []
        return publish.incremental_relations(PROJECT_DIR / "target" / "manifest.json")

    def build_path(self, run_id: str) -> Path:
        """The run's build file, created from the last good build on first use (the
        erasure step creates it, see orchestration/erasure/asset.py), with the incremental
        tables carried over."""
        settings = self.settings()
        path = publish.build_path(settings.warehouse_path, run_id)
        if path.exists():  # every step asks; only the first creates it (no manifest read)
            return path
        return publish.prepare_build(settings.warehouse_path, run_id, self.carried_relations())
