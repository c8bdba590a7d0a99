"""Identity evaluation metrics on hand-made cases with hand-computed expected numbers.

Counts are compared exactly; ratios against exact fractions (a ratio of two counts is
correctly rounded, so it equals float(Fraction(...)) exactly; derived values such as F1
are compared with a relative tolerance of 1e-12).
"""

from __future__ import annotations

from fractions import Fraction

import duckdb
import pandas as pd
import pytest

from orchestration.identity.evaluation import (
    BCubed,
    MissingTableError,
    Scores,
    Truth,
    bcubed_scores,
    evaluate,
    format_rows,
    hazard_scores,
    junk_effect,
    kept_apart_rate,
    load_prediction,
    load_truth,
    pairwise_scores,
    report,
)


def exact(value: float, fraction: Fraction) -> bool:
    return value == pytest.approx(float(fraction), rel=1e-12, abs=0)


def f1(p: Fraction, r: Fraction) -> Fraction:
    return 2 * p * r / (p + r)


def assert_scores(s: Scores, true: int, predicted: int, correct: int) -> None:
    assert (s.true_pairs, s.predicted_pairs, s.correct_pairs) == (true, predicted, correct)
    p = Fraction(correct, predicted) if predicted else Fraction(1)
    r = Fraction(correct, true) if true else Fraction(1)
    assert s.precision == float(p)
    assert s.recall == float(r)
    assert exact(s.f1, f1(p, r) if p + r else Fraction(0))


# Person A has records a1..a3, person B has b1, b2: 3 + 1 = 4 true pairs.
TRUTH = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B"}


def test_perfect_prediction_scores_one() -> None:
    pred = {"a1": 10, "a2": 10, "a3": 10, "b1": 20, "b2": 20}
    s = pairwise_scores(pred, TRUTH)
    assert_scores(s, true=4, predicted=4, correct=4)
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    assert bcubed_scores(pred, TRUTH) == BCubed(1.0, 1.0, 1.0)


def test_everything_merged() -> None:
    pred = dict.fromkeys(TRUTH, "X")
    # one cluster of 5: 10 predicted pairs, all 4 true pairs inside it
    assert_scores(pairwise_scores(pred, TRUTH), true=4, predicted=10, correct=4)
    b = bcubed_scores(pred, TRUTH)
    # precision: A records 3/5 each, B records 2/5 each -> (3*3/5 + 2*2/5) / 5 = 13/25
    assert exact(b.precision, Fraction(13, 25))
    assert b.recall == 1.0
    assert exact(b.f1, f1(Fraction(13, 25), Fraction(1)))


def test_everything_split() -> None:
    pred = {key: key for key in TRUTH}
    s = pairwise_scores(pred, TRUTH)
    # no predicted pairs: precision 1.0 by convention, recall 0, F1 0
    assert_scores(s, true=4, predicted=0, correct=0)
    assert s.f1 == 0.0
    b = bcubed_scores(pred, TRUTH)
    # recall: A records 1/3 each, B records 1/2 each -> (3*1/3 + 2*1/2) / 5 = 2/5
    assert b.precision == 1.0
    assert exact(b.recall, Fraction(2, 5))


def test_chain_with_the_last_record_split_off() -> None:
    # a - b - c belong to one person; the prediction keeps a-b and loses c
    truth = {"a": "P", "b": "P", "c": "P"}
    s = pairwise_scores({"a": 1, "b": 1, "c": 2}, truth)
    assert_scores(s, true=3, predicted=1, correct=1)
    assert exact(s.f1, Fraction(1, 2))


def test_diamond_counts_every_implied_pair() -> None:
    # persons {a, b} and {c, d}; links a-c, a-d, b-c, b-d (a diamond) make one cluster:
    # 6 implied pairs, not 4 links; the 2 true pairs are inside it
    truth = {"a": "P", "b": "P", "c": "Q", "d": "Q"}
    s = pairwise_scores(dict.fromkeys(truth, "D"), truth)
    assert_scores(s, true=2, predicted=6, correct=2)
    assert s.precision == float(Fraction(1, 3))


