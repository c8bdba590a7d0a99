"""Estimate the Fellegi-Sunter weights of the dbt pair scoring with Splink, without labels.

The comparisons and blocking rules are the analysts' dbt vars (`match_config`), turned
into Splink `CustomComparison`s level by level, so Splink trains exactly the levels the
dbt model `int_identity_pairs_scored` assigns. The records are
`intermediate.int_identity_match_features`, copied through a read-only attachment of the
warehouse into Splink's own in-memory DuckDB (types kept as they are: no pandas round
trip turning NULL integers into NaN).

Training, in Splink's usual order:

1. lambda, the probability that two random records match: the pairs that
   rules of var `identity_prior_rules` find, divided by all pairs and scaled up by var
   `identity_prior_rule_recall` (the dbt scoring re-estimates lambda the same way on
   every build: it shrinks as data grows). The rules are an email or a phone in common
   *with the same first name* (a family mailbox or a household landline alone is not one person). On
   the generator's ground truth they find 0.19 of the truly matching pairs (0.1905,
   0.1895 and 0.1920 at 2,000, 5,000 and 20,000 persons) with precision 0.9998: most
   records of a person share no email or phone (till receipts, marketplace orders),
   hence recall 0.19 rather than a textbook 0.7, which would put lambda 3.7 times too
   low. Change it (`--recall`) when real exports carry emails more or less often.
2. u, by random sampling of up to `max_pairs` pairs; which records are sampled is a hash
   of record_key and `seed`, so it is reproducible. Random pairs include a few true
   matches; at small scale that inflates u of rare agreements (email, phone) and so
   understates their weight, which is the conservative side.
3. m, by expectation maximisation on `EM_BLOCKING_RULES`: same first and last name,
   then same email. Splink does not estimate a comparison whose columns the blocking
   rule uses, so the first session trains birth date, postcode, street, email and
   phone, the second first name, last name, birth date, postcode, street and phone;
   together they cover every comparison (a level trained in both gets the median of
   the two, Splink's rule). Checked against the ground-truth m and u at 2,000, 5,000
   and 20,000 persons, this pair of rules came closest (mean |error| of the log2 Bayes
   factors 1.4, 1.1, 0.6 bits) and trained every level. "Same surname and postcode"
   then "same birth date" was worse (1.9, 2.5, 1.1 bits): the surname + postcode block
   is full of households, birth dates are rare in the data, and EM drove street 'else'
   to m ~ 1e-12 (weight -35 instead of -5) and left last_name 'initial' untrained.

Fallback: a level that Splink could not estimate (m or u missing because the level was
never observed, or zero) gets m = u, i.e. weight 0: the level then neither supports nor
contradicts a match, and it is reported (`TrainedWeights.fallbacks`, the CLI output) so
an analyst can widen `max_pairs` or rethink the level. A level with neither estimate
gets m = u = 1 / (number of weighted levels of its comparison).

The seed CSV is written in the order of the vars (prior first), floats as `repr`, with
"\\n" line ends: the same data and seed give the same bytes.

    .venv/bin/python -m orchestration.identity.training \\
        [--warehouse PATH] [--out seeds/identity/identity_match_weights.csv]
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import math
import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator

from orchestration.contract import PROJECT_DIR
from orchestration.identity.match_config import Comparison, MatchConfig, load_match_config
from orchestration.settings import Settings

FEATURES_TABLE = "intermediate.int_identity_match_features"
UNIQUE_ID = "record_key"
PRIOR_COMPARISON = "__prior__"
PRIOR_LEVEL = "probability_two_random_records_match"
SEED_HEADER = ("comparison", "level", "m_probability", "u_probability")
DEFAULT_SEED_PATH = PROJECT_DIR / "seeds" / "identity" / "identity_match_weights.csv"

EM_BLOCKING_RULES = (
    "l.first_name_key = r.first_name_key and l.last_name_key = r.last_name_key",
    "l.email_hash = r.email_hash",
)

FALLBACK_M_FROM_U = "m not estimated: m := u (weight 0)"
FALLBACK_U_FROM_M = "u not estimated: u := m (weight 0)"
FALLBACK_NEITHER = "neither m nor u estimated: m = u = 1/levels (weight 0)"

_TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$")
_ATTACHED = "identity_warehouse"
_LOCAL_TABLE = "identity_match_features"


class TrainingError(RuntimeError):
    """Splink's trained model cannot be mapped back onto the configured levels."""


@dataclass(frozen=True)
class LevelWeights:
    comparison: str
    level: str
    m_probability: float
    u_probability: float
    fallback: str | None = None

    @property
    def match_weight(self) -> float:
        """log2 Bayes factor, the weight the dbt model adds for this level."""
        return math.log2(self.m_probability / self.u_probability)


