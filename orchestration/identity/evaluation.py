"""Score a resolved identity map against the generator's ground truth.

A *prediction* maps record_key -> cluster (the resolved customer id); the *truth* maps
record_key -> person_id. The truth defines the universe: a truth record missing from the
prediction is its own singleton cluster, a predicted record missing from the truth is
ignored. Everything is counted per group, never by materialising pairs: a group of n
records holds n*(n-1)/2 pairs, the correct pairs are those inside one cell (same cluster
and same person), and pairs that touch a tagged record are C(n, 2) - C(n - tagged, 2).

Empty denominators follow the generator's naive baseline: no predicted pairs gives
precision 1.0, no true pairs gives recall 1.0.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

DEFAULT_PREDICTION_TABLE = "marts.dim_customer_identity_map"
DEFAULT_CLUSTER_COLUMN = "customer_id"
JUNK_TAG = "junk_identifier"
ANONYMOUS_TAG = "anonymous"
RECORD_PERSONS_FILE = "record_persons.csv"
HAZARDS_FILE = "hazards.csv"
PERSONS_FILE = "persons.csv"

Labels = Mapping[str, Hashable] | pd.Series
HazardTags = Mapping[str, Iterable[str]] | pd.DataFrame

_TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")


# -- results -------------------------------------------------------------------------
@dataclass(frozen=True)
class Scores:
    """Pairwise precision, recall and F1 with the pair counts behind them."""

    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int


@dataclass(frozen=True)
class BCubed:
    """B-cubed precision, recall and F1 (per-record averages)."""

    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class HazardScore:
    """Pairwise scores restricted to pairs that involve at least one tagged record."""

    hazard: str
    records: int
    recall: float
    precision: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int


@dataclass(frozen=True)
class KeptApart:
    """Person pairs of one class (twins, households) that the prediction never merges."""

    pair_class: str
    pairs: int
    kept_apart: int
    rate: float


@dataclass(frozen=True)
class JunkEffect:
    """Clusters mixing several true persons that hold a junk-tagged record."""

    junk_records: int
    junk_clusters: int
    mixed_clusters: int
    largest_cluster: int
    largest_junk_cluster: int


@dataclass(frozen=True)
class Truth:
    """Ground truth of one generated data set, keyed by warehouse record_key."""

    record_person: pd.Series  # index record_key -> person_id
    hazards: pd.DataFrame  # record_key, hazard (one row per planted hazard)
    persons: pd.DataFrame  # persons.csv as strings ('' for empty)
    # record_key -> evidence component (orchestration.identity.linkable), when known
    linkable: pd.Series | None = None

    def tagged(self, hazard: str) -> set[str]:
        return set(self.hazards.loc[self.hazards["hazard"] == hazard, "record_key"])


@dataclass(frozen=True)
class Evaluation:
    """Every metric of one prediction against one truth."""

    records: int
    predicted_records: int
    clusters: int
    persons: int
    pairwise: Scores
    pairwise_identifiable: Scores
    bcubed: BCubed
    pairwise_linkable: Scores | None
    bcubed_linkable: BCubed | None
    hazards: dict[str, HazardScore]
    kept_apart: dict[str, KeptApart]
    junk: JunkEffect


class MissingTableError(LookupError):
    """A table the evaluation reads does not exist (yet) in the warehouse."""


# -- assignment: truth records with their person and cluster codes --------------------
@dataclass(frozen=True)
class _Assignment:
    keys: pd.Index  # record_key of every truth record
    person: np.ndarray  # person code per record
    cluster: np.ndarray  # cluster code per record (unpredicted -> own singleton)
    person_labels: pd.Index  # person code -> person label
    cell: np.ndarray  # (cluster, person) cell code per record
    cell_cluster: np.ndarray  # cell code -> cluster code
    cell_person: np.ndarray  # cell code -> person code
    predicted: int  # truth records that have a prediction


def _as_series(labels: Labels, what: str) -> pd.Series:
    if isinstance(labels, pd.Series):
        series = labels
    else:
        series = pd.Series(list(labels.values()), index=list(labels.keys()), dtype=object)
    if series.index.has_duplicates:
        raise ValueError(f"{what} has duplicate record keys")
    return series


def _assign(pred: Labels, truth: Labels) -> _Assignment:
    truth_s = _as_series(truth, "truth")
    if truth_s.isna().any():
        raise ValueError("truth has records without a person")
    pred_s = _as_series(pred, "prediction").reindex(truth_s.index)
    person, person_labels = pd.factorize(truth_s, sort=False)
    cluster, _ = pd.factorize(pred_s, sort=False, use_na_sentinel=True)
    cluster = cluster.astype(np.int64)
    missing = cluster < 0
    start = int(cluster.max()) + 1 if len(cluster) else 0
    cluster[missing] = start + np.arange(int(missing.sum()), dtype=np.int64)
    n_persons = max(len(person_labels), 1)
    cell_key = cluster * n_persons + person.astype(np.int64)
    cells, cell = np.unique(cell_key, return_inverse=True)
    return _Assignment(
        keys=pd.Index(truth_s.index),
        person=person.astype(np.int64),
        cluster=cluster,
        person_labels=pd.Index(person_labels),
        cell=cell.astype(np.int64),
        cell_cluster=cells // n_persons,
        cell_person=cells % n_persons,
        predicted=int((~missing).sum()),
    )


def _pairs(sizes: np.ndarray) -> int:
    sizes = sizes.astype(np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


# -- metrics ---------------------------------------------------------------------------
def _pairwise(a: _Assignment) -> Scores:
    true_pairs = _pairs(np.bincount(a.person))
    predicted_pairs = _pairs(np.bincount(a.cluster))
    correct = _pairs(np.bincount(a.cell))
    precision = _ratio(correct, predicted_pairs)
    recall = _ratio(correct, true_pairs)
    return Scores(precision, recall, _f1(precision, recall), true_pairs, predicted_pairs, correct)


def pairwise_scores(pred: Labels, truth: Labels) -> Scores:
    """Pairwise precision/recall/F1 by contingency counting over (cluster, person) cells."""
    return _pairwise(_assign(pred, truth))


def _bcubed(a: _Assignment) -> BCubed:
    n = len(a.keys)
    if n == 0:
        return BCubed(1.0, 1.0, 1.0)
    cell_size = np.bincount(a.cell).astype(np.float64)
    cluster_size = np.bincount(a.cluster).astype(np.float64)
    person_size = np.bincount(a.person).astype(np.float64)
    # every record of a cell has precision cell/cluster and recall cell/person
    precision = float((cell_size**2 / cluster_size[a.cell_cluster]).sum() / n)
    recall = float((cell_size**2 / person_size[a.cell_person]).sum() / n)
    return BCubed(precision, recall, _f1(precision, recall))


def bcubed_scores(pred: Labels, truth: Labels) -> BCubed:
    """B-cubed precision/recall/F1: per-record averages computed from group counts."""
    return _bcubed(_assign(pred, truth))


def _hazard_frame(hazards: HazardTags) -> pd.DataFrame:
    if isinstance(hazards, pd.DataFrame):
        return hazards[["record_key", "hazard"]]
    rows = [(key, tag) for key, tags in hazards.items() for tag in tags]
    return pd.DataFrame(rows, columns=["record_key", "hazard"], dtype=object)


def _pairs_touching(sizes: np.ndarray, tagged: np.ndarray) -> int:
    """Pairs inside groups that involve at least one tagged member."""
    sizes = sizes.astype(np.int64)
    rest = sizes - tagged.astype(np.int64)
    return int((sizes * (sizes - 1) // 2 - rest * (rest - 1) // 2).sum())


def _hazards(a: _Assignment, hazards: HazardTags) -> dict[str, HazardScore]:
    frame = _hazard_frame(hazards)
    pos = a.keys.get_indexer(frame["record_key"])
    frame = pd.DataFrame({"hazard": frame["hazard"].to_numpy(), "pos": pos})
    frame = frame[frame["pos"] >= 0].drop_duplicates()
    person_size = np.bincount(a.person)
    cluster_size = np.bincount(a.cluster)
    cell_size = np.bincount(a.cell)
    out: dict[str, HazardScore] = {}
    for tag, group in sorted(frame.groupby("hazard", sort=True), key=lambda g: str(g[0])):
        pos_t = group["pos"].to_numpy()
        true_pairs = _pairs_touching(
            person_size, np.bincount(a.person[pos_t], minlength=len(person_size))
        )
        predicted = _pairs_touching(
            cluster_size, np.bincount(a.cluster[pos_t], minlength=len(cluster_size))
        )
        correct = _pairs_touching(cell_size, np.bincount(a.cell[pos_t], minlength=len(cell_size)))
        out[str(tag)] = HazardScore(
            hazard=str(tag),
            records=len(pos_t),
            recall=_ratio(correct, true_pairs),
            precision=_ratio(correct, predicted),
            true_pairs=true_pairs,
            predicted_pairs=predicted,
            correct_pairs=correct,
        )
    return out


def hazard_scores(pred: Labels, truth: Labels, hazards: HazardTags) -> dict[str, HazardScore]:
    """Per hazard tag: recall over true pairs and precision over predicted pairs that
    involve at least one tagged record. `hazards` maps record_key -> tags, or is a frame
    with columns record_key, hazard. Tags on records outside the truth are ignored."""
    return _hazards(_assign(pred, truth), hazards)


def _person_pairs(persons: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Unordered (a, b) person-label pairs per class: twins and households."""
    p = persons[["person_id", "household_id", "twin_of"]].astype(object)
    twins = p[p["twin_of"].notna() & (p["twin_of"] != "")]
    twin_pairs = pd.DataFrame(
        {
            "a": np.where(
                twins["person_id"] < twins["twin_of"], twins["person_id"], twins["twin_of"]
            ),
            "b": np.where(
                twins["person_id"] < twins["twin_of"], twins["twin_of"], twins["person_id"]
            ),
        }
    ).drop_duplicates()
    members = p.loc[
        p["household_id"].notna() & (p["household_id"] != ""), ["person_id", "household_id"]
    ]
    household = members.merge(members, on="household_id", suffixes=("_a", "_b"))
    household = household[household["person_id_a"] < household["person_id_b"]]
    household_pairs = pd.DataFrame(
        {"a": household["person_id_a"].to_numpy(), "b": household["person_id_b"].to_numpy()}
    ).drop_duplicates()
    return {"twins": twin_pairs, "households": household_pairs}