def test_junk_hub_fuses_two_persons() -> None:
    # A = {a1, a2}, B = {b1, b2}; j (test@test.com on a receipt of person C) links both
    truth = {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "j": "C"}
    clean = {"a1": 1, "a2": 1, "b1": 2, "b2": 2, "j": 3}
    fused = dict.fromkeys(truth, 1)
    before = pairwise_scores(clean, truth)
    after = pairwise_scores(fused, truth)
    assert_scores(before, true=2, predicted=2, correct=2)
    assert_scores(after, true=2, predicted=10, correct=2)
    # precision drops from 1 to 2/10: by exactly 4/5, recall is unchanged
    assert exact(before.precision - after.precision, Fraction(4, 5))
    assert after.recall == before.recall == 1.0

    effect = junk_effect(fused, truth, {"j"})
    assert (effect.junk_records, effect.junk_clusters, effect.mixed_clusters) == (1, 1, 1)
    assert (effect.largest_cluster, effect.largest_junk_cluster) == (5, 5)
    clean_effect = junk_effect(clean, truth, {"j"})
    assert (clean_effect.junk_clusters, clean_effect.mixed_clusters) == (0, 0)
    assert clean_effect.largest_cluster == 2

    by_tag = hazard_scores(fused, truth, {"j": {"junk_identifier"}})
    junk = by_tag["junk_identifier"]
    # j's person has one record: no true pair touches j; 4 predicted pairs do, none right
    assert (junk.records, junk.true_pairs, junk.predicted_pairs, junk.correct_pairs) == (
        1,
        0,
        4,
        0,
    )
    assert (junk.recall, junk.precision) == (1.0, 0.0)


def test_junk_effect_counts_only_mixed_clusters_with_junk() -> None:
    truth = {"a1": "A", "a2": "A", "b1": "B", "c1": "C", "c2": "C", "j": "A"}
    # cluster 1 mixes A and B without junk; cluster 2 holds junk j but only person A...
    pred = {"a1": 1, "b1": 1, "a2": 2, "j": 2, "c1": 3, "c2": 3}
    e = junk_effect(pred, truth, {"j", "not-a-record"})
    assert (e.junk_records, e.junk_clusters, e.mixed_clusters) == (1, 0, 1)
    # ...until c1 joins it
    pred["c1"] = 2
    e = junk_effect(pred, truth, {"j"})
    assert (e.junk_clusters, e.mixed_clusters, e.largest_cluster, e.largest_junk_cluster) == (
        1,
        2,
        3,
        3,
    )


def test_hazard_scores_count_pairs_touching_tagged_records() -> None:
    truth = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B"}
    pred = {"a1": 1, "a2": 1, "b1": 1, "a3": 2, "b2": 3}
    tags = {"a1": {"x"}, "b2": {"y", "x"}}
    by_tag = hazard_scores(pred, truth, tags)
    assert list(by_tag) == ["x", "y"]
    x = by_tag["x"]
    # true pairs touching a1 or b2: a1a2, a1a3, b1b2 = 3; predicted touching: a1a2, a1b1 = 2;
    # correct: a1a2 = 1
    assert (x.records, x.true_pairs, x.predicted_pairs, x.correct_pairs) == (2, 3, 2, 1)
    assert x.recall == float(Fraction(1, 3))
    assert x.precision == float(Fraction(1, 2))
    y = by_tag["y"]
    # b1b2 is the only true pair touching b2 and it is missed; b2 is predicted alone
    assert (y.records, y.true_pairs, y.predicted_pairs, y.correct_pairs) == (1, 1, 0, 0)
    assert (y.recall, y.precision) == (0.0, 1.0)
    # the same tags as a long frame give the same result
    frame = pd.DataFrame({"record_key": ["a1", "b2", "b2"], "hazard": ["x", "y", "x"]})
    assert hazard_scores(pred, truth, frame) == by_tag


