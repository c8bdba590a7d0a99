"""One Dagster asset per raw table, keyed like the dbt source (`<source>/<table>`).

Each asset loads the table's new files from the raw folder after the run's erasure step
(`privacy/erasure_requests`); two blocking asset checks guard it: every loaded file
reconciles (rows in file = loaded + quarantined + erased), and the
table passes its Great Expectations suite. A third, non-blocking check warns when a
load quarantined more than `QUARANTINE_WARN_RATE` of a file's rows.
"""

import time
from collections.abc import Sequence

import dagster as dg
import duckdb

from orchestration.contract import Table, load_contract
from orchestration.erasure.asset import ERASURE_KEY
from orchestration.erasure.tables import LEDGER
from orchestration.loader import META_SCHEMA, connect, load_table
from orchestration.loader.typing_sql import quote
from orchestration.quality.gx_suites import validate_frame
from orchestration.resources import WarehouseResource

QUARANTINE_WARN_RATE = 0.01
LOAD_RETRY_POLICY = dg.RetryPolicy(max_retries=2, delay=5)


def asset_key(table: Table) -> dg.AssetKey:
    return dg.AssetKey([table.source, table.name])


def _read_only(
    warehouse: WarehouseResource, context: dg.AssetCheckExecutionContext
) -> duckdb.DuckDBPyConnection:
    """The run's build file, read-only (the checks judge what this run built)."""
    return duckdb.connect(str(warehouse.build_path(context.run.run_id)), read_only=True)


def _load_asset(table: Table) -> dg.AssetsDefinition:
    @dg.asset(
        key=asset_key(table),
        group_name=f"raw_{table.source}",
        description=f"{table.description}\n\nLoaded from `{table.path}` ({table.file_format}).",
        kinds={"duckdb", table.file_format},
        metadata={"contract_columns": len(table.columns), "path_glob": table.path},
        pool="warehouse_writer",
        # erasures first: the build's raw layer is copied without the erased persons
        deps=[ERASURE_KEY],
        # Safe to retry: each file loads in one transaction and a loaded file is skipped.
        retry_policy=LOAD_RETRY_POLICY,
    )
    def _asset(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        settings = warehouse.settings()
        started = time.perf_counter()
        conn = connect(warehouse.build_path(context.run.run_id))
        try:
            result = load_table(conn, table, settings.raw_data_dir)
            total = conn.execute(
                f"select count(*) from {quote(table.schema)}.{quote(table.name)}"
            ).fetchall()[0][0]
        finally:
            conn.close()
        for f in result.files:
            if f.status != "skipped":
                context.log.info(
                    f"{f.source_file}: {f.status}, {f.rows_in_file} rows = {f.rows_loaded} "
                    f"loaded + {f.rows_quarantined} quarantined"
                    + (f"; {'; '.join(f.warnings)}" if f.warnings else "")
                )
        return dg.MaterializeResult(
            metadata={
                "files_new": sum(f.status != "skipped" for f in result.files),
                "files_skipped": sum(f.status == "skipped" for f in result.files),
                "rows_loaded": result.rows_loaded,
                "rows_quarantined": result.rows_quarantined,
                "dagster/row_count": int(total),
                "duration_s": round(time.perf_counter() - started, 3),
            }
        )

    return _asset


def _reconciliation_check(table: Table) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=asset_key(table),
        name="files_reconcile",
        blocking=True,
        description="For every loaded file: rows in file = rows in the raw table + rows in "
        "quarantine + rows erased (raw_meta.erasure_ledger), counted independently of the "
        "load log's own totals.",
    )
    def _check(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> dg.AssetCheckResult:
        with _read_only(warehouse, context) as conn:
            bad = conn.execute(
                f"""select l.source_file, l.rows_in_file, coalesce(r.n, 0), coalesce(q.n, 0),
                    coalesce(e.n, 0)
                from {META_SCHEMA}.load_log l
                left join (select _file_hash, count(*) n from {quote(table.schema)}.
                           {quote(table.name)} group by 1) r on r._file_hash = l.file_hash
                left join (select file_hash, count(*) n from {META_SCHEMA}.quarantine
                           where table_name = ? group by 1) q on q.file_hash = l.file_hash
                left join (select file_hash, sum(rows_erased) n from {LEDGER}
                           where table_name = ? group by 1) e on e.file_hash = l.file_hash
                where l.table_name = ?
                  and l.rows_in_file <> coalesce(r.n, 0) + coalesce(q.n, 0) + coalesce(e.n, 0)""",
                [table.key, table.key, table.key],
            ).fetchall()
        return dg.AssetCheckResult(
            passed=not bad,
            metadata={
                "unreconciled_files": [f"{f}: {n} != {r} + {q} + {e}" for f, n, r, q, e in bad]
            },
        )

    return _check


def _quarantine_rate_check(table: Table) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=asset_key(table),
        name="quarantine_rate",
        description=f"Warns when a file had more than {QUARANTINE_WARN_RATE:.0%} of its rows "
        "quarantined; see raw_meta.quarantine for file, line, column and reason.",
    )
    def _check(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> dg.AssetCheckResult:
        with _read_only(warehouse, context) as conn:
            rows = conn.execute(
                f"""select source_file, rows_in_file, rows_quarantined from {META_SCHEMA}.load_log
                where table_name = ? and rows_quarantined > ? * greatest(rows_in_file, 1)""",
                [table.key, QUARANTINE_WARN_RATE],
            ).fetchall()
        return dg.AssetCheckResult(
            passed=not rows,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"files_over_threshold": [f"{f}: {q}/{n}" for f, n, q in rows]},
        )

    return _check


def _gx_check(table: Table) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=asset_key(table),
        name="gx_contract_suite",
        blocking=True,
        description="Great Expectations suite built from the contract: exact columns, required "
        "columns not null, primary key unique, lineage present.",
    )
    def _check(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> dg.AssetCheckResult:
        with _read_only(warehouse, context) as conn:
            frame = conn.execute(f"select * from {quote(table.schema)}.{quote(table.name)}").df()
        outcome = validate_frame(table, frame)
        return dg.AssetCheckResult(
            passed=outcome.success,
            metadata={
                "expectations": outcome.evaluated,
                "failed": outcome.failed,
                "rows": outcome.rows,
            },
        )

    return _check


def build_raw_assets(
    tables: Sequence[Table] | None = None,
) -> tuple[list[dg.AssetsDefinition], list[dg.AssetChecksDefinition]]:
    tables = tables if tables is not None else load_contract()
    assets = [_load_asset(t) for t in tables]
    checks = [
        check
        for t in tables
        for check in (_reconciliation_check(t), _quarantine_rate_check(t), _gx_check(t))
    ]
    return assets, checks