def _kept_apart(a: _Assignment, persons: pd.DataFrame) -> dict[str, KeptApart]:
    cells = pd.DataFrame({"cluster": a.cell_cluster, "person": a.cell_person})
    out: dict[str, KeptApart] = {}
    for pair_class, pairs in _person_pairs(persons).items():
        codes = pd.DataFrame(
            {
                "a": a.person_labels.get_indexer(pairs["a"]),
                "b": a.person_labels.get_indexer(pairs["b"]),
            }
        )
        # a pair where one person has no record at all cannot be merged: not a test
        codes = codes[(codes["a"] >= 0) & (codes["b"] >= 0)]
        with_a = codes.merge(cells, left_on="a", right_on="person")[["a", "b", "cluster"]]
        shared = with_a.merge(cells, left_on=["b", "cluster"], right_on=["person", "cluster"])
        merged = len(shared[["a", "b"]].drop_duplicates())
        total = len(codes)
        out[pair_class] = KeptApart(
            pair_class, total, total - merged, _ratio(total - merged, total)
        )
    return out


def kept_apart_rate(pred: Labels, truth: Labels, persons: pd.DataFrame) -> dict[str, KeptApart]:
    """Share of twin pairs (persons.twin_of) and household pairs (same household_id,
    different persons; twins included) that no predicted cluster joins. Only pairs
    where both persons have at least one truth record count."""
    return _kept_apart(_assign(pred, truth), persons)


