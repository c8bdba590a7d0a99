"""Linkable truth (evidence components) and id survival, on hand-made cases."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from orchestration.identity.evaluation import Truth, evaluate, wrong_links
from orchestration.identity.linkable import EVIDENCE_KEYS, evidence_components, linkable_truth
from orchestration.identity.survival import id_survival


def series(mapping: dict[str, str]) -> pd.Series:
    return pd.Series(list(mapping.values()), index=list(mapping), dtype=object)


def groups(labels: pd.Series) -> set[frozenset[str]]:
    return {frozenset(g.index) for _, g in labels.groupby(labels)}


def test_evidence_chains_within_a_person_only() -> None:
    # A: a1 -email- a2 -cookie- a3 (a chain), a4 has nothing; B shares A's email value
    persons = series({"a1": "A", "a2": "A", "a3": "A", "a4": "A", "b1": "B"})
    evidence = pd.DataFrame(
        {
            "record_key": ["a1", "a2", "a2", "a3", "b1"],
            "node": ["email:x", "email:x", "cookie:c", "cookie:c", "email:x"],
        }
    )
    labels = evidence_components(persons, evidence)
    assert groups(labels) == {
        frozenset({"a1", "a2", "a3"}),
        frozenset({"a4"}),
        frozenset({"b1"}),
    }
    assert labels["a1"].startswith("A#") and labels["b1"].startswith("B#")


def test_linkable_truth_reads_identifiers_and_attribute_pairs(tmp_path) -> None:
    wh = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(wh))
    con.execute("create schema intermediate")
    con.execute(
        """
        create table intermediate.int_identity_records_expanded as
        select * from (values
            ('r1', 'h1', null, null, 'mia', 'smith', null, '10115', null),
            ('r2', null, '+49170', null, 'mia', 'smith', null, null, null),
            ('r3', null, '+49170', 'C1', null, null, null, null, null),
            ('r4', null, null, null, 'mia', 's', null, null, null)
        ) as t(record_key, email_hash, phone_e164, web_customer_id, first_name_key,
               last_name_key, birth_date, postcode, street_key)
        """
    )
    # every other plain column the evidence keys read, all null here
    created = {
        "email_hash",
        "phone_e164",
        "web_customer_id",
        "first_name_key",
        "last_name_key",
        "birth_date",
        "postcode",
        "street_key",
    }
    for column in sorted(set(EVIDENCE_KEYS.values()) - created):
        if column.isidentifier():
            con.execute(
                "alter table intermediate.int_identity_records_expanded "
                f"add column {column} varchar"
            )
    con.close()
    persons = series({"r1": "P", "r2": "P", "r3": "P", "r4": "P"})
    labels = linkable_truth(str(wh), persons)
    # r1-r2 by full name, r2-r3 by phone; "Mia S." at the till has no evidence
    assert groups(labels) == {frozenset({"r1", "r2", "r3"}), frozenset({"r4"})}


def test_evaluate_reports_recall_against_linkable_truth() -> None:
    persons = series({"a1": "A", "a2": "A", "a3": "A"})
    linkable = series({"a1": "A#0", "a2": "A#0", "a3": "A#1"})
    truth = Truth(
        record_person=persons,
        hazards=pd.DataFrame({"record_key": [], "hazard": []}, dtype=object),
        persons=pd.DataFrame(
            {"person_id": ["A"], "household_id": ["H"], "twin_of": [""]}, dtype=object
        ),
        linkable=linkable,
    )
    ev = evaluate(series({"a1": "c1", "a2": "c1", "a3": "c2"}), truth)
    assert ev.pairwise.recall == pytest.approx(1 / 3)
    assert ev.pairwise_linkable is not None and ev.pairwise_linkable.recall == 1.0
    assert ev.bcubed_linkable is not None and ev.bcubed_linkable.recall == 1.0


def test_survival_counts_kept_merged_and_changed_ids() -> None:
    before = series({"a": "x", "b": "x", "c": "y", "d": "z", "e": "w", "f": "w"})
    # x survives (gains c), y merged into x, z keeps its id, w is split in two new ids
    after = series({"a": "x", "b": "x", "c": "x", "d": "z", "e": "v", "f": "u", "g": "x"})
    s = id_survival(before, after)
    assert (s.ids_before, s.ids_surviving, s.ids_merged_away, s.ids_changed) == (4, 2, 1, 1)
    assert (s.records_before, s.records_keeping_id) == (6, 3)
    assert s.id_survival_rate == 0.5


def test_survival_rejects_records_lost_after_new_data() -> None:
    with pytest.raises(ValueError, match="missing after"):
        id_survival(series({"a": "x", "b": "x"}), series({"a": "x"}))


def test_wrong_links_count_nodes_spanning_persons_and_junk_hubs() -> None:
    truth = Truth(
        record_person=series({"a1": "A", "a2": "A", "b1": "B", "c1": "C"}),
        hazards=pd.DataFrame({"record_key": ["c1"], "hazard": ["junk_identifier"]}, dtype=object),
        persons=pd.DataFrame({"person_id": ["A", "B", "C"]}, dtype=object),
    )
    edges = pd.DataFrame(
        {
            "record_key": ["a1", "a2", "a2", "b1", "b1", "c1"],
            # n1 joins A's records (right), n2 joins A and B (wrong), n3 is a junk hub B-C
            "link_node": ["n1", "n1", "n2", "n2", "n3", "n3"],
        }
    )
    w = wrong_links(edges, truth)
    assert (w.links, w.wrong, w.wrong_touching_junk) == (3, 2, 1)
