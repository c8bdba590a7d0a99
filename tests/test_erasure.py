"""Erasure end to end, on the real job and the real data path.

The second run of the session's `build_warehouse` job (fixture `built`) finds no new
files and one erasure request, filed by email for a generated person with records in
several sources (tests/support/erasure_case.py). What the person had is taken from the
generator's ground truth and the raw rows, not from the erasure code. Afterwards the
published file's bytes hold none of their identifiers, no table holds them by query,
only their rows are gone, every file still reconciles, and a later file with their
email loads without them.
"""

from __future__ import annotations

import csv
import re
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from orchestration.contract import load_contract
from orchestration.erasure import keys
from orchestration.erasure.requests import ErasureRequest, RequestError, read_requests
from orchestration.erasure.resolve import NEEDS_REVIEW, NOT_FOUND, resolve
from orchestration.loader import connect, load_table, readers
from tests.support import erasure_case


@pytest.fixture(scope="module")
def erased(built) -> dict:
    """The session's second run erased the person `erasure_case.pick_person` chose."""
    return built["erasure"] | {"warehouse": Path(built["warehouse"]), "result": built["second"]}


def test_the_erasure_run_succeeds_and_publishes(erased):
    assert erased["result"].success
    failed = [e.check_name for e in erased["result"].get_asset_check_evaluations() if not e.passed]
    assert failed == []
    assert len(erased["rows"]) >= 5  # records in several source tables
    assert erased["records_before"] >= 5


def test_the_published_file_holds_no_byte_of_the_persons_identifiers(erased):
    needles = erased["needles"]
    assert erased["email"] in needles
    # the grep can see these strings: most are plain bytes in the file before erasure
    # (DuckDB may compress a string segment, hence also the query below)
    visible_before = {n for n in needles if n.encode() in erased["before_bytes"]}
    assert erased["email"] in visible_before
    data = erased["warehouse"].read_bytes()
    assert sorted(n for n in needles if n.encode() in data) == []
    assert sorted(n for n in needles if n.lower().encode() in data.lower()) == []


def test_no_table_holds_the_persons_identifiers_by_query(erased):
    # one regular expression of every needle (RE2), lowercased like the text searched
    pattern = "|".join(re.escape(n.lower()) for n in sorted(erased["needles"]))
    hits = []
    with duckdb.connect(str(erased["warehouse"]), read_only=True) as conn:
        columns = conn.execute(
            "select table_schema, table_name, list(column_name) from information_schema.columns "
            "where data_type = 'VARCHAR' group by 1, 2 order by 1, 2"
        ).fetchall()
        for schema, table, cols in columns:
            text = " || '|' || ".join(f"coalesce(lower(\"{c}\"), '')" for c in cols)
            n = conn.execute(
                f'select count(*) from "{schema}"."{table}" where regexp_matches({text}, ?)',
                [pattern],
            ).fetchall()[0][0]
            if n:
                hits.append(f"{schema}.{table}: {n}")
        assert hits == []
        assert conn.execute(
            "select count(*) from marts.dim_customer_identity_map where customer_id = ?",
            [erased["customer_id"]],
        ).fetchall() == [(0,)]


def test_only_the_persons_rows_are_gone_and_every_file_reconciles(erased):
    after = erasure_case.record_ids(erased["warehouse"])
    for table_key, before in erased["before_ids"].items():
        removed = before - after[table_key]
        mine = set(erased["rows"].get(table_key, {}))
        # identity tables: exactly the person's records; child and event tables: rows of
        # the person's records, devices and cookies only
        if mine:
            assert removed == mine, table_key
        assert not after[table_key] - before, table_key
    with duckdb.connect(str(erased["warehouse"]), read_only=True) as conn:
        unreconciled = []
        for table in load_contract():
            unreconciled += conn.execute(
                f"""select l.source_file, l.rows_in_file, coalesce(r.n, 0), coalesce(q.n, 0),
                    coalesce(e.n, 0)
                from raw_meta.load_log as l
                left join (select _file_hash, count(*) as n from {table.relation} group by 1)
                    as r on r._file_hash = l.file_hash
                left join (select file_hash, count(*) as n from raw_meta.quarantine
                           where table_name = ? group by 1) as q on q.file_hash = l.file_hash
                left join (select file_hash, sum(rows_erased) as n from raw_meta.erasure_ledger
                           where table_name = ? group by 1) as e on e.file_hash = l.file_hash
                where l.table_name = ?
                  and l.rows_in_file <> coalesce(r.n, 0) + coalesce(q.n, 0) + coalesce(e.n, 0)""",
                [table.key, table.key, table.key],
            ).fetchall()
        assert unreconciled == []
        per_table_erased = dict(
            conn.execute(
                "select table_name, sum(rows_erased) from raw_meta.erasure_ledger "
                "where layer = 'raw' group by 1"
            ).fetchall()
        )
        audit = conn.execute(
            "select request_id, status, identifier_type, identifier_hash, customers_found, "
            "records_found, rows_erased_raw, rows_erased_quarantine from raw_meta.erasure_requests"
        ).fetchall()
    removed_rows = {k: len(v - after[k]) for k, v in erased["before_ids"].items() if v - after[k]}
    assert per_table_erased == removed_rows
    key = keys.key_from_env()
    assert audit == [
        (
            erasure_case.REQUEST_ID,
            "done",
            "email",
            keys.tombstone(f"email:{erased['email'].lower()}", key),
            1,
            erased["records_before"],
            sum(removed_rows.values()),
            0,
        )
    ]


