"""The session's erasure case: a generated person to erase, chosen after the first run.

`pick_person` finds, from the generator's ground truth, a person with records in five or
more sources and exactly one customer id, who shares no mailbox or phone and has no
twin; it records what they had (their raw rows, their identifier strings, every table's
record ids) and files an erasure request for their email, as they wrote it to us. The
second run of the session fixture `built` (tests/conftest.py) processes it; the checks
are in tests/test_erasure.py. What the person had comes from the ground truth and the
raw rows, never from the erasure code.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from orchestration.contract import load_contract

REQUEST_ID = "DSR-0001"

OWN_IDENTIFIERS = {
    "email",
    "phone",
    "web_customer_id",
    "crm_contact_id",
    "loyalty_card_id",
    "device_id",
    "cookie_id",
    "marketplace_buyer_id",
    "email_subscriber_id",
    "click_id",
}
MIN_NEEDLE = 6  # shorter values could be any bytes of the file

PERSON_SQL = """
with rp as (
    select source || '.' || "table" || ':' || record_id as record_key, person_id
    from read_csv(?, all_varchar = true)
),
mapped as (
    select m.customer_id, rp.person_id, m.source_table
    from marts.dim_customer_identity_map as m inner join rp using (record_key)
),
per_customer as (
    select customer_id, count(distinct person_id) as persons,
        count(distinct source_table) as sources, min(person_id) as person_id
    from mapped group by 1
),
per_person as (select person_id, count(distinct customer_id) as customers from mapped group by 1)
select c.customer_id, c.person_id, p.email
from per_customer as c
inner join per_person using (person_id)
inner join read_csv(?, all_varchar = true) as p using (person_id)
where c.persons = 1 and per_person.customers = 1 and p.email is not null
  and p.shared_household_email = 'false' and p.shared_household_phone = 'false'
  and p.is_twin = 'false' and c.sources >= 5
order by c.sources desc, c.person_id
limit 1
"""


def identity_rows(conn: duckdb.DuckDBPyConnection, truth: Path, person: str) -> dict:
    """{table key: {record id: {column: value}}} of the person's rows, from ground truth."""
    ids = conn.execute(
        "select source || '.' || \"table\", record_id from read_csv(?, all_varchar = true) "
        "where person_id = ?",
        [str(truth / "record_persons.csv"), person],
    ).fetchall()
    by_table: dict[str, set[str]] = {}
    for table_key, record_id in ids:
        by_table.setdefault(table_key, set()).add(record_id)
    out: dict[str, dict[str, dict[str, object]]] = {}
    for table in load_contract():
        wanted = by_table.get(table.key)
        if not wanted or len(table.primary_key) != 1:
            continue
        cols = table.column_names
        rows = conn.execute(
            f"select {', '.join(cols)} from {table.relation} "
            f"where cast({table.primary_key[0]} as varchar) in (select unnest(?))",
            [sorted(wanted)],
        ).fetchall()
        out[table.key] = {
            str(dict(zip(cols, r, strict=True))[table.primary_key[0]]): dict(
                zip(cols, r, strict=True)
            )
            for r in rows
        }
    return out


def needles(conn: duckdb.DuckDBPyConnection, rows: dict) -> set[str]:
    """The person's own identifier strings: on their rows, on no other identity row."""
    tables = {t.key: t for t in load_contract()}
    candidates: dict[str, set[tuple[str, str]]] = {}
    for table_key, records in rows.items():
        table = tables[table_key]
        own = [c.name for c in table.columns if c.identifier in OWN_IDENTIFIERS]
        for record_id, values in records.items():
            candidates.setdefault(record_id, set()).add((table_key, table.primary_key[0]))
            for col in own:
                if isinstance(values[col], str):
                    candidates.setdefault(values[col], set()).add((table_key, col))
    needles = set()
    for value, places in candidates.items():
        if len(value) < MIN_NEEDLE:
            continue
        elsewhere = 0
        for table_key, col in places:
            table = tables[table_key]
            pk = table.primary_key[0]
            mine = sorted(rows[table_key])
            elsewhere += conn.execute(
                f"select count(*) from {table.relation} where {col} = ? "
                f"and cast({pk} as varchar) not in (select unnest(?))",
                [value, mine],
            ).fetchall()[0][0]
        if not elsewhere:
            needles.add(value)
    return needles


def record_ids(path: Path) -> dict[str, set[str]]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return {
            t.key: {
                str(r[0])
                for r in conn.execute(f"select {t.primary_key[0]} from {t.relation}").fetchall()
            }
            for t in load_contract()
            if len(t.primary_key) == 1
        }


def pick_person(warehouse: Path, requests_dir: Path) -> dict:
    """Choose the person, note what they have, and file the request in `requests_dir`."""
    truth = warehouse.parent / "ground_truth"
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        found = conn.execute(
            PERSON_SQL, [str(truth / "record_persons.csv"), str(truth / "persons.csv")]
        ).fetchall()
        assert found, "no generated person with records in 5 sources and one customer id"
        customer_id, person, email = found[0]
        rows = identity_rows(conn, truth, person)
        strings = needles(conn, rows)
        records_before = conn.execute(
            "select count(*) from marts.dim_customer_identity_map where customer_id = ?",
            [customer_id],
        ).fetchall()[0][0]
    requests_dir.mkdir(parents=True)
    with (requests_dir / "2026-12-01.csv").open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["request_id", "identifier_type", "identifier_value", "requested_at"])
        # as the person wrote it to us: other case, spaces
        out.writerow([REQUEST_ID, "email", f"  {email.upper()} ", "2026-12-01T09:30:00"])
    return {
        "customer_id": customer_id,
        "person": person,
        "email": email,
        "rows": rows,
        "needles": strings,
        "records_before": records_before,
        "before_bytes": warehouse.read_bytes(),
        "before_ids": record_ids(warehouse),
    }
