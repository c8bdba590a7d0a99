"""Raw loads: every record ends in its raw table or in quarantine, and files reconcile."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.contract import get_table
from orchestration.loader import connect, load, load_table, readers

WIFI = get_table("wifi.logins")
POS = get_table("pos.receipts")
PAGE_VIEWS = get_table("web_shop.page_views")
SPEND = get_table("ads.spend")

WIFI_HEADER = "login_id,store_id,login_ts,email,phone,device_mac_hash,marketing_consent"
GOOD_WIFI = [
    "L1,S01,2025-01-01 10:00:00,mia@example.com,0151 1234567,h1,true",
    "L2,S01,2025-01-02 11:30:00,,+49 170 7654321,h2,false",
    'L3,S02,2025-01-03 12:00:00,"jo,e@example.com",,h3,',
]


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    return tmp_path / "raw"


@pytest.fixture
def conn(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    c = connect(tmp_path / "w.duckdb")
    yield c
    c.close()


def write(raw_dir: Path, rel: str, content: str | bytes) -> Path:
    path = raw_dir / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def quarantine(conn: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    return conn.execute(
        "select line_number, column_name, reason, raw_record from raw_meta.quarantine "
        "where table_name = ? order by line_number",
        [table],
    ).fetchall()


def assert_reconciles(conn: duckdb.DuckDBPyConnection, expected_records: int) -> None:
    rows = conn.execute(
        "select sum(rows_in_file), sum(rows_loaded), sum(rows_quarantined) from raw_meta.load_log"
    ).fetchall()[0]
    assert rows[0] == expected_records
    assert rows[0] == rows[1] + rows[2]
    raw_total = sum(
        conn.execute(f"select count(*) from {t.relation}").fetchall()[0][0]
        for t in (WIFI, POS, PAGE_VIEWS, SPEND)
        if conn.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
            [t.schema, t.name],
        ).fetchall()[0][0]
    )
    q_total = conn.execute("select count(*) from raw_meta.quarantine").fetchall()[0][0]
    assert raw_total + q_total == expected_records


def test_good_csv_loads_typed_values(conn, raw_dir):
    write(raw_dir, "wifi/logins/a.csv", "\n".join([WIFI_HEADER, *GOOD_WIFI]) + "\n")
    result = load_table(conn, WIFI, raw_dir)
    [f] = result.files
    assert (f.status, f.rows_in_file, f.rows_loaded, f.rows_quarantined) == ("loaded", 3, 3, 0)
    rows = conn.execute(
        "select login_id, login_ts, email, phone, marketing_consent, _source_file, _line_number "
        "from raw_wifi.logins order by login_id"
    ).fetchall()
    assert rows[0] == (
        "L1",
        datetime(2025, 1, 1, 10),
        "mia@example.com",
        "0151 1234567",
        True,
        "wifi/logins/a.csv",
        2,
    )
    assert rows[1][2] is None  # an empty field is NULL, not ''
    assert rows[2][2] == "jo,e@example.com" and rows[2][4] is None
    assert_reconciles(conn, 3)


@pytest.fixture(params=[readers.BATCH_ROWS, 2], ids=["one_batch", "batches_of_2"])
def batch_rows(request, monkeypatch) -> int:
    """The loader streams a file in batches: the outcome must not depend on their size."""
    monkeypatch.setattr(readers, "BATCH_ROWS", request.param)
    return request.param


def test_broken_csv_quarantines_each_bad_record_with_line_and_column(conn, raw_dir, batch_rows):
    lines = [
        WIFI_HEADER,
        GOOD_WIFI[0],
        "L2,S01,2025-02-30 10:00:00,a@b.de,,h,true",  # bad date (line 3)
        "L3,S01,2025-01-01 10:00:00,a@b.de,,h",  # one field short (line 4)
        "L4,S01,2025-01-01 10:00:00,a@b.de,,h,true,extra",  # one field too many (line 5)
        ",S01,2025-01-01 10:00:00,a@b.de,,h,true",  # required id missing (line 6)
        "L6,S01,2025-01-01 10:00:00,a@b.de,,h,maybe",  # bad boolean (line 7)
        GOOD_WIFI[1],
        'L8,S01,2025-01-01 10:00:00,"truncated',  # file cut inside a quoted field (line 9)
    ]
    write(raw_dir, "wifi/logins/broken.csv", "\n".join(lines))
    [f] = load_table(conn, WIFI, raw_dir).files
    assert (f.status, f.rows_in_file, f.rows_loaded, f.rows_quarantined) == ("partial", 8, 2, 6)
    q = {line: (col, reason, raw) for line, col, reason, raw in quarantine(conn, "wifi.logins")}
    assert set(q) == {3, 4, 5, 6, 7, 9}
    assert q[3][0] == "login_ts" and "2025-02-30 10:00:00" in q[3][1]
    assert q[4][0] is None and "expected 7 fields" in q[4][1] and "found 6" in q[4][1]
    assert "found 8" in q[5][1]
    assert q[6][0] == "login_id" and "required" in q[6][1]
    assert q[7][0] == "marketing_consent" and "'maybe'" in q[7][1]
    assert "truncated" in q[9][2] and "quoted field" in q[9][1]
    # the quarantined raw record keeps the original values
    assert json.loads(q[3][2])["login_ts"] == "2025-02-30 10:00:00"
    assert_reconciles(conn, 8)


@pytest.mark.parametrize("fails_at", ["third batch staged", "quarantine insert"])
def test_a_file_failing_midway_loads_nothing(conn, raw_dir, monkeypatch, fails_at):
    """A file is staged batch by batch, then moved into its tables in one transaction:
    a failure while staging a later batch, or inside the transaction after the raw rows
    went in, leaves no row of the file in the raw table, the quarantine or the load log,
    and no staged file behind."""
    monkeypatch.setattr(readers, "BATCH_ROWS", 1)
    staged_batches = []
    writer_class = load.pq.ParquetWriter

    class FailingWriter(writer_class):
        def write_table(self, table, *args, **kwargs):
            staged_batches.append(table.num_rows)
            if fails_at == "third batch staged" and len(staged_batches) == 3:
                raise OSError("disk full")
            super().write_table(table, *args, **kwargs)

    execute = load._exec

    def failing_exec(c, sql, params=None):
        if fails_at == "quarantine insert" and "_checked" in sql and "quarantine" in sql:
            raise OSError("disk full")
        return execute(c, sql, params)

    monkeypatch.setattr(load.pq, "ParquetWriter", FailingWriter)
    monkeypatch.setattr(load, "_exec", failing_exec)
    lines = [WIFI_HEADER, GOOD_WIFI[0], "L2,S01,2025-02-30 10:00:00,a@b.de,,h,true", GOOD_WIFI[2]]
    write(raw_dir, "wifi/logins/a.csv", "\n".join(lines) + "\n")
    with pytest.raises(OSError, match="disk full"):
        load_table(conn, WIFI, raw_dir)
    assert len(staged_batches) == 3
    for table in ("raw_wifi.logins", "raw_meta.quarantine", "raw_meta.load_log"):
        assert conn.execute(f"select count(*) from {table}").fetchall() == [(0,)], table
    assert not list(load.staging_path(conn, "x").parent.glob("loader-*"))
    monkeypatch.undo()
    [f] = load_table(conn, WIFI, raw_dir).files  # the next run loads the whole file
    assert (f.status, f.rows_in_file, f.rows_loaded, f.rows_quarantined) == ("partial", 3, 2, 1)


def test_reload_is_a_noop_and_new_files_append(conn, raw_dir):
    write(raw_dir, "wifi/logins/a.csv", "\n".join([WIFI_HEADER, *GOOD_WIFI]) + "\n")
    load_table(conn, WIFI, raw_dir)
    again = load_table(conn, WIFI, raw_dir)
    assert [f.status for f in again.files] == ["skipped"]
    # the same bytes under another name are the same file
    write(raw_dir, "wifi/logins/a_copy.csv", "\n".join([WIFI_HEADER, *GOOD_WIFI]) + "\n")
    assert [f.status for f in load_table(conn, WIFI, raw_dir).files] == ["skipped", "skipped"]
    write(raw_dir, "wifi/logins/b.csv", WIFI_HEADER + "\nL9,S03,2025-03-01 08:00:00,,,h9,true\n")
    third = load_table(conn, WIFI, raw_dir)
    assert [f.status for f in third.files] == ["skipped", "skipped", "loaded"]
    assert conn.execute("select count(*) from raw_wifi.logins").fetchall() == [(4,)]
    assert conn.execute("select count(*) from raw_meta.load_log").fetchall() == [(2,)]


def test_latin1_file_declared_utf8_is_rejected_whole_not_emptied(conn, raw_dir):
    body = "\n".join(
        [WIFI_HEADER, GOOD_WIFI[0], "L2,S01,2025-01-01 10:00:00,m\u00fcller@web.de,,h,true"]
    )
    write(raw_dir, "wifi/logins/latin1.csv", (body + "\n").encode("latin-1"))
    [f] = load_table(conn, WIFI, raw_dir).files
    assert (f.status, f.rows_in_file, f.rows_loaded, f.rows_quarantined) == ("rejected", 2, 0, 2)
    assert any("not valid utf-8" in w and "line 3" in w for w in f.warnings)
    q = quarantine(conn, "wifi.logins")
    assert [line for line, *_ in q] == [2, 3]
    assert "m\\xfcller@web.de" in q[1][3]  # the undecodable byte is kept, escaped
    assert_reconciles(conn, 2)


def test_cp1252_pos_file_with_german_formats_is_transcoded(conn, raw_dir, batch_rows):
    header = (
        "receipt_id;store_id;store_city;cashier_id;receipt_ts;loyalty_card_id;customer_email;"
        "customer_name;customer_phone;total_amount;payment_method;is_return;original_order_id"
    )
    rows = [
        "R1;S01;M\u00fcnchen;C1;01.03.2025 10:00:00;;;J\u00fcrgen M\u00fc\u00dfig;;"
        "1.234,50;card;false;",
        "R2;S01;M\u00fcnchen;C1;01.07.2025 10:00:00;LC9;;Mia S.;;-19,99;cash;true;W1001",
        "R3;S01;M\u00fcnchen;C1;01.07.2025 10:00:00;;;;;12.50;cash;false;",  # dot in a comma file
    ]
    write(raw_dir, "pos/receipts/r.csv", ("\n".join([header, *rows]) + "\n").encode("cp1252"))
    [f] = load_table(conn, POS, raw_dir).files
    assert (f.rows_in_file, f.rows_loaded, f.rows_quarantined) == (3, 2, 1)
    got = conn.execute(
        "select receipt_id, store_city, customer_name, receipt_ts, total_amount, is_return "
        "from raw_pos.receipts order by receipt_id"
    ).fetchall()
    # local store time (CET / CEST) stored as UTC
    assert got[0] == (
        "R1",
        "München",
        "Jürgen Müßig",
        datetime(2025, 3, 1, 9),
        Decimal("1234.50"),
        False,
    )
    assert got[1][3] == datetime(2025, 7, 1, 8) and got[1][4] == Decimal("-19.99")
    [(line, col, reason, _)] = quarantine(conn, "pos.receipts")
    assert (line, col) == (4, "total_amount") and "'12.50'" in reason


def test_added_and_missing_columns(conn, raw_dir):
    # `phone` (optional) is missing, `visit_count` is new: rows load, the extra is kept.
    header = "login_id,store_id,login_ts,email,device_mac_hash,marketing_consent,visit_count"
    write(
        raw_dir, "wifi/logins/drift.csv", header + "\nL1,S01,2025-01-01 10:00:00,a@b.de,h,true,7\n"
    )
    [f] = load_table(conn, WIFI, raw_dir).files
    assert (f.status, f.rows_loaded) == ("loaded", 1)
    assert any("phone" in w for w in f.warnings) and any("visit_count" in w for w in f.warnings)
    phone, extra = conn.execute("select phone, _extra_columns from raw_wifi.logins").fetchall()[0]
    assert phone is None and json.loads(extra) == {"visit_count": "7"}
    # a missing *required* column quarantines every row of that file, naming the column
    header2 = "login_id,store_id,email,phone,device_mac_hash,marketing_consent"
    write(raw_dir, "wifi/logins/no_ts.csv", header2 + "\nL2,S01,a@b.de,,h,true\nL3,S01,,,h,false\n")
    files = {f.source_file: f for f in load_table(conn, WIFI, raw_dir).files}
    f2 = files["wifi/logins/no_ts.csv"]
    assert (f2.status, f2.rows_in_file, f2.rows_quarantined) == ("rejected", 2, 2)
    assert {(c, "login_ts" in r) for _, c, r, _ in quarantine(conn, "wifi.logins")} == {
        ("login_ts", True)
    }
    assert_reconciles(conn, 3)


GOOD_PAGE_VIEW = {
    "event_id": "E1",
    "cookie_id": "c1",
    "session_id": "s1",
    "event_ts": "2025-03-01T10:00:00Z",
    "page_type": "home",
    "utm_source": "google",
}


def test_jsonl_bad_lines_are_quarantined(conn, raw_dir, batch_rows):
    good = GOOD_PAGE_VIEW
    lines = [
        json.dumps(good),
        '{"event_id": "E2", "cookie_id": "c1", ',  # truncated JSON
        json.dumps({**good, "event_id": "E3", "event_ts": "yesterday"}),
        "",
        json.dumps({**good, "event_id": "E4", "consent_mode": {"ads": False}}),
        json.dumps(["not", "an", "object"]),
        json.dumps({k: v for k, v in good.items() if k != "session_id"} | {"event_id": "E6"}),
    ]
    write(raw_dir, "web_shop/page_views/p.jsonl", "\n".join(lines) + "\n")
    [f] = load_table(conn, PAGE_VIEWS, raw_dir).files
    assert (f.rows_in_file, f.rows_loaded, f.rows_quarantined) == (6, 2, 4)
    q = {line: (col, reason) for line, col, reason, _ in quarantine(conn, "web_shop.page_views")}
    assert set(q) == {2, 3, 6, 7}
    assert "invalid JSON" in q[2][1]
    assert q[3][0] == "event_ts"
    assert q[7][0] == "session_id"
    extra = conn.execute(
        "select _extra_columns from raw_web_shop.page_views where event_id = 'E4'"
    ).fetchall()[0][0]
    assert json.loads(extra) == {"consent_mode": {"ads": False}}


def test_jsonl_lone_surrogate_escapes_are_quarantined(conn, raw_dir, batch_rows):
    """`\\ud800` without its pair is valid JSON syntax but no UTF-8 text: the line is
    quarantined naming the key; a proper pair (an emoji) loads."""
    good = GOOD_PAGE_VIEW
    lines = [
        json.dumps({**good, "page_type": "h\U0001f600me"}),  # escaped as a surrogate pair
        json.dumps({**good, "event_id": "E2"}).replace('"home"', '"ho\\ud800me"'),
        json.dumps({**good, "event_id": "E3", "note": ["x", "\\udc00"]}).replace("\\\\", "\\"),
        json.dumps({**good, "event_id": "E4"}).replace("{", '{"\\udbff": 1, ', 1),
    ]
    write(raw_dir, "web_shop/page_views/p.jsonl", "\n".join(lines) + "\n")
    [f] = load_table(conn, PAGE_VIEWS, raw_dir).files
    assert (f.rows_in_file, f.rows_loaded, f.rows_quarantined) == (4, 1, 3)
    q = {line: (col, reason) for line, col, reason, _ in quarantine(conn, "web_shop.page_views")}
    assert q == {
        2: ("page_type", "invalid JSON: a lone UTF-16 surrogate escape in key 'page_type'"),
        3: (None, "invalid JSON: a lone UTF-16 surrogate escape in key 'note'"),
        4: (None, "invalid JSON: a lone UTF-16 surrogate escape in key '\\udbff'"),
    }
    loaded = conn.execute("select event_id, page_type from raw_web_shop.page_views").fetchall()
    assert loaded == [("E1", "h\U0001f600me")]
    assert_reconciles(conn, 4)


@pytest.mark.parametrize("folder", ["wh[12]", "wh*", "**"])
def test_a_glob_character_in_the_warehouse_folder_reads_only_the_files_rows(
    tmp_path, monkeypatch, folder
):
    """The loader stages a file's checked rows beside the warehouse
    (`<warehouse>.tmp/loader-<hash>.parquet`); a folder name that is a glob pattern must
    not make the load read another warehouse's staging of the same file (caught mid-load
    here: a copy in the folder `wh1`, which each pattern matches)."""
    raw = tmp_path / "raw"
    write(raw, "wifi/logins/l.csv", "\n".join([WIFI_HEADER, *GOOD_WIFI]) + "\n")
    decoy = tmp_path / "wh1" / "w.duckdb.tmp"
    stage = load._stage_batches

    def stage_and_copy(conn, table, sql, batches, staged, erasing):
        has_rows = stage(conn, table, sql, batches, staged, erasing)
        decoy.mkdir(parents=True)
        shutil.copy2(staged, decoy / staged.name)
        return has_rows

    with monkeypatch.context() as m:
        m.setattr(load, "_stage_batches", stage_and_copy)
        other = connect(tmp_path / "other" / "w.duckdb")
        load_table(other, WIFI, raw)
        other.close()
    assert len(list(decoy.glob("loader-*.parquet"))) == 1
    c = connect(tmp_path / folder / "w.duckdb")
    try:
        [f] = load_table(c, WIFI, raw).files
        assert (f.rows_in_file, f.rows_loaded, f.rows_quarantined) == (3, 3, 0)
        assert c.execute("select count(*) from raw_wifi.logins").fetchall() == [(3,)]
    finally:
        c.close()


def test_parquet_types_and_missing_required_column(conn, raw_dir, batch_rows):
    table = pa.table(
        {
            "spend_date": pa.array([date(2025, 1, 1), date(2025, 1, 2)]),
            "platform": ["google", "meta"],
            "channel": ["paid_search", "paid_social"],
            "campaign_id": ["C1", None],
            "campaign_name": ["Brand", "Prospecting"],
            "impressions": pa.array([1000, 2000], type=pa.int64()),
            "clicks": pa.array([10, 20], type=pa.int64()),
            "spend": pa.array([Decimal("12.34"), Decimal("56.78")], type=pa.decimal128(12, 2)),
            "currency": ["EUR", "EUR"],
        }
    )
    path = raw_dir / "ads/spend/s.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(table, path)
    [f] = load_table(conn, SPEND, raw_dir).files
    assert (f.rows_in_file, f.rows_loaded, f.rows_quarantined) == (2, 1, 1)
    assert conn.execute("select spend_date, spend from raw_ads.spend").fetchall() == [
        (date(2025, 1, 1), Decimal("12.34"))
    ]
    pq.write_table(table.drop_columns(["spend"]), raw_dir / "ads/spend/t.parquet")
    files = {f.source_file: f for f in load_table(conn, SPEND, raw_dir).files}
    assert files["ads/spend/t.parquet"].rows_quarantined == 2
    assert_reconciles(conn, 4)


def test_a_failing_file_leaves_nothing_half_loaded(conn, raw_dir):
    # duplicate header names cannot be mapped to the contract: the load stops with the
    # file and line named, and neither rows nor a load-log entry are written.
    write(raw_dir, "wifi/logins/dup.csv", "login_id,login_id,store_id\nL1,L1,S1\n")
    with pytest.raises(ValueError, match=r"dup\.csv: line 1: duplicate column"):
        load_table(conn, WIFI, raw_dir)
    assert conn.execute("select count(*) from raw_wifi.logins").fetchall() == [(0,)]
    assert conn.execute("select count(*) from raw_meta.load_log").fetchall() == [(0,)]


def _fast_blocks_taken(monkeypatch, name: str) -> list[bool]:
    """Whether each call of the reader's Arrow fast path `name` took its block."""
    arrow_block = getattr(readers, name)
    taken: list[bool] = []

    def counted(*args):
        out = arrow_block(*args)
        taken.append(out is not None)
        return out

    monkeypatch.setattr(readers, name, counted)
    return taken