def _junk(a: _Assignment, junk_records: Iterable[str]) -> JunkEffect:
    pos = a.keys.get_indexer(pd.Index(list(set(junk_records)), dtype=object))
    pos = pos[pos >= 0]
    cluster_size = np.bincount(a.cluster)
    persons_in_cluster = np.bincount(a.cell_cluster, minlength=len(cluster_size))
    junk_in_cluster = np.bincount(a.cluster[pos], minlength=len(cluster_size))
    mixed = persons_in_cluster > 1
    junk_mixed = mixed & (junk_in_cluster > 0)
    return JunkEffect(
        junk_records=len(pos),
        junk_clusters=int(junk_mixed.sum()),
        mixed_clusters=int(mixed.sum()),
        largest_cluster=int(cluster_size.max()) if len(cluster_size) else 0,
        largest_junk_cluster=int(cluster_size[junk_mixed].max()) if junk_mixed.any() else 0,
    )


def junk_effect(pred: Labels, truth: Labels, junk_records: Iterable[str]) -> JunkEffect:
    """Clusters that mix records of more than one true person and contain a record
    tagged junk_identifier, with all mixed clusters and the largest cluster for scale."""
    return _junk(_assign(pred, truth), junk_records)


@dataclass(frozen=True)
class WrongLinks:
    """Link nodes (a shared identifier value, a matched pair) whose records belong to
    more than one true person, and how many of them touch a junk-tagged record."""

    links: int
    wrong: int
    wrong_touching_junk: int


