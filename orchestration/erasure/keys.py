"""Erasure keys: which values of a raw row tie it to a person, and their keyed hashes.

A raw row's erasure keys are text `<type>:<value>`:

- `record:<source>.<table>:<primary key>`: the record itself (the identity map's
  record_key with a `record:` prefix);
- `record:<parent table>:<value>` for a column declared `references: <parent table>`
  in the contract (an order line is erased with its order);
- `<identifier>:<normalised value>` for every column whose contract meta names an
  identifier type (email, phone, cookie_id, device_id, ...), except names, birth dates
  and addresses, which many people share.

A tombstone is `pseudonym(key)`, HMAC-SHA256 keyed by `CDP_PSEUDONYM_KEY`: the warehouse
keeps no raw value of an erased person. The same SQL expressions compute the keys of
rows already in the warehouse, of quarantined records (their JSON text) and of rows
being loaded, so a value spelt differently in case or spacing still matches.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

import duckdb
import pyarrow as pa

from orchestration.contract import Column, Table
from orchestration.loader.typing_sql import literal, quote
from orchestration.privacy import DEV_FLAG_ENV, KEY_ENV, pseudonym_key

UDF = "cdp_pseudonym"
# identifier types that many people share: never a tombstone of their own
SHARED_ATTRIBUTES = frozenset({"name", "dob", "address"})


def key_from_env() -> bytes:
    """The pseudonym key, as dbt's plugin reads it; fails when there is none."""
    key = pseudonym_key()
    if key is None:
        raise RuntimeError(
            f"{KEY_ENV} is not set: erasure tombstones are keyed hashes and need the key "
            f"(development only: {DEV_FLAG_ENV}=1 uses a public key)"
        )
    return key


def tombstone(key_text: str, key: bytes) -> str:
    return hmac.new(key, key_text.encode("utf-8"), hashlib.sha256).hexdigest()


def register_udf(conn: duckdb.DuckDBPyConnection) -> None:
    """`cdp_pseudonym(varchar)` on this connection, keyed from the environment."""
    exists = conn.execute(
        "select count(*) from duckdb_functions() where function_name = ?", [UDF]
    ).fetchall()[0][0]
    if exists:
        return
    key = key_from_env()

    def _hash(values: pa.Array) -> pa.Array:
        return pa.array(
            [None if v is None else tombstone(v, key) for v in values.to_pylist()],
            type=pa.string(),
        )

    conn.create_function(UDF, _hash, ["VARCHAR"], "VARCHAR", type="arrow", null_handling="special")


def normalised(identifier: str, text_sql: str) -> str:
    """SQL: the comparable form of an identifier value given as text (null if empty)."""
    x = f"nullif(trim({text_sql}), '')"
    if identifier == "email":
        return f"lower({x})"
    if identifier == "phone":
        digits = f"regexp_replace({x}, '[^0-9+]', '', 'g')"
        international = f"case when {digits} like '00%' then '+' || substr({digits}, 3) end"
        return f"nullif(coalesce({international}, {digits}), '')"
    return x


def column_keys(table: Table, value_sql: Callable[[Column], str]) -> list[str]:
    """SQL expressions, one per erasure key of a row of `table` (null when absent).

    `value_sql(column)` is the SQL for the column's value as text.
    """
    keys: list[str] = []
    if len(table.primary_key) == 1:
        pk = table.column(table.primary_key[0])
        keys.append(f"{literal('record:' + table.key + ':')} || {value_sql(pk)}")
    for column in table.columns:
        if column.references:
            keys.append(f"{literal('record:' + column.references + ':')} || {value_sql(column)}")
        if column.identifier and column.identifier not in SHARED_ATTRIBUTES:
            norm = normalised(column.identifier, value_sql(column))
            keys.append(f"{literal(column.identifier + ':')} || {norm}")
    return keys


def typed_value(column: Column) -> str:
    """A typed raw column as text."""
    return f"cast({quote(column.name)} as varchar)"


def json_value(column: Column) -> str:
    """A column of a quarantined record (raw_record is a JSON object of text values)."""
    return (
        f"case when json_valid(raw_record) then "
        f"json_extract_string(raw_record, {literal('$.' + column.name)}) end"
    )


def identifier_keys(table: Table) -> list[tuple[str, Column]]:
    """(identifier type, column) of the columns that give person tombstones."""
    return [
        (c.identifier, c)
        for c in table.columns
        if c.identifier and c.identifier not in SHARED_ATTRIBUTES
    ]