TS = '{"event_ts": "2025-03-01T10:00:00Z", '


def _jsonl_lines_awkward() -> list[str]:
    """JSON lines of every kind the Arrow fast path must hand back to the line-by-line
    reader, between runs of plain lines it takes itself."""
    plain = [
        json.dumps(
            {
                "event_id": f"P{i}",
                "cookie_id": "c",
                "session_id": "s",
                "utm_source": None,
                "referrer": "r" if i % 2 else "",
            }
        ).replace("{", TS, 1)
        for i in range(7)
    ]
    awkward = [
        '{"event_id": "A1", "cookie_id": "", "session_id": "s", "page_type": "caf\\u00e9"}',
        '{"event_id": "A2", "cookie_id": 12, "session_id": 1.50, "page_type": true}',
        '{"event_id": "A3", "event_id": "A4", "session_id": "s"}',  # a key twice: last wins
        '{"event_id": "A5", "session_id": "s"}{"event_id": "A6"}',  # two objects, one line
        '{"event_id": "A7", "session_id":',  # an object split over two lines
        '"s"}',
        ' {"event_id": "A8", "session_id": "s"} ',  # padded
        "",
        "   ",
        '{"event_id": "A9", "session_id": "s", "consent": {"ads": false}}',  # extra key
        '{"event_id": "A10", "session_id": "s", "utm_medium": [1, "x"]}',  # nested value
        '{"event_id": "A11", "session_id": "s", "gcl\\u0069d": null}',  # escaped key, null
        '{"event_id": "A12", "session_id": "s", "referrer": "a,\\"fbclid\\": 1"}',
        '["not", "an", "object"]',
        '{"event_id": "A13", "session_id": NaN}',
        '{"event_id": "A14", "session_id": "s"}\r',
    ]
    awkward = [line.replace('{"event_id"', TS + '"event_id"', 1) for line in awkward]
    out = []
    for i, line in enumerate(awkward):
        out += plain[: 1 + i % 4] + [line]
    return out + plain