def wrong_links(edges: pd.DataFrame, truth: Truth) -> WrongLinks:
    """`edges` has record_key, link_node (the warehouse's int_identity_links_unioned)."""
    e = edges[["record_key", "link_node"]].copy()
    e["person"] = e["record_key"].map(truth.record_person)
    e["junk"] = e["record_key"].isin(truth.tagged(JUNK_TAG))
    per_node = e.groupby("link_node").agg(persons=("person", "nunique"), junk=("junk", "any"))
    wrong = per_node["persons"] > 1
    return WrongLinks(
        links=len(per_node),
        wrong=int(wrong.sum()),
        wrong_touching_junk=int((wrong & per_node["junk"]).sum()),
    )


def evaluate(pred: Labels, truth: Truth) -> Evaluation:
    """Every metric of one prediction. `pairwise_identifiable` leaves out the records
    tagged anonymous (unresolvable by design); the `*_linkable` scores, when the truth
    carries evidence components, score against those instead of whole persons."""
    a = _assign(pred, truth.record_person)
    anonymous = truth.tagged(ANONYMOUS_TAG)
    identifiable = truth.record_person[~truth.record_person.index.isin(anonymous)]
    return Evaluation(
        records=len(a.keys),
        predicted_records=a.predicted,
        clusters=len(np.unique(a.cluster)),
        persons=len(a.person_labels),
        pairwise=_pairwise(a),
        pairwise_identifiable=pairwise_scores(pred, identifiable),
        bcubed=_bcubed(a),
        pairwise_linkable=None if truth.linkable is None else pairwise_scores(pred, truth.linkable),
        bcubed_linkable=None if truth.linkable is None else bcubed_scores(pred, truth.linkable),
        hazards=_hazards(a, truth.hazards),
        kept_apart=_kept_apart(a, truth.persons),
        junk=_junk(a, truth.tagged(JUNK_TAG)),
    )


# -- loading ---------------------------------------------------------------------------
def load_truth(truth_dir: Path | str) -> Truth:
    """Read the generator's ground_truth folder, keyed by '<source>.<table>:<record_id>'."""
    truth_dir = Path(truth_dir)
    con = duckdb.connect()
    try:

        def keyed(file: str, value: str) -> pd.DataFrame:
            return con.execute(
                f"""
                select source || '.' || "table" || ':' || record_id as record_key, {value}
                from read_csv(?, header = true, all_varchar = true)
                """,
                [str(truth_dir / file)],
            ).df()

        records = keyed(RECORD_PERSONS_FILE, "person_id")
        hazards = keyed(HAZARDS_FILE, "hazard")
    finally:
        con.close()
    persons = pd.read_csv(truth_dir / PERSONS_FILE, dtype=str, keep_default_na=False)
    record_person = pd.Series(
        records["person_id"].to_numpy(dtype=object),
        index=pd.Index(records["record_key"].to_numpy(dtype=object), name="record_key"),
        name="person_id",
    )
    return Truth(record_person=record_person, hazards=hazards.astype(object), persons=persons)


