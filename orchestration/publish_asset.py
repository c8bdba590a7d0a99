"""`warehouse/published`: the last asset of a build, which swaps the run's file in for BI.

It depends on every raw load and every dbt node, so Dagster runs it last and skips it
when any of them failed or a blocking check (a Great Expectations suite, a file that
does not reconcile, an error-severity dbt test) stopped the run. It then checks the
run's own event log once more (every upstream asset materialised in this run, no
error-severity check failed: a run of a subset must not publish a partial warehouse),
that no erased record is back in the identity map (`orchestration.erasure.guard`), and
calls `orchestration.publish.publish_build`.
"""

from collections.abc import Sequence

import dagster as dg
import duckdb

from orchestration import publish
from orchestration.erasure.guard import erased_records_in_marts
from orchestration.resources import WarehouseResource

PUBLISHED_KEY = dg.AssetKey(["warehouse", "published"])


def _run_outcome(
    context: dg.AssetExecutionContext,
) -> tuple[set[dg.AssetKey], list[str]]:
    """(assets materialised in this run, error-severity checks that failed in it)."""
    records = context.instance.all_logs(
        context.run.run_id,
        of_type={
            dg.DagsterEventType.ASSET_MATERIALIZATION,
            dg.DagsterEventType.ASSET_CHECK_EVALUATION,
        },
    )
    materialised: set[dg.AssetKey] = set()
    failed: list[str] = []
    for record in records:
        event = record.dagster_event
        if event is None:
            continue
        if event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            materialised.add(event.asset_key)
        else:
            evaluation = event.event_specific_data
            if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
                failed.append(f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}")
    return materialised, failed


def _row_counts(path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as conn:
        names = conn.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name in ('staging', 'intermediate', 'marts') order by 1, 2"
        ).fetchall()
        return {
            f"{s}.{t}": int(conn.execute(f'select count(*) from "{s}"."{t}"').fetchall()[0][0])
            for s, t in names
        }


def build_publish_asset(upstream: Sequence[dg.AssetsDefinition]) -> dg.AssetsDefinition:
    required = {key for assets in upstream for key in assets.keys}

    @dg.asset(
        key=PUBLISHED_KEY,
        deps=sorted(required, key=lambda k: k.to_user_string()),
        group_name="publish",
        kinds={"duckdb"},
        pool="warehouse_writer",
        description="Swaps the run's tested build file in as the warehouse BI tools read "
        "(WAREHOUSE_PATH), atomically; skipped when anything upstream failed.",
    )
    def _publish(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        materialised, failed = _run_outcome(context)
        missing = sorted(k.to_user_string() for k in required - materialised)
        if missing or failed:
            raise dg.Failure(
                description="not publishing: the build is incomplete or failed a check",
                metadata={"not_materialised": missing[:50], "failed_checks": failed[:50]},
                allow_retries=False,
            )
        settings = warehouse.settings()
        erased_back = erased_records_in_marts(warehouse.build_path(context.run.run_id))
        if erased_back:
            raise dg.Failure(
                description="not publishing: erased records are in the identity map again",
                metadata={"erased_records_in_marts": erased_back},
                allow_retries=False,
            )
        result = publish.publish_build(settings.warehouse_path, context.run.run_id)
        rows = _row_counts(result.path)
        context.log.info(f"published build {result.build_id} to {result.path}")
        return dg.MaterializeResult(
            metadata={
                "build_id": result.build_id,
                "replaced_build_id": result.base_build_id or "",
                "path": str(result.path),
                "tables": result.tables,
                "bytes": result.bytes,
                "rows_marts": sum(n for k, n in rows.items() if k.startswith("marts.")),
                "row_counts": rows,
            }
        )

    return _publish