@pytest.mark.parametrize("rows", [1, 2, 3, 5, 50_000])
def test_jsonl_arrow_blocks_read_as_line_by_line(tmp_path, monkeypatch, rows):
    """UTF-8 JSON lines go through Arrow's reader a block at a time when the block is
    plain: raw rows, their text, line numbers, extras, rejects and the file's warnings
    are exactly those of reading every line with Python's json (BOM, CRLF and all)."""
    monkeypatch.setattr(readers, "BATCH_ROWS", rows)
    body = "\ufeff" + "\r\n".join(_jsonl_lines_awkward()) + "\n"
    raw = tmp_path / "raw"
    write(raw, "web_shop/page_views/p.jsonl", body)

    def loaded(name: str) -> tuple[list, list, tuple]:
        conn = connect(tmp_path / f"{name}.duckdb")
        [f] = load_table(conn, PAGE_VIEWS, raw).files
        cols = ", ".join(f'"{c}"' for c in PAGE_VIEWS.column_names)
        rows_ = conn.execute(
            f"select {cols}, _line_number, _extra_columns from raw_web_shop.page_views "
            "order by _line_number"
        ).fetchall()
        conn.close()
        return rows_, quarantine_rows(tmp_path / f"{name}.duckdb"), f.warnings

    taken = _fast_blocks_taken(monkeypatch, "_arrow_json_block")
    fast = loaded("fast")
    assert any(taken) == (rows < 50_000)  # one block of it all is never plain
    monkeypatch.setattr(readers, "_arrow_json_block", lambda *_: None)
    slow = loaded("slow")
    assert fast == slow
    rows_, rejects, _ = fast
    assert len(rows_) > 30 and rejects  # both paths had work to do
    assert {r[-2] for r in rows_}.isdisjoint({q[0] for q in rejects})


