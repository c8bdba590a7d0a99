"""`privacy/erasure_requests`: the first step of every build, before any load or model.

Reads the request files (`orchestration.erasure.requests`), skips the request ids the
published warehouse already processed, resolves the new ones through its identity map
(`orchestration.erasure.resolve`) and creates the run's build file with the persons left
out of the copied raw layer (`orchestration.erasure.copy`). Every raw load depends on
it, so the loads (which drop rows with a tombstoned key) and dbt run on the cleaned file.
"""

from pathlib import Path

import dagster as dg
import duckdb

from orchestration import publish
from orchestration.erasure import tables
from orchestration.erasure.copy import ErasureCopy
from orchestration.erasure.requests import ErasureRequest, read_requests
from orchestration.erasure.resolve import resolve
from orchestration.resources import WarehouseResource

ERASURE_KEY = dg.AssetKey(["privacy", "erasure_requests"])


def processed_request_ids(published: Path) -> set[str]:
    if not published.exists():
        return set()
    with duckdb.connect(str(published), read_only=True) as conn:
        exists = conn.execute(
            "select count(*) from duckdb_tables() where schema_name = ? "
            "and table_name = 'erasure_requests'",
            [tables.META],
        ).fetchall()[0][0]
        if not exists:
            return set()
        return {r[0] for r in conn.execute(f"select request_id from {tables.REQUESTS}").fetchall()}


def prepare_with_erasures(
    published: Path,
    build_id: str,
    requests: list[ErasureRequest],
    incremental: list[tuple[str, str]] | None = None,
) -> tuple[Path, list[dict[str, object]]]:
    """Create build `build_id` with the new requests applied; (its file, audit summary).
    `incremental`: the incremental tables to carry over (publish.prepare_build)."""
    carried = incremental or []
    pending = [r for r in requests if r.request_id not in processed_request_ids(published)]
    if not pending:
        return publish.prepare_build(published, build_id, carried), []
    resolutions = resolve(published, pending)
    # this is the build's first step: a file left by an earlier try holds only a copy
    publish.discard_build(published, build_id)
    path = publish.prepare_build(
        published, build_id, carried, raw_copy=ErasureCopy(resolutions, build_id)
    )
    with duckdb.connect(str(path), read_only=True) as conn:
        audit = conn.execute(
            f"select request_id, status, customers_found, records_found, rows_erased_raw, "
            f"rows_erased_quarantine from {tables.REQUESTS} where build_id = ? order by 1",
            [build_id],
        ).fetchall()
    names = ("request_id", "status", "customers", "records", "rows_raw", "rows_quarantine")
    return path, [dict(zip(names, row, strict=True)) for row in audit]


@dg.asset(
    key=ERASURE_KEY,
    group_name="privacy",
    kinds={"duckdb"},
    pool="warehouse_writer",
    description="Applies new erasure requests (ERASURE_REQUESTS_DIR): the persons' rows are "
    "left out of the build's raw layer, tombstones keep them from being loaded again.",
)
def erasure_requests(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    settings = warehouse.settings()
    requests = read_requests(settings.erasure_dir)
    _, audit = prepare_with_erasures(
        settings.warehouse_path, context.run.run_id, requests, warehouse.carried_relations()
    )
    for row in audit:
        context.log.info(f"erasure request {row['request_id']}: {row}")
    return dg.MaterializeResult(
        metadata={
            "requests_in_folder": len(requests),
            "requests_processed": len(audit),
            "needs_review": [r["request_id"] for r in audit if r["status"] == "needs_review"],
            "not_found": [r["request_id"] for r in audit if r["status"] == "not_found"],
            "rows_erased_raw": sum(int(r["rows_raw"]) for r in audit),
            "rows_erased_quarantine": sum(int(r["rows_quarantine"]) for r in audit),
        }
    )
