"""Erasure requests as the data team files them: CSV files in the requests folder.

`ERASURE_REQUESTS_DIR` (default: `erasure_requests/` beside `RAW_DATA_DIR`) holds
`*.csv` files with the header `request_id,identifier_type,identifier_value,requested_at`.
`identifier_type` is any identifier of the raw contract that is a person's own (`email`,
`phone`, `web_customer_id`, `crm_contact_id`, `loyalty_card_id`, `device_id`,
`cookie_id`, `email_subscriber_id`, `marketplace_buyer_id`, `click_id`), or
`customer_id` (the unified id), or `record_key` (`<source>.<table>:<id>`). A request id
already processed in the warehouse is skipped, so a file may stay until the team
deletes it (it holds the raw identifier: delete it once the request is `done`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from orchestration.contract import load_contract
from orchestration.erasure.keys import SHARED_ATTRIBUTES

HEADER = ("request_id", "identifier_type", "identifier_value", "requested_at")
GRAPH_TYPES = ("customer_id", "record_key")


class RequestError(ValueError):
    """A request file that cannot be processed as written."""


@dataclass(frozen=True)
class ErasureRequest:
    request_id: str
    identifier_type: str
    identifier_value: str
    requested_at: datetime


def identifier_types() -> set[str]:
    return {
        c.identifier
        for t in load_contract()
        for c in t.columns
        if c.identifier and c.identifier not in SHARED_ATTRIBUTES
    } | set(GRAPH_TYPES)


def read_requests(folder: Path) -> list[ErasureRequest]:
    """Every request in `folder/*.csv`, in file and line order; fails on a bad line."""
    allowed = identifier_types()
    out: list[ErasureRequest] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            if tuple(reader.fieldnames or ()) != HEADER:
                raise RequestError(f"{path}: header must be {','.join(HEADER)}")
            for line, row in enumerate(reader, start=2):
                where = f"{path}:{line}"
                request_id = (row["request_id"] or "").strip()
                kind = (row["identifier_type"] or "").strip()
                value = (row["identifier_value"] or "").strip()
                if not request_id or not value:
                    raise RequestError(f"{where}: request_id and identifier_value are required")
                if kind not in allowed:
                    raise RequestError(
                        f"{where}: identifier_type {kind!r} not in {sorted(allowed)}"
                    )
                try:
                    requested_at = datetime.fromisoformat(row["requested_at"].strip())
                except (AttributeError, ValueError) as exc:
                    raise RequestError(f"{where}: requested_at is not ISO-8601") from exc
                if request_id in seen:
                    raise RequestError(f"{where}: request_id {request_id!r} filed twice")
                seen.add(request_id)
                out.append(ErasureRequest(request_id, kind, value, requested_at))
    return out
