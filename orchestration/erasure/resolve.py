"""Who an erasure request is about: every record of the person, through the identity map.

Read from the published (last good) warehouse, read-only:

1. the request's identifier finds its seed records (raw rows of identity-record tables
   whose column of that identifier type has the same normalised value), or the request
   names a `customer_id` or a `record_key` directly;
2. `marts.dim_customer_identity_map` turns the seeds into the customer and every record
   of that customer: all accounts, orders, events, receipts, tickets ... of the person;
3. the erasure keys of those records (`orchestration.erasure.keys`) become tombstones:
   their own record keys, and every identifier on them (emails, phones, cookies,
   devices, account ids) that no other customer's record carries. A shared one (a
   household landline, a shared tablet) is not tombstoned, so other people's rows stay.

A request whose seeds belong to more than one customer (a family mailbox) erases
nothing and is recorded as `needs_review`: file it again by `customer_id` or
`record_key`. One that finds no record is `not_found` (its identifier is tombstoned
all the same). Nothing in a `Resolution` is written anywhere but hashed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from orchestration.contract import Table, load_contract
from orchestration.erasure import keys
from orchestration.erasure.requests import ErasureRequest
from orchestration.loader.typing_sql import literal, quote

ERASE = "done"
# no record carries the identifier: it is tombstoned all the same, so later rows with it
# are dropped; check the spelling (phones in international format) and file again
NOT_FOUND = "not_found"
NEEDS_REVIEW = "needs_review"
TOMBSTONING = (ERASE, NOT_FOUND)


@dataclass
class Resolution:
    request: ErasureRequest
    status: str
    request_key: str
    customer_ids: list[str] = field(default_factory=list)
    record_keys: list[str] = field(default_factory=list)
    # erasure key texts to tombstone; kept in memory only
    tombstone_keys: list[str] = field(default_factory=list)
    shared_kept: int = 0
    detail: str = ""

    @property
    def needles(self) -> list[str]:
        """Identifier values, to find the person in quarantined text that is not JSON."""
        return [
            k.split(":", 1)[1]
            for k in self.tombstone_keys
            if not k.startswith("record:") and len(k.split(":", 1)[1]) >= 6
        ]


def _relation(catalog: str, table: Table) -> str:
    return f"{quote(catalog)}.{quote(table.schema)}.{quote(table.name)}"


def _record_key_sql(table: Table) -> str:
    return f"{literal(table.key + ':')} || cast({quote(table.primary_key[0])} as varchar)"


def _identity_tables() -> list[Table]:
    return [t for t in load_contract() if t.identity_record and len(t.primary_key) == 1]


def _has_relation(conn: duckdb.DuckDBPyConnection, catalog: str, schema: str, name: str) -> bool:
    return bool(
        conn.execute(
            "select count(*) from duckdb_tables() where database_name = ? and schema_name = ? "
            "and table_name = ?",
            [catalog, schema, name],
        ).fetchall()[0][0]
    )


def _request_key(conn: duckdb.DuckDBPyConnection, request: ErasureRequest) -> str:
    if request.identifier_type == "record_key":
        return f"record:{request.identifier_value}"
    if request.identifier_type == "customer_id":
        return f"customer_id:{request.identifier_value}"
    norm = keys.normalised(request.identifier_type, literal(request.identifier_value))
    value = conn.execute(f"select {norm}").fetchall()[0][0]
    return f"{request.identifier_type}:{value}"


def _seeds(
    conn: duckdb.DuckDBPyConnection, catalog: str, request: ErasureRequest, request_key: str
) -> list[str]:
    if request.identifier_type == "record_key":
        return [request.identifier_value]
    if request.identifier_type == "customer_id":
        return []
    seeds: list[str] = []
    for table in _identity_tables():
        for kind, column in keys.identifier_keys(table):
            if kind != request.identifier_type:
                continue
            norm = keys.normalised(kind, f"cast({quote(column.name)} as varchar)")
            seeds += [
                r[0]
                for r in conn.execute(
                    f"select {_record_key_sql(table)} from {_relation(catalog, table)} "
                    f"where {literal(kind + ':')} || {norm} = ?",
                    [request_key],
                ).fetchall()
            ]
    return seeds


def _customers(
    conn: duckdb.DuckDBPyConnection, catalog: str, request: ErasureRequest, seeds: list[str]
) -> list[str]:
    if not _has_relation(conn, catalog, "marts", "dim_customer_identity_map"):
        return []
    if request.identifier_type == "customer_id":
        where, params = "customer_id = ?", [request.identifier_value]
    else:
        conn.register("_seeds", pa.table({"record_key": pa.array(seeds, pa.string())}))
        where, params = "record_key in (select record_key from _seeds)", None
    sql = (
        f"select distinct customer_id from {quote(catalog)}.marts.dim_customer_identity_map "
        f"where {where} order by 1"
    )
    return [r[0] for r in conn.execute(sql, params).fetchall()]


def _person_records(
    conn: duckdb.DuckDBPyConnection, catalog: str, customers: list[str], seeds: list[str]
) -> list[str]:
    records = set(seeds)
    if customers:
        conn.register("_customers", pa.table({"customer_id": pa.array(customers, pa.string())}))
        records |= {
            r[0]
            for r in conn.execute(
                f"select record_key from {quote(catalog)}.marts.dim_customer_identity_map "
                "where customer_id in (select customer_id from _customers)"
            ).fetchall()
        }
    return sorted(records)


def _keys_of(
    conn: duckdb.DuckDBPyConnection, catalog: str, records: list[str]
) -> tuple[set[str], set[str]]:
    """(erasure keys on the person's records, identifier keys also on other records)."""
    conn.register("_records", pa.table({"record_key": pa.array(records, pa.string())}))
    mine: set[str] = set()
    for table in _identity_tables():
        exprs = keys.column_keys(table, lambda c: f"cast({quote(c.name)} as varchar)")
        mine |= {
            r[0]
            for r in conn.execute(
                f"select distinct k from (select unnest([{', '.join(exprs)}]) as k "
                f"from {_relation(catalog, table)} "
                f"where {_record_key_sql(table)} in (select record_key from _records)) "
                "where k is not null"
            ).fetchall()
        }
    conn.register(
        "_mine", pa.table({"k": pa.array(sorted(k for k in mine if not k.startswith("record:")))})
    )
    shared: set[str] = set()
    for table in _identity_tables():
        exprs = [
            f"{literal(kind + ':')} || "
            + keys.normalised(kind, f"cast({quote(column.name)} as varchar)")
            for kind, column in keys.identifier_keys(table)
        ]
        if not exprs:
            continue
        shared |= {
            r[0]
            for r in conn.execute(
                f"select distinct k from (select unnest([{', '.join(exprs)}]) as k "
                f"from {_relation(catalog, table)} "
                f"where {_record_key_sql(table)} not in (select record_key from _records)) "
                "where k in (select k from _mine)"
            ).fetchall()
        }
    return mine, shared


def resolve(published: Path, requests: list[ErasureRequest]) -> list[Resolution]:
    """One resolution per request, against the published warehouse (if there is one)."""
    conn = duckdb.connect()
    try:
        catalog = published.stem
        if published.exists():
            conn.execute(f"attach {literal(str(published))} as {quote(catalog)} (read_only)")
        out = []
        for request in requests:
            request_key = _request_key(conn, request)
            if not published.exists():
                out.append(
                    Resolution(request, NOT_FOUND, request_key, tombstone_keys=[request_key])
                )
                continue
            seeds = _seeds(conn, catalog, request, request_key)
            customers = _customers(conn, catalog, request, seeds)
            if len(customers) > 1:
                out.append(
                    Resolution(
                        request,
                        NEEDS_REVIEW,
                        request_key,
                        customer_ids=customers,
                        detail=f"the identifier belongs to {len(customers)} customers: "
                        "file the request by customer_id or record_key",
                    )
                )
                continue
            records = _person_records(conn, catalog, customers, seeds)
            mine, shared = _keys_of(conn, catalog, records) if records else (set(), set())
            tombstones = (mine - shared) | (
                {request_key} if request.identifier_type not in ("customer_id",) else set()
            )
            tombstones -= shared
            out.append(
                Resolution(
                    request,
                    ERASE if records else NOT_FOUND,
                    request_key,
                    customer_ids=customers,
                    record_keys=records,
                    tombstone_keys=sorted(tombstones),
                    shared_kept=len(shared),
                    detail="" if records else "no record carries this identifier: tombstoned only",
                )
            )
        return out
    finally:
        conn.close()