def test_a_later_file_with_the_persons_email_is_dropped_and_counted(
    erased, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Counted once per file and layer, also when the file streams in many batches."""
    monkeypatch.setattr(readers, "BATCH_ROWS", 1)
    warehouse = tmp_path / "later.duckdb"
    shutil.copy(erased["warehouse"], warehouse)
    table = next(t for t in load_contract() if t.key == "web_shop.customers")
    raw = tmp_path / "raw"
    path = raw / "web_shop" / "customers" / "part-9999.csv"
    path.parent.mkdir(parents=True)
    base = {c: "" for c in table.column_names} | {"created_at": "2026-12-02 08:00:00"}
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.DictWriter(fh, fieldnames=table.column_names)
        out.writeheader()
        out.writerow(base | {"customer_id": "C999999901", "email": erased["email"].title()})
        out.writerow(base | {"customer_id": "C999999902", "email": "someone.new@example.org"})
        bad_date = {"created_at": "2026-13-45 08:00:00"}  # quarantined, were it not erased
        out.writerow(base | bad_date | {"customer_id": "C999999903", "email": erased["email"]})
        out.writerow(base | {"customer_id": "C999999904", "email": erased["email"].upper()})
    conn = connect(warehouse)
    try:
        loaded = load_table(conn, table, raw)
        (file,) = loaded.files
        assert (file.rows_in_file, file.rows_loaded, file.rows_quarantined, file.rows_erased) == (
            4,
            1,
            0,
            3,
        )
        assert conn.execute(
            "select customer_id from raw_web_shop.customers where customer_id like 'C9999999%'"
        ).fetchall() == [("C999999902",)]
        assert conn.execute(
            "select layer, rows_erased, reason, request_id from raw_meta.erasure_ledger "
            "where file_hash = ? order by layer",
            [file.file_hash],
        ).fetchall() == [
            ("quarantine", 1, "tombstoned_identifier_at_load", erasure_case.REQUEST_ID),
            ("raw", 2, "tombstoned_identifier_at_load", erasure_case.REQUEST_ID),
        ]
    finally:
        conn.close()


def test_a_family_mailbox_request_erases_nothing_and_asks_for_review(built):
    """An email on records of two customers cannot say whose data to erase."""
    with duckdb.connect(str(built["warehouse"]), read_only=True) as conn:
        shared = conn.execute(
            """select lower(trim(c.email))
            from raw_crm.contacts as c
            inner join marts.dim_customer_identity_map as m
                on m.record_key = 'crm.contacts:' || c.contact_id
            where c.email is not null
            group by 1 having count(distinct m.customer_id) > 1
            order by 1 limit 1"""
        ).fetchall()
    assert shared, "the generated data has households sharing a mailbox"
    request = ErasureRequest("DSR-FAMILY", "email", shared[0][0], datetime(2026, 12, 1))
    (resolution,) = resolve(Path(built["warehouse"]), [request])
    assert resolution.status == NEEDS_REVIEW
    assert len(resolution.customer_ids) > 1
    assert resolution.tombstone_keys == []


def test_an_unknown_identifier_is_not_found_and_tombstoned_all_the_same(built):
    request = ErasureRequest("DSR-NOBODY", "email", " Nobody@Example.ORG", datetime(2026, 12, 1))
    (resolution,) = resolve(Path(built["warehouse"]), [request])
    assert resolution.status == NOT_FOUND
    assert (resolution.customer_ids, resolution.record_keys) == ([], [])
    assert resolution.tombstone_keys == ["email:nobody@example.org"]


def test_a_request_file_with_an_unknown_identifier_type_is_refused(tmp_path: Path):
    (tmp_path / "r.csv").write_text(
        "request_id,identifier_type,identifier_value,requested_at\n"
        "DSR-1,first_name,Mia,2026-12-01T09:00:00\n"
    )
    with pytest.raises(RequestError, match="identifier_type 'first_name'"):
        read_requests(tmp_path)
