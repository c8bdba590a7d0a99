"""Before a build is published: no erased record may be back in the identity map.

Every record of an erased person was tombstoned by its record key. dbt rebuilds the
identity map from the raw layer, which no longer holds them; this proves it on the
build itself, so a regression (a new source not covered by the erasure keys, a model
reading a table outside the raw layer) stops the publish instead of re-exposing a
person. Without tombstones nothing is hashed.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.erasure import keys, tables

MAP = "marts.dim_customer_identity_map"


def erased_records_in_marts(build: Path) -> int:
    """How many rows of the build's identity map are tombstoned records (must be 0)."""
    with duckdb.connect(str(build), read_only=True) as conn:
        if not tables.has_tombstones(conn):
            return 0
        keys.register_udf(conn)
        return int(
            conn.execute(
                f"""select count(*) from {MAP}
                where {keys.UDF}('record:' || record_key) in (
                    select tombstone_hash from {tables.TOMBSTONES}
                    where key_type like 'record:%')"""
            ).fetchall()[0][0]
        )
