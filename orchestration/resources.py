"""Dagster resources."""

from __future__ import annotations

import dagster as dg

from orchestration.settings import Settings


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file and the folder of raw channel exports.

    Both come from the environment (`WAREHOUSE_PATH`, `RAW_DATA_DIR`; see `Settings`) and
    nowhere else, because the dbt subprocess reads the same variables through
    `profiles.yml`: the loader and dbt can never point at different files.
    """

    def settings(self) -> Settings:
        return Settings.from_env()