@dataclass(frozen=True)
class TrainedWeights:
    probability_two_random_records_match: float
    levels: tuple[LevelWeights, ...]
    records: int = 0
    seconds: float = 0.0

    @property
    def prior_weight(self) -> float:
        lam = self.probability_two_random_records_match
        return math.log2(lam / (1 - lam))

    @property
    def fallbacks(self) -> tuple[LevelWeights, ...]:
        return tuple(level for level in self.levels if level.fallback is not None)

    def level(self, comparison: str, label: str) -> LevelWeights:
        for level in self.levels:
            if level.comparison == comparison and level.level == label:
                return level
        raise KeyError((comparison, label))


# -- Splink model -----------------------------------------------------------------------
def splink_comparison(comparison: Comparison) -> cl.CustomComparison:
    """The var comparison as a Splink comparison: same levels, same order, same labels."""
    levels = []
    for level in comparison.levels:
        creator = cll.CustomLevel(
            level.sql, label_for_charts=level.label, base_dialect_str="duckdb"
        )
        if level.is_null:
            creator = creator.configure(is_null_level=True)
        levels.append(creator)
    return cl.CustomComparison(
        comparison_levels=levels,
        output_column_name=comparison.name,
        comparison_description=comparison.name,
    )


def build_settings(config: MatchConfig) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=UNIQUE_ID,
        comparisons=[splink_comparison(c) for c in config.comparisons],
        blocking_rules_to_generate_predictions=list(config.blocking_rules),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def copy_features(
    con: duckdb.DuckDBPyConnection, warehouse: Path, table: str = FEATURES_TABLE
) -> int:
    """Copy `table` from the warehouse (attached read-only) into `con`; returns its rows."""
    if not _TABLE_NAME.match(table):
        raise ValueError(f"not a schema.table name: {table!r}")
    if not warehouse.is_file():
        raise FileNotFoundError(f"warehouse not found: {warehouse}")
    schema, name = table.split(".")
    con.execute(f"attach '{_sql_literal(str(warehouse))}' as {_ATTACHED} (read_only)")
    try:
        found = con.execute(
            "select count(*) from information_schema.tables "
            "where table_catalog = ? and table_schema = ? and table_name = ?",
            [_ATTACHED, schema, name],
        ).fetchall()
        if not found[0][0]:
            raise LookupError(
                f"table {table} does not exist in {warehouse} (run `dbt build` first)"
            )
        # Ordered so that every later step sees the records in the same order.
        con.execute(
            f"create table {_LOCAL_TABLE} as select * from {_ATTACHED}.{table} order by {UNIQUE_ID}"
        )
    finally:
        con.execute(f"detach {_ATTACHED}")
    return int(con.execute(f"select count(*) from {_LOCAL_TABLE}").fetchall()[0][0])