def require_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Raise MissingTableError unless `schema.table` (or a bare table) exists."""
    if not _TABLE_NAME.match(table):
        raise ValueError(f"not a table name: {table!r}")
    schema, _, name = table.rpartition(".")
    found = con.execute(
        """
        select count(*) from information_schema.tables
        where table_name = ? and (? = '' or table_schema = ?)
        """,
        [name, schema, schema],
    ).fetchone()
    if not found or not found[0]:
        raise MissingTableError(f"table {table} does not exist in the warehouse")


def load_prediction(
    warehouse: Path | str,
    table: str = DEFAULT_PREDICTION_TABLE,
    cluster_column: str = DEFAULT_CLUSTER_COLUMN,
) -> pd.Series:
    """record_key -> resolved cluster, read through a read-only connection."""
    if not _TABLE_NAME.match(cluster_column) or "." in cluster_column:
        raise ValueError(f"not a column name: {cluster_column!r}")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        require_table(con, table)
        df = con.execute(f"select record_key, {cluster_column} as cluster from {table}").df()
    finally:
        con.close()
    return pd.Series(
        df["cluster"].to_numpy(dtype=object),
        index=pd.Index(df["record_key"].to_numpy(dtype=object), name="record_key"),
        name="cluster",
    )


# -- report ----------------------------------------------------------------------------
def _fmt(value: float) -> str:
    return f"{value:.4f}"


def _metric_rows(ev: Evaluation) -> list[tuple[str, str]]:
    rows = [
        ("records scored", f"{ev.records:,}"),
        ("records predicted", f"{ev.predicted_records:,}"),
        ("clusters / true persons", f"{ev.clusters:,} / {ev.persons:,}"),
        ("pairwise precision", _fmt(ev.pairwise.precision)),
        ("pairwise recall", _fmt(ev.pairwise.recall)),
        ("pairwise F1", _fmt(ev.pairwise.f1)),
        ("predicted / true pairs", f"{ev.pairwise.predicted_pairs:,} / {ev.pairwise.true_pairs:,}"),
        ("pairwise P excl. anonymous", _fmt(ev.pairwise_identifiable.precision)),
        ("pairwise R excl. anonymous", _fmt(ev.pairwise_identifiable.recall)),
        ("B-cubed precision", _fmt(ev.bcubed.precision)),
        ("B-cubed recall", _fmt(ev.bcubed.recall)),
        ("B-cubed F1", _fmt(ev.bcubed.f1)),
    ]
    if ev.pairwise_linkable is not None and ev.bcubed_linkable is not None:
        # precision stays against the whole truth; recall counts only what evidence can reach
        pw_r, b3_r = ev.pairwise_linkable.recall, ev.bcubed_linkable.recall
        rows += [
            ("pairwise R, linkable truth", _fmt(pw_r)),
            ("pairwise F1, linkable R", _fmt(_f1(ev.pairwise.precision, pw_r))),
            ("B-cubed R, linkable truth", _fmt(b3_r)),
            ("B-cubed F1, linkable R", _fmt(_f1(ev.bcubed.precision, b3_r))),
        ]
    for k in ev.kept_apart.values():
        rows.append(
            (f"{k.pair_class} kept apart", f"{_fmt(k.rate)} ({k.kept_apart:,}/{k.pairs:,})")
        )
    rows += [
        ("clusters mixing persons", f"{ev.junk.mixed_clusters:,}"),
        ("  of which with a junk record", f"{ev.junk.junk_clusters:,}"),
        ("largest cluster", f"{ev.junk.largest_cluster:,}"),
        ("largest junk cluster", f"{ev.junk.largest_junk_cluster:,}"),
    ]
    for h in ev.hazards.values():
        rows.append((f"{h.hazard} R / P", f"{h.recall:.3f} / {h.precision:.3f}"))
    return rows


def report(
    evaluations: Mapping[str, Evaluation],
    extra: Sequence[tuple[str, Mapping[str, str]]] = (),
) -> list[tuple[str, ...]]:
    """Side-by-side rows: a header (metric, *system names), one row per metric, then
    `extra` rows (label, {system: value}) such as wall time and peak memory."""
    names = list(evaluations)
    per_system = {name: dict(_metric_rows(ev)) for name, ev in evaluations.items()}
    labels: list[str] = []
    for name in names:
        labels += [label for label, _ in _metric_rows(evaluations[name]) if label not in labels]
    rows: list[tuple[str, ...]] = [("metric", *names)]
    rows += [(label, *(per_system[n].get(label, "-") for n in names)) for label in labels]
    rows += [(label, *(values.get(n, "-") for n in names)) for label, values in extra]
    return rows


def format_rows(rows: Sequence[Sequence[str]]) -> str:
    """Align report rows as a plain-text table."""
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for j, row in enumerate(rows):
        cells = [
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