def quarantine_rows(path: Path) -> list[tuple]:
    conn = duckdb.connect(str(path), read_only=True)
    out = quarantine(conn, "web_shop.page_views")
    conn.close()
    return out


def _csv_lines_awkward() -> list[str]:
    """A quote-free CSV (so every line is one record) whose awkward lines send their
    block to csv.reader: wrong field counts, blank and whitespace-only lines."""
    header = "login_id,store_id,login_ts,email,device_mac_hash,marketing_consent"  # no phone
    plain = [
        f"L{i},S01,2025-01-0{1 + i % 9} 10:00:00,{'m@x.de' if i % 2 else ''},h,true"
        for i in range(6)
    ]
    awkward = [
        "A1,S01,2025-01-01 10:00:00,a@b.de,h",  # a field short
        "A2,S01,2025-01-01 10:00:00,a@b.de,h,true,",  # a field too many
        "",
        "   ",
        "\u00a0",  # a no-break space alone: blank to csv.reader
        "A3,S01,2025-02-30 10:00:00,a@b.de,h,true",  # an impossible date, typed later
        "A4,S01,2025-01-01 10:00:00, spaced@b.de ,h,false",
        "\t",
    ]
    out = [header]
    for i, line in enumerate(awkward):
        out += plain[: 1 + i % 3] + [line]
    return out + plain