def train_match_weights(
    warehouse: Path,
    *,
    seed: int = 42,
    max_pairs: float = 2e6,
    config: MatchConfig | None = None,
    table: str = FEATURES_TABLE,
    recall: float | None = None,
    em_blocking_rules: Sequence[str] = EM_BLOCKING_RULES,
    log_level: int | None = None,
) -> TrainedWeights:
    """Estimate lambda, u and m for every level of the configured comparisons."""
    started = time.perf_counter()
    config = config or load_match_config()
    con = duckdb.connect(":memory:")
    try:
        records = copy_features(con, Path(warehouse), table)
        if records < 2:
            raise TrainingError(f"{table} holds {records} records: nothing to train on")
        db_api = DuckDBAPI(connection=con)
        frame = db_api.register(_LOCAL_TABLE)
        linker = Linker(frame, build_settings(config), log_level=log_level)
        linker.training.estimate_probability_two_random_records_match(
            list(config.prior_rules), recall=recall or config.prior_rule_recall
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
        # EM sums floating-point values over DuckDB tables whose row order varies with
        # thread scheduling; one thread makes the m estimates bit-for-bit reproducible.
        con.execute("set threads = 1")
        for rule in em_blocking_rules:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        model = linker.misc.save_model_to_json()
    finally:
        con.close()
    weights = weights_from_model(model, config)
    return TrainedWeights(
        probability_two_random_records_match=weights.probability_two_random_records_match,
        levels=weights.levels,
        records=records,
        seconds=time.perf_counter() - started,
    )


# -- reading the trained model -----------------------------------------------------------
def weights_from_model(model: Mapping[str, Any], config: MatchConfig) -> TrainedWeights:
    """m and u per configured level from a Splink settings dict (`save_model_to_json()`)."""
    lam = model.get("probability_two_random_records_match")
    if not _is_probability(lam) or lam >= 1:
        raise TrainingError(f"Splink estimated no usable prior (got {lam!r})")
    by_name = {c.get("output_column_name"): c for c in model.get("comparisons", [])}
    levels: list[LevelWeights] = []
    for comparison in config.comparisons:
        trained = by_name.get(comparison.name)
        if trained is None:
            raise TrainingError(f"comparison {comparison.name!r} is missing from the model")
        trained_levels = trained.get("comparison_levels", [])
        if len(trained_levels) != len(comparison.levels):
            raise TrainingError(
                f"comparison {comparison.name!r}: the model has {len(trained_levels)} levels, "
                f"the vars {len(comparison.levels)}"
            )
        n_weighted = len(comparison.weighted_levels)
        for level, trained_level in zip(comparison.levels, trained_levels, strict=True):
            if trained_level.get("label_for_charts") != level.label:
                raise TrainingError(
                    f"comparison {comparison.name!r}: model level "
                    f"{trained_level.get('label_for_charts')!r} where the vars have "
                    f"{level.label!r}"
                )
            if level.is_null:
                continue
            levels.append(
                _with_fallback(
                    comparison.name,
                    level.label,
                    trained_level.get("m_probability"),
                    trained_level.get("u_probability"),
                    n_weighted,
                )
            )
    return TrainedWeights(probability_two_random_records_match=float(lam), levels=tuple(levels))


def _with_fallback(comparison: str, label: str, m: Any, u: Any, n_levels: int) -> LevelWeights:
    m_ok, u_ok = _is_probability(m), _is_probability(u)
    if m_ok and u_ok:
        return LevelWeights(comparison, label, float(m), float(u))
    if u_ok:
        return LevelWeights(comparison, label, float(u), float(u), FALLBACK_M_FROM_U)
    if m_ok:
        return LevelWeights(comparison, label, float(m), float(m), FALLBACK_U_FROM_M)
    uniform = 1.0 / n_levels
    return LevelWeights(comparison, label, uniform, uniform, FALLBACK_NEITHER)


def _is_probability(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 < value <= 1
    )


# -- the seed file -----------------------------------------------------------------------
def render_weights_seed(weights: TrainedWeights) -> str:
    """The seed CSV as text: prior first, then the levels in the order of the vars."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SEED_HEADER)
    writer.writerow(
        [PRIOR_COMPARISON, PRIOR_LEVEL, repr(weights.probability_two_random_records_match), ""]
    )
    for level in weights.levels:
        writer.writerow(
            [level.comparison, level.level, repr(level.m_probability), repr(level.u_probability)]
        )
    return buffer.getvalue()


def write_weights_seed(weights: TrainedWeights, path: Path) -> None:
    """Write the seed CSV; replaced atomically so dbt never reads half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(render_weights_seed(weights), encoding="utf-8", newline="")
    os.replace(tmp, path)


def read_weights_seed(path: Path) -> TrainedWeights:
    """Read a seed CSV written by `write_weights_seed` (fallback notes are not stored)."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    priors = [row for row in rows if row["comparison"] == PRIOR_COMPARISON]
    if len(priors) != 1:
        raise ValueError(f"{path}: expected one {PRIOR_COMPARISON} row, found {len(priors)}")
    levels = tuple(
        LevelWeights(
            row["comparison"],
            row["level"],
            float(row["m_probability"]),
            float(row["u_probability"]),
        )
        for row in rows
        if row["comparison"] != PRIOR_COMPARISON
    )
    return TrainedWeights(
        probability_two_random_records_match=float(priors[0]["m_probability"]), levels=levels
    )


def format_weights(weights: TrainedWeights) -> str:
    """A plain-text table of the weights, for the CLI and reports."""
    lines = [
        f"{'comparison':<12} {'level':<20} {'m':>11} {'u':>11} {'log2 BF':>8}  note",
        f"{PRIOR_COMPARISON:<12} {'lambda':<20} "
        f"{weights.probability_two_random_records_match:>11.4g} {'':>11} "
        f"{weights.prior_weight:>8.2f}",
    ]
    for level in weights.levels:
        lines.append(
            f"{level.comparison:<12} {level.level:<20} {level.m_probability:>11.4g} "
            f"{level.u_probability:>11.4g} {level.match_weight:>8.2f}  {level.fallback or ''}"
        )
    return "\n".join(lines).rstrip()


def _sql_literal(value: str) -> str:
    return value.replace("'", "''")


# -- command line ------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.identity.training",
        description="Estimate the identity match weights with Splink and write the dbt seed.",
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        help="DuckDB warehouse (default: WAREHOUSE_PATH, as the pipeline uses)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_SEED_PATH, help="seed CSV to write")
    parser.add_argument("--seed", type=int, default=42, help="random sampling seed for u")
    parser.add_argument(
        "--max-pairs", type=float, default=2e6, help="random pairs sampled to estimate u"
    )
    parser.add_argument(
        "--recall",
        type=float,
        default=None,
        help="share of true matches the prior rules find (default: var identity_prior_rule_recall)",
    )
    parser.add_argument("--verbose", action="store_true", help="show Splink's progress")
    args = parser.parse_args(argv)
    warehouse = args.warehouse or Settings.from_env().warehouse_path
    weights = train_match_weights(
        warehouse,
        seed=args.seed,
        max_pairs=args.max_pairs,
        recall=args.recall,
        log_level=logging.INFO if args.verbose else logging.WARNING,
    )
    write_weights_seed(weights, args.out)
    print(format_weights(weights))
    print(
        f"\n{weights.records:,} records from {warehouse}; trained in {weights.seconds:.1f} s; "
        f"wrote {args.out}"
    )
    for level in weights.fallbacks:
        print(f"fallback: {level.comparison}.{level.level}: {level.fallback}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
