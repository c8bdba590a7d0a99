"""Read-only access to the published warehouse.

Every query is a parameterised SQL string with explicit columns, run on a read-only
connection (external access off) that is opened once per published version of the file, so
that a build published with `os.replace` is picked up and nothing the dashboard runs can
write. Results are cached per (file, modification time,
query, parameters), so a new publish invalidates them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

CACHE_TTL_SECONDS = 600


@dataclass(frozen=True)
class Warehouse:
    """The published warehouse file the dashboard reads."""

    path: Path

    @classmethod
    def from_environment(cls) -> Warehouse:
        """`CDP_DASHBOARD_WAREHOUSE`, else `WAREHOUSE_PATH`, else ./warehouse.duckdb."""
        configured = os.environ.get("CDP_DASHBOARD_WAREHOUSE") or os.environ.get(
            "WAREHOUSE_PATH", "warehouse.duckdb"
        )
        return cls(Path(configured).resolve())

    def version(self) -> float:
        """Modification time of the published file: changes with every publish."""
        return self.path.stat().st_mtime

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> pd.DataFrame:
        """Run one parameterised query; cached until the file is republished."""
        return _cached_query(str(self.path), self.version(), sql, params)


def connect_read_only(path: str) -> duckdb.DuckDBPyConnection:
    """A connection that can neither write the file nor reach files or the network."""
    return duckdb.connect(
        path,
        read_only=True,
        config={"enable_external_access": False, "lock_configuration": True},
    )


def _close(connection: duckdb.DuckDBPyConnection) -> None:
    connection.close()


@st.cache_resource(max_entries=2, show_spinner=False, on_release=_close)
def _connection(path: str, version: float) -> duckdb.DuckDBPyConnection:
    """One read-only connection per published version of the file: opening the file
    costs tens of milliseconds (benchmarks/bi_point_queries.py), a query on an open
    connection one or two. A new publish (a new modification time) opens the new file;
    the old connection keeps its consistent view until it is evicted."""
    del version  # part of the cache key only
    return connect_read_only(path)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _cached_query(path: str, version: float, sql: str, params: tuple[Any, ...]) -> pd.DataFrame:
    # a cursor per query: Streamlit serves sessions from several threads
    with _connection(path, version).cursor() as cursor:
        return cursor.execute(sql, list(params)).df()


def close_connections() -> None:
    """Close the cached connections: for code that runs the dashboard's queries outside
    Streamlit and then opens the file itself (DuckDB refuses a second connection to a
    file with another configuration in the same process)."""
    _connection.clear()
