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

from orchestration.contract import PROJECT_DIR, Table, load_contract

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


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


def export_parquet(conn: duckdb.DuckDBPyConnection, table: Table, target: Path) -> int:
    """Write one raw table to a Parquet file; returns its row count."""
    if target.exists():
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    relation = f'"{table.schema}"."{table.name}"'
    # COPY answers with the number of rows it wrote
    row = conn.execute(f"copy (select * from {relation}) to '{target}' (format parquet)").fetchone()
    return int(row[0]) if row else 0


def publish(warehouse: Path, paths: SparkPaths) -> list[tuple[str, int]]:
    """Export every raw table of the contract and (re)register it in Spark."""
    conn = duckdb.connect(str(warehouse), read_only=True)
    exported: list[tuple[Table, Path, int]] = []
    try:
        if paths.raw_dir.exists():
            shutil.rmtree(paths.raw_dir)
        for table in load_contract():
            target = paths.raw_dir / table.schema / f"{table.name}.parquet"
            exported.append((table, target, export_parquet(conn, table, target)))
    finally:
        conn.close()
    spark = spark_session(paths)
    published = []
    for table, target, rows in exported:
        spark.sql(f"create database if not exists {table.schema}")
        spark.sql(f"drop table if exists {table.schema}.{table.name}")
        spark.sql(f"create table {table.schema}.{table.name} using parquet location '{target}'")
        counted = spark.table(f"{table.schema}.{table.name}").count()
        if counted != rows:
            raise RuntimeError(
                f"{table.schema}.{table.name}: Spark reads {counted} rows, DuckDB exported {rows}"
            )
        published.append((f"{table.schema}.{table.name}", rows))
    return published
