"""The DuckDB scorer gives the pandas scorer's results on hand-made cases."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from orchestration.identity.evaluation import bcubed_scores, pairwise_scores
from orchestration.identity.evaluation_sql import score_in_duckdb

# record -> person; the keys are '<source>.<table>:<id>' as the generator writes them
TRUTH = {
    "crm.contacts:a": "P1",
    "crm.contacts:b": "P1",
    "pos.receipts:c": "P1",
    "crm.contacts:d": "P2",
    "web_shop.page_views:e": "P2",
    "crm.contacts:f": "P3",
    "crm.contacts:g": "P4",
}
CASES = {
    "perfect": {k: v.replace("P", "C") for k, v in TRUTH.items()},
    "everything merged": dict.fromkeys(TRUTH, "X"),
    "junk hub fuses two persons, one record unpredicted": {
        "crm.contacts:a": "C1",
        "crm.contacts:b": "C1",
        "crm.contacts:d": "C1",
        "web_shop.page_views:e": "C1",
        "crm.contacts:f": "C3",
        "crm.contacts:g": "C4",
        "crm.contacts:zz_not_in_truth": "C1",
    },
    "chain split": {
        "crm.contacts:a": "C1",
        "crm.contacts:b": "C1",
        "pos.receipts:c": "C2",
        "crm.contacts:d": "C3",
        "web_shop.page_views:e": "C4",
        "crm.contacts:f": "C5",
        "crm.contacts:g": "C5",
    },
}


def _write(tmp_path: Path, prediction: dict[str, str]) -> tuple[Path, Path]:
    truth_dir = tmp_path / "ground_truth"
    truth_dir.mkdir()
    with open(truth_dir / "record_persons.csv", "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["source", "table", "record_id", "person_id"])
        for key, person in TRUTH.items():
            table, record_id = key.split(":")
            out.writerow([*table.split("."), record_id, person])
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.dim_customer_identity_map (record_key varchar, customer_id varchar)"
        )
        con.executemany(
            "insert into marts.dim_customer_identity_map values (?, ?)", list(prediction.items())
        )
    return warehouse, truth_dir


@pytest.mark.parametrize("case", list(CASES))
def test_duckdb_scores_equal_the_pandas_scores(tmp_path: Path, case: str) -> None:
    prediction = CASES[case]
    pairwise, bcubed = score_in_duckdb(*_write(tmp_path, prediction))
    assert pairwise == pairwise_scores(prediction, TRUTH)
    expected = bcubed_scores(prediction, TRUTH)
    assert bcubed.precision == pytest.approx(expected.precision, abs=1e-12)
    assert bcubed.recall == pytest.approx(expected.recall, abs=1e-12)
    assert bcubed.f1 == pytest.approx(expected.f1, abs=1e-12)
