"""SQL (DuckDB) that turns the loader's text values into the contract's types.

Every expression is strict: a value either parses exactly as the contract says or
yields NULL, and the loader then quarantines the row naming the column and the value.
Nothing is coerced silently (no "1e3" as an integer, no rounding of "12.345" into
DECIMAL(12,2), no "12.50" in a decimal-comma file read as 1250).
"""

from __future__ import annotations

import re

from orchestration.contract import Column, Table

_DECIMAL = re.compile(r"decimal\((\d+),\s*(\d+)\)")


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def duckdb_type(column: Column) -> str:
    return column.data_type.upper()


def parse_expression(table: Table, column: Column) -> tuple[str, str]:
    """(SQL that parses the text value, what a valid value looks like)."""
    x = f"trim({quote(column.name)})"
    base = column.base_type
    if base == "varchar":
        return quote(column.name), "text"
    if base == "bigint":
        return (
            f"case when regexp_full_match({x}, '[+-]?[0-9]+') then try_cast({x} as bigint) end",
            "an integer",
        )
    if base == "double":
        return f"try_cast({x} as double)", "a number"
    if base == "boolean":
        return (
            f"case when lower({x}) in ('true', 't', '1', 'yes', 'y') then true "
            f"when lower({x}) in ('false', 'f', '0', 'no', 'n') then false end",
            "a boolean (true/false)",
        )
    if base == "decimal":
        m = _DECIMAL.fullmatch(column.data_type.replace(" ", ""))
        if not m:
            raise ValueError(f"{table.key}.{column.name}: write decimals as decimal(p,s)")
        scale = int(m.group(2))
        frac = f"([.][0-9]{{1,{scale}}})?" if scale else ""
        if table.decimal_separator == ",":
            frac_c = f"(,[0-9]{{1,{scale}}})?" if scale else ""
            pattern = f"[+-]?([0-9]{{1,3}}([.][0-9]{{3}})+|[0-9]+){frac_c}"
            text = f"replace(replace({x}, '.', ''), ',', '.')"
            expected = f"a decimal with decimal comma and at most {scale} decimals"
        else:
            pattern = f"[+-]?[0-9]+{frac}"
            text = x
            expected = f"a decimal with at most {scale} decimals"
        return (
            f"case when regexp_full_match({x}, {literal(pattern)}) "
            f"then try_cast({text} as {duckdb_type(column)}) end",
            expected,
        )
    if base == "date":
        return (
            f"cast(try_strptime({x}, {literal(table.date_format)}) as date)",
            f"a date as {table.date_format}",
        )
    if base == "timestamp":
        if table.timestamp_format == "%Y-%m-%d %H:%M:%S" and table.timezone == "UTC":
            # ISO-8601, with or without 'T', fraction and offset; stored as UTC.
            return (
                f"timezone('UTC', try_cast({x} as timestamptz))",
                "an ISO-8601 timestamp",
            )
        local = f"try_strptime({x}, {literal(table.timestamp_format)})"
        return (
            f"timezone('UTC', timezone({literal(table.timezone)}, {local}))",
            f"a timestamp as {table.timestamp_format} ({table.timezone})",
        )
    raise ValueError(f"{table.key}.{column.name}: unsupported type {column.data_type}")


def typed_name(column: Column) -> str:
    """The column that holds a value's parsed form beside its text (the loader's
    `_checked` batch has both)."""
    return quote("_typed_" + column.name)


def column_error(table: Table, column: Column, parsed: str) -> str:
    """SQL yielding the reason a value of this column is invalid, else NULL. `parsed`:
    SQL of the value already parsed (by `parse_expression`)."""
    raw = quote(column.name)
    _, expected = parse_expression(table, column)
    shown = f"left({raw}, 60)"
    checks = []
    if column.required:
        checks.append(f"when {raw} is null or trim({raw}) = '' then 'required value is missing'")
    if column.base_type != "varchar":
        checks.append(
            f"when {raw} is not null and ({parsed}) is null "
            f"then 'value ''' || {shown} || ''' is not {expected}'"
        )
    if not checks:
        return "null"
    return "case " + " ".join(checks) + " end"