PERSONS = pd.DataFrame(
    {
        "person_id": ["T1", "T2", "P3", "P4", "Q1"],
        "household_id": ["H1", "H1", "H1", "H1", "H2"],
        "twin_of": ["T2", "T1", "", "", ""],
    }
)
# P4 has no record: its pairs are no test and are left out
TWIN_TRUTH = {"t1a": "T1", "t1b": "T1", "t2a": "T2", "p3a": "P3", "q1a": "Q1"}


def test_twins_kept_apart() -> None:
    pred = {"t1a": 1, "t1b": 1, "t2a": 2, "p3a": 3, "q1a": 4}
    k = kept_apart_rate(pred, TWIN_TRUTH, PERSONS)
    assert (k["twins"].pairs, k["twins"].kept_apart, k["twins"].rate) == (1, 1, 1.0)
    # household H1 pairs among persons with records: T1-T2, T1-P3, T2-P3
    assert (k["households"].pairs, k["households"].kept_apart) == (3, 3)


def test_twins_merged() -> None:
    pred = {"t1a": 1, "t1b": 9, "t2a": 9, "p3a": 3, "q1a": 3}
    k = kept_apart_rate(pred, TWIN_TRUTH, PERSONS)
    # t1b and t2a share cluster 9: the twin pair is merged (Q1-P3 is no household pair)
    assert (k["twins"].pairs, k["twins"].kept_apart, k["twins"].rate) == (1, 0, 0.0)
    assert (k["households"].pairs, k["households"].kept_apart) == (3, 2)
    assert k["households"].rate == float(Fraction(2, 3))


def test_records_missing_from_the_prediction_are_singletons() -> None:
    truth = {"a": "A", "b": "A", "c": "A", "d": "B", "e": "B"}
    # c, d, e are not predicted; "zz" is not in the truth and is ignored
    pred = {"a": 1, "b": 1, "zz": 1}
    s = pairwise_scores(pred, truth)
    # d and e must not fall into one shared "missing" cluster
    assert_scores(s, true=4, predicted=1, correct=1)
    assert pairwise_scores(pd.Series({"a": 1, "b": 1, "c": None}), truth) == s


def test_bcubed_textbook_example() -> None:
    # Truth A = {1,2,3,4,5}, B = {6,7}; prediction X = {1,2,3,6}, Y = {4,5,7}.
    # Precision per record: 1,2,3 -> 3/4; 6 -> 1/4; 4,5 -> 2/3; 7 -> 1/3.
    #   sum = 9/4 + 1/4 + 4/3 + 1/3 = 5/2 + 5/3 = 25/6; average over 7 = 25/42.
    # Recall per record: 1,2,3 -> 3/5; 4,5 -> 2/5; 6 -> 1/2; 7 -> 1/2.
    #   sum = 9/5 + 4/5 + 1 = 18/5; average over 7 = 18/35.
    # F1 = 2 * (25/42)(18/35) / (25/42 + 18/35) = (30/49) / (233/210) = 900/1631.
    truth = {1: "A", 2: "A", 3: "A", 4: "A", 5: "A", 6: "B", 7: "B"}
    pred = {1: "X", 2: "X", 3: "X", 6: "X", 4: "Y", 5: "Y", 7: "Y"}
    b = bcubed_scores(pred, truth)
    assert exact(b.precision, Fraction(25, 42))
    assert exact(b.recall, Fraction(18, 35))
    assert exact(b.f1, Fraction(900, 1631))
    # pairwise on the same example: true 10 + 1, predicted 6 + 3, correct 3 + 1
    assert_scores(pairwise_scores(pred, truth), true=11, predicted=9, correct=4)


def test_duplicate_keys_are_rejected() -> None:
    dup = pd.Series([1, 2], index=["a", "a"])
    with pytest.raises(ValueError, match="duplicate"):
        pairwise_scores(dup, {"a": "A"})