@pytest.mark.parametrize("rows", [1, 2, 4, 50_000])
def test_plain_csv_arrow_blocks_read_as_csv_reader(tmp_path, monkeypatch, rows):
    """A UTF-8 CSV without quotes goes through Arrow's CSV reader a block at a time where
    a block parses into one row per line: rows, line numbers, rejects and warnings are
    exactly those of csv.reader on the whole file (BOM, CRLF and LF mixed)."""
    monkeypatch.setattr(readers, "BATCH_ROWS", rows)
    lines = _csv_lines_awkward()
    body = "\ufeff" + "".join(line + ("\r\n" if i % 3 else "\n") for i, line in enumerate(lines))
    raw = tmp_path / "raw"
    write(raw, "wifi/logins/a.csv", body)

    def loaded(name: str) -> tuple[list, list, tuple]:
        conn = connect(tmp_path / f"{name}.duckdb")
        [f] = load_table(conn, WIFI, raw).files
        rows_ = conn.execute(
            "select * exclude (_loaded_at) from raw_wifi.logins order by _line_number"
        ).fetchall()
        rejects = quarantine(conn, "wifi.logins")
        conn.close()
        return rows_, rejects, (f.rows_in_file, f.warnings)

    taken = _fast_blocks_taken(monkeypatch, "_arrow_csv_block")
    fast = loaded("fast")
    assert any(taken) == (rows < 50_000)
    monkeypatch.setattr(readers, "_plain_csv", lambda *_: False)
    slow = loaded("slow")
    assert fast == slow
    rows_, rejects, (records, warnings) = fast
    assert len(rows_) > 20 and [q[0] for q in rejects][:2] == [3, 6]
    assert any("blank line" in w for w in warnings)
    assert records == len(rows_) + len(rejects)


def test_csv_with_quotes_or_a_lone_carriage_return_is_not_plain(tmp_path):
    header = ["login_id", "store_id", "login_ts"]
    layout = readers.plan_layout(WIFI, header)
    for body, plain in [
        (b"a,b,c\r\n1,2,3\r\n", True),
        (b"a,b,c\n1,2,3", True),
        (b'a,b,c\n1,"2",3\n', False),
        (b"a,b,c\n1,2\r3\n", False),
        (b"a,b,c\n1,\x00,3\n", False),
    ]:
        path = write(tmp_path, "f.csv", body)
        assert readers._plain_csv(WIFI, path, layout) == plain, body
