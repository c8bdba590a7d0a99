"""The raw channel contract, read from the dbt source YAML files.

The `_<source>__sources.yml` files under `models/staging/` are the single source of
truth for the raw export format of every channel: file format, path pattern,
delimiter, encoding, column names, types, PII tags and required columns. The loader,
the generator, the Great Expectations suites and `docs/raw_contract.md` all read the
contract through this module, so a change to the YAML changes all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent
STAGING_DIR = PROJECT_DIR / "models" / "staging"

SUPPORTED_FORMATS = ("csv", "jsonl", "parquet")
SUPPORTED_TYPES = ("varchar", "bigint", "double", "boolean", "date", "timestamp")
DEFAULT_TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    description: str
    required: bool = False
    pii: bool = False
    identifier: str | None = None
    # `<source>.<table>` whose primary key this column holds (a child row of that record)
    references: str | None = None

    @property
    def base_type(self) -> str:
        """Type family without precision: `decimal(12,2)` -> `decimal`."""
        return self.data_type.split("(")[0].strip().lower()


@dataclass(frozen=True)
class Table:
    source: str
    name: str
    schema: str
    description: str
    file_format: str
    path: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    delimiter: str = ","
    encoding: str = "utf-8"
    decimal_separator: str = "."
    timestamp_format: str = DEFAULT_TIMESTAMP_FORMAT
    date_format: str = DEFAULT_DATE_FORMAT
    timezone: str = "UTC"
    identity_record: bool = False
    extra_meta: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """`<source>.<table>`, the name used in logs, ground truth and asset keys."""
        return f"{self.source}.{self.name}"

    @property
    def relation(self) -> str:
        """Fully qualified raw table name in the warehouse."""
        return f"{self.schema}.{self.name}"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.key} has no column {name!r}")


def _meta(node: dict[str, Any]) -> dict[str, Any]:
    return ((node.get("config") or {}).get("meta") or {}) | (node.get("meta") or {})


def _parse_table(source: dict[str, Any], node: dict[str, Any], origin: Path) -> Table:
    meta = _meta(node)
    where = f"{origin.relative_to(PROJECT_DIR)}: {source['name']}.{node['name']}"
    fmt = meta.get("format")
    if fmt not in SUPPORTED_FORMATS:
        raise ValueError(f"{where}: meta.format must be one of {SUPPORTED_FORMATS}, got {fmt!r}")
    if "path" not in meta:
        raise ValueError(f"{where}: meta.path (glob under RAW_DATA_DIR) is required")
    columns = []
    for col in node.get("columns") or []:
        cmeta = _meta(col)
        data_type = str(col.get("data_type", "")).lower()
        base = data_type.split("(")[0]
        if base not in SUPPORTED_TYPES and base != "decimal":
            raise ValueError(f"{where}.{col['name']}: unsupported data_type {data_type!r}")
        columns.append(
            Column(
                name=col["name"],
                data_type=data_type,
                description=col.get("description", ""),
                required=bool(cmeta.get("required", False)),
                pii=bool(cmeta.get("pii", False)),
                identifier=cmeta.get("identifier"),
                references=cmeta.get("references"),
            )
        )
    pk = meta.get("primary_key") or []
    pk = (pk,) if isinstance(pk, str) else tuple(pk)
    known = {
        "format",
        "path",
        "delimiter",
        "encoding",
        "decimal_separator",
        "timestamp_format",
        "date_format",
        "primary_key",
        "identity_record",
        "timezone",
    }
    return Table(
        source=source["name"],
        name=node["name"],
        schema=source.get("schema", source["name"]),
        description=node.get("description", ""),
        file_format=fmt,
        path=meta["path"],
        columns=tuple(columns),
        primary_key=pk,
        delimiter=meta.get("delimiter", ","),
        encoding=meta.get("encoding", "utf-8"),
        decimal_separator=meta.get("decimal_separator", "."),
        timestamp_format=meta.get("timestamp_format", DEFAULT_TIMESTAMP_FORMAT),
        date_format=meta.get("date_format", DEFAULT_DATE_FORMAT),
        timezone=meta.get("timezone", "UTC"),
        identity_record=bool(meta.get("identity_record", False)),
        extra_meta={k: v for k, v in meta.items() if k not in known},
    )


@cache
def load_contract(staging_dir: Path = STAGING_DIR) -> tuple[Table, ...]:
    """All raw tables declared in the dbt source files, ordered by source and table."""
    tables: list[Table] = []
    for path in sorted(staging_dir.glob("*/_*__sources.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for source in doc.get("sources") or []:
            for node in source.get("tables") or []:
                tables.append(_parse_table(source, node, path))
    if not tables:
        raise FileNotFoundError(f"no _<source>__sources.yml files under {staging_dir}")
    return tuple(sorted(tables, key=lambda t: t.key))


def get_table(key: str) -> Table:
    """Look a table up by `<source>.<table>`."""
    for t in load_contract():
        if t.key == key:
            return t
    raise KeyError(f"no raw table {key!r} in the contract")
