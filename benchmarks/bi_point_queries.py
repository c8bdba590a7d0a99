"""BI point queries on the published warehouse: latency per query, p50 / p95 / max.

    .venv/bin/python benchmarks/bi_point_queries.py --warehouse warehouse.duckdb
    .venv/bin/python benchmarks/bi_point_queries.py --warehouse /tmp/cdp_1m/warehouse.duckdb

Runs the Customer-360 dashboard's own queries (dashboard/search.py and
dashboard/panels/profile.py) for randomly drawn customers, read-only: the profile by
customer id, and the customer search by email (golden record and every linked email,
through the pseudonymised link nodes of customer_identifier_lookup). Each is timed two ways: on
one open read-only connection (what the dashboard and a BI tool's connection pool do) and
with a fresh connection per query (a client that connects for every query pays the file
open each time). The target of issue 7 is p95 <= 50 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from pathlib import Path

import duckdb

from dashboard.data import connect_read_only
from dashboard.panels.profile import PROFILE_SQL
from dashboard.search import (
    EMAIL_TYPES,
    RESULT_LIMIT,
    SEARCH_BY_IDENTIFIER_SQL,
    canonical_email,
    link_nodes,
    normalize_settings,
)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _sample(path: Path, n: int, seed: int) -> list[tuple[str, str]]:
    """(customer_id, email) of n customers with a golden email."""
    with connect_read_only(str(path)) as conn:
        rows = conn.execute(
            "select customer_id, email from marts.dim_customer where email is not null "
            "order by customer_id"
        ).fetchall()
    return random.Random(seed).sample(rows, min(n, len(rows)))


def _email_params(email: str) -> tuple[list[str], list[str]]:
    canonical = canonical_email(email, normalize_settings()) or email
    return link_nodes(EMAIL_TYPES, [canonical]), [email]


def _time(conn: duckdb.DuckDBPyConnection, sql: str, params: list) -> float:
    started = time.perf_counter()
    conn.execute(sql, params).fetchall()
    return (time.perf_counter() - started) * 1000


def _time_fresh(path: Path, sql: str, params: list) -> float:
    """Connect read-only, query, close: the dashboard's cache miss."""
    started = time.perf_counter()
    with connect_read_only(str(path)) as conn:
        conn.execute(sql, params).fetchall()
    return (time.perf_counter() - started) * 1000


def _report(name: str, millis: list[float]) -> str:
    return (
        f"{name:<62} n={len(millis):>4}  p50 {statistics.median(millis):7.2f} ms  "
        f"p95 {_percentile(millis, 0.95):7.2f} ms  max {max(millis):7.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--warehouse", type=Path, default=Path(os.environ.get("WAREHOUSE_PATH", "warehouse.duckdb"))
    )
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    path = args.warehouse.resolve()
    sample = _sample(path, args.queries, args.seed)
    search_sql = SEARCH_BY_IDENTIFIER_SQL.format(golden_column="email", limit=RESULT_LIMIT)
    queries = {
        "profile by customer id": lambda cid, _: (PROFILE_SQL, [cid]),
        "search by email (golden + linked emails)": lambda _, email: (
            search_sql,
            list(_email_params(email)),
        ),
    }
    with duckdb.connect(str(path), read_only=True) as conn:
        customers = conn.execute("select count(*) from marts.dim_customer").fetchall()[0][0]
    print(f"{path} ({path.stat().st_size / 1e6:,.0f} MB, {customers:,} customers)")
    for name, build in queries.items():
        calls = [build(cid, email) for cid, email in sample]
        with connect_read_only(str(path)) as conn:
            conn.execute(*calls[0]).fetchall()  # warm the file cache once
            pooled = [_time(conn, sql, params) for sql, params in calls]
        print(_report(f"{name}, open connection", pooled))
        fresh = [_time_fresh(path, sql, params) for sql, params in calls]
        print(_report(f"{name}, connection per query", fresh))


if __name__ == "__main__":
    main()
