"""Raw file loading: contract-driven readers, strict typing, quarantine and load log."""

from orchestration.loader.load import (
    META_SCHEMA,
    FileLoad,
    ReconciliationError,
    TableLoad,
    connect,
    ensure_schema,
    files_for,
    load_file,
    load_table,
)

__all__ = [
    "META_SCHEMA",
    "FileLoad",
    "ReconciliationError",
    "TableLoad",
    "connect",
    "ensure_schema",
    "files_for",
    "load_file",
    "load_table",
]
