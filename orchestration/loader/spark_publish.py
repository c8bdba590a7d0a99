"""Publish the validated raw tables to Spark, for `dbt build --target spark`.

Raw files are always loaded through the DuckDB loader first: one strict reader, one
quarantine, one reconciliation, whatever the target. This step then writes each raw
table (lineage columns included) to Parquet under SPARK_DATA_DIR and registers it in the
Spark metastore as `raw_<source>.<table>`, the schema the dbt sources name, so the same
models build on Spark. The Spark session is configured like dbt-spark's `session`
method (profiles.yml): the same warehouse directory and Derby metastore.

    python -m orchestration spark-publish
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from orchestration.contract import PROJECT_DIR, load_contract
from orchestration.customer.btyd import PARAMETER_SCHEMA

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

# schemas of tables the Python assets write and dbt reads as sources
PYTHON_ASSET_SCHEMAS = (PARAMETER_SCHEMA,)


@dataclass(frozen=True)
class SparkPaths:
    """Where the local Spark target keeps its files (profiles.yml reads the same vars)."""

    root: Path

    @classmethod
    def from_env(cls) -> SparkPaths:
        value = Path(os.environ.get("SPARK_DATA_DIR", "spark-data")).expanduser()
        return cls(root=value if value.is_absolute() else PROJECT_DIR / value)

    @property
    def warehouse_dir(self) -> Path:
        return self.root / "warehouse"

    @property
    def metastore_dir(self) -> Path:
        return self.root / "metastore_db"

    @property
    def raw_dir(self) -> Path:
        return self.root / "raw"


def spark_session(paths: SparkPaths) -> SparkSession:
    """A local session with the settings dbt-spark's session method gets from profiles.yml."""
    from pyspark.sql import SparkSession

    paths.root.mkdir(parents=True, exist_ok=True)
    return (
        SparkSession.builder.appName("omnichannel-cdp-publish")
        .config("spark.sql.warehouse.dir", str(paths.warehouse_dir))
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={paths.metastore_dir};create=true",
        )
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", os.environ.get("SPARK_SHUFFLE_PARTITIONS", "4"))
        .enableHiveSupport()
        .getOrCreate()
    )


def export_parquet(conn: duckdb.DuckDBPyConnection, schema: str, name: str, target: Path) -> int:
    """Write one table to a Parquet file; returns its row count."""
    if target.exists():
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    relation = f'"{schema}"."{name}"'
    # COPY answers with the number of rows it wrote
    row = conn.execute(f"copy (select * from {relation}) to '{target}' (format parquet)").fetchone()
    return int(row[0]) if row else 0


def _tables(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(schema, table) of every raw table of the contract, then of every table the
    project's Python assets wrote that dbt reads as a source (schema ml: the fitted
    BTYD parameters; without them the Spark build would fall back to the seed and
    score CLV and churn risk differently from the DuckDB build)."""
    raw = [(table.schema, table.name) for table in load_contract()]
    python_written = conn.execute(
        "select table_schema, table_name from information_schema.tables "
        "where list_contains(?, table_schema) order by table_schema, table_name",
        [list(PYTHON_ASSET_SCHEMAS)],
    ).fetchall()
    return raw + python_written


def publish(warehouse: Path, paths: SparkPaths) -> list[tuple[str, int]]:
    """Export every raw table of the contract, and the Python assets' tables dbt reads,
    and (re)register them in Spark."""
    conn = duckdb.connect(str(warehouse), read_only=True)
    exported: list[tuple[str, str, Path, int]] = []
    try:
        if paths.raw_dir.exists():
            shutil.rmtree(paths.raw_dir)
        for schema, name in _tables(conn):
            target = paths.raw_dir / schema / f"{name}.parquet"
            exported.append((schema, name, target, export_parquet(conn, schema, name, target)))
    finally:
        conn.close()
    spark = spark_session(paths)
    published = []
    for schema, name, target, rows in exported:
        spark.sql(f"create database if not exists {schema}")
        spark.sql(f"drop table if exists {schema}.{name}")
        spark.sql(f"create table {schema}.{name} using parquet location '{target}'")
        counted = spark.table(f"{schema}.{name}").count()
        if counted != rows:
            raise RuntimeError(
                f"{schema}.{name}: Spark reads {counted} rows, DuckDB exported {rows}"
            )
        published.append((f"{schema}.{name}", rows))
    return published