def write_truth(folder) -> None:
    folder.mkdir()
    (folder / "record_persons.csv").write_text(
        "source,table,record_id,person_id\n"
        "crm,contacts,1,T1\ncrm,contacts,2,T2\npos,receipts,R9,T1\nweb_shop,orders,W1,P3\n"
    )
    (folder / "hazards.csv").write_text(
        "source,table,record_id,hazard\npos,receipts,R9,junk_identifier\n"
        "web_shop,orders,W1,anonymous\n"
    )
    (folder / "persons.csv").write_text(
        "person_id,household_id,twin_of,first_name\nT1,H1,T2,Ann\nT2,H1,T1,Eva\nP3,H2,,Max\n"
    )


def test_load_truth_and_evaluate(tmp_path) -> None:
    write_truth(tmp_path / "gt")
    truth = load_truth(tmp_path / "gt")
    assert isinstance(truth, Truth)
    assert truth.record_person.to_dict() == {
        "crm.contacts:1": "T1",
        "crm.contacts:2": "T2",
        "pos.receipts:R9": "T1",
        "web_shop.orders:W1": "P3",
    }
    assert truth.tagged("junk_identifier") == {"pos.receipts:R9"}
    # the junk receipt fuses the twins
    pred = {"crm.contacts:1": "c1", "crm.contacts:2": "c1", "pos.receipts:R9": "c1"}
    ev = evaluate(pred, truth)
    assert (ev.records, ev.predicted_records, ev.clusters, ev.persons) == (4, 3, 2, 3)
    assert_scores(ev.pairwise, true=1, predicted=3, correct=1)
    # without the anonymous order the universe is the three records of cluster c1
    assert_scores(ev.pairwise_identifiable, true=1, predicted=3, correct=1)
    assert (ev.kept_apart["twins"].pairs, ev.kept_apart["twins"].kept_apart) == (1, 0)
    assert (ev.junk.junk_clusters, ev.junk.largest_cluster) == (1, 3)
    rows = report({"system": ev}, extra=[("wall s", {"system": "1.0"})])
    assert rows[0] == ("metric", "system")
    assert ("pairwise precision", "0.3333") in rows
    assert rows[-1] == ("wall s", "1.0")
    assert "pairwise precision" in format_rows(rows)


def test_load_prediction(tmp_path) -> None:
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        "create table marts.dim_customer_identity_map as "
        "select * from (values ('a', 'c1'), ('b', 'c1')) t(record_key, customer_id)"
    )
    con.close()
    assert load_prediction(path).to_dict() == {"a": "c1", "b": "c1"}
    with pytest.raises(MissingTableError, match="marts.nope"):
        load_prediction(path, table="marts.nope")
    with pytest.raises(ValueError, match="not a table name"):
        load_prediction(path, table="x; drop table y")


# -- Splink baseline: what it compares and blocks on, given the columns it finds -------
def test_splink_baseline_uses_only_the_columns_it_finds(tmp_path) -> None:
    from orchestration.identity.splink_baseline import (
        BaselineConfig,
        build_comparisons,
        prediction_blocks,
        read_records,
    )

    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema intermediate")
    con.execute(
        "create table intermediate.int_identity_records_expanded as select * from (values "
        "('a', 'mia', 'schmidt', '10115', null, 'c1', 'x'), "
        "('b', 'mia', null, '10115', null, 'c1', 'y')) "
        "t(record_key, first_name_key, last_name_key, postcode, phone_e164, cookie_id, other)"
    )
    con.close()
    records = read_records(path)
    # unknown columns are not read; all-null columns are read but not used
    assert list(records.columns) == [
        "record_key",
        "first_name_key",
        "last_name_key",
        "phone_e164",
        "postcode",
        "cookie_id",
    ]
    config = BaselineConfig()
    names = [
        c.get_comparison("duckdb").output_column_name for c in build_comparisons(records, config)
    ]
    assert names == ["first_name_key", "last_name_key", "address", "shared_id"]
    pii_blocks = [("last_name_key", "postcode"), ("first_name_key", "last_name_key")]
    assert prediction_blocks(records, config) == [*pii_blocks, ("cookie_id",)]
    assert prediction_blocks(records, BaselineConfig(use_id_columns=False)) == pii_blocks
    with pytest.raises(MissingTableError):
        read_records(path, table="intermediate.missing")
