"""Splink training of the identity match weights, on a small hand-made feature table.

The table imitates `intermediate.int_identity_match_features`: 240 persons with 1-3
records each (seeded `random.Random`), names exact, typo'd, shortened to an initial or a
nickname, middle names, changed surnames, moves, second emails and new phone numbers, shared
postcodes and streets, households sharing a surname, address and landline, birth dates
often missing. The comparisons and blocking rules are the real
vars in dbt_project.yml.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import random
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from orchestration.contract import PROJECT_DIR
from orchestration.identity.match_config import (
    MatchConfigError,
    load_match_config,
    parse_match_config,
)
from orchestration.identity.training import (
    FALLBACK_M_FROM_U,
    FALLBACK_NEITHER,
    FALLBACK_U_FROM_M,
    PRIOR_COMPARISON,
    PRIOR_LEVEL,
    SEED_HEADER,
    TrainedWeights,
    main,
    read_weights_seed,
    train_match_weights,
    weights_from_model,
    write_weights_seed,
)


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = {  # name_key -> nicknames (their root is the name)
    "katharina": ["kathi", "kati"],
    "alexander": ["alex"],
    "elisabeth": ["lisa", "elli"],
    "johannes": ["hannes", "jo"],
    "margarete": ["grete"],
    "wolfgang": ["wolf"],
    "christine": ["chris"],
    "friedrich": ["fritz"],
    **{
        name: []
        for name in words(
            "anna ben clara david emma felix greta hanna ida jonas karl lea max nora otto "
            "paul rosa sven tom ute vera willi yara zoe mila noah lina finn jan mia leon"
        )
    },
}
LAST_NAMES = words(
    "mueller schmidt schneider fischer weber meyer wagner becker schulz hoffmann koch "
    "richter klein wolf schroeder neumann schwarz zimmermann braun krueger hofmann "
    "hartmann lange schmitt werner krause meier lehmann schmid schulze maier koehler "
    "herrmann koenig walter mayer huber kaiser fuchs peters lang scholz moeller weiss "
    "jung hahn"
)
STREETS = words(
    "hauptstrasse schulstrasse gartenweg bahnhofstrasse dorfstrasse bergstrasse "
    "birkenweg lindenstrasse kirchstrasse waldstrasse ringstrasse muehlenweg"
)
DOMAINS = ("gmail.com", "web.de", "gmx.de", "outlook.de")
COLUMNS = (
    "record_key varchar, source_table varchar, first_name_key varchar, "
    "first_name_root varchar, last_name_key varchar, last_name_fold varchar, "
    "birth_date date, birth_year integer, postcode varchar, street_key varchar, "
    "city_key varchar, email_hash varchar, email_local varchar, email_domain varchar, "
    "phone_e164 varchar"
)
SOURCES = ("web_shop.customers", "crm.contacts", "pos.receipts", "loyalty.members")
ROOTS = {nick: root for root, nicks in FIRST_NAMES.items() for nick in nicks}


# -- synthetic data ---------------------------------------------------------------------
def typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(len(word))
    return word[:i] + rng.choice("abcdefghijklmnoprstuvwz".replace(word[i], "")) + word[i + 1 :]


def fold(name: str) -> str:
    return name.replace("ae", "a").replace("oe", "o").replace("ue", "u")


def make_persons(rng: random.Random, n: int) -> list[dict[str, Any]]:
    persons: list[dict[str, Any]] = []
    for i in range(n):
        household = (
            persons[rng.randrange(len(persons))] if persons and rng.random() < 0.12 else None
        )
        first = rng.choice(list(FIRST_NAMES))
        last = household["last"] if household else rng.choice(LAST_NAMES)
        persons.append(
            {
                "first": first,
                "last": last,
                "birth": dt.date(1945, 1, 1) + dt.timedelta(days=rng.randrange(60 * 365)),
                "postcode": household["postcode"] if household else f"{rng.randrange(40):05d}",
                "street": household["street"]
                if household
                else f"{rng.choice(STREETS)} {rng.randrange(1, 60)}",
                "city": "stadt",
                "email": (f"{first}.{last}{i}", rng.choice(DOMAINS)),
                "phone": household["phone"]
                if household and rng.random() < 0.7
                else f"+49151{rng.randrange(10**7, 10**8)}",
            }
        )
    return persons


def noisy_record(rng: random.Random, person: dict[str, Any], key: str) -> tuple[Any, ...]:
    roll = rng.random()
    first: str | None = person["first"]
    if roll < 0.07:
        first = typo(rng, person["first"])
    elif roll < 0.11:
        first = person["first"][0]
    elif roll < 0.16 and FIRST_NAMES[person["first"]]:
        first = rng.choice(FIRST_NAMES[person["first"]])
    elif roll < 0.19:
        first = None
    elif roll < 0.22:
        first = rng.choice(list(FIRST_NAMES))  # goes by a middle name
    roll = rng.random()
    last: str | None = person["last"]
    if roll < 0.07:
        last = typo(rng, person["last"])
    elif roll < 0.10:
        last = person["last"][0]
    elif roll < 0.14:
        last = None
    elif roll < 0.17:
        last = rng.choice(LAST_NAMES)  # married, or a previous name
    roll = rng.random()
    birth_date, birth_year = None, None
    if roll < 0.5:
        birth_date, birth_year = person["birth"], person["birth"].year
    elif roll < 0.65:
        birth_year = person["birth"].year
    postcode = person["postcode"] if rng.random() < 0.75 else None
    street = person["street"] if rng.random() < 0.65 else None
    if rng.random() < 0.05:  # moved
        postcode = f"{rng.randrange(40):05d}" if postcode else None
        street = f"{rng.choice(STREETS)} {rng.randrange(1, 60)}" if street else None
    if street and rng.random() < 0.08:
        street = typo(rng, street)
    local, domain = person["email"]
    email_local, email_domain = (local, domain) if rng.random() < 0.6 else (None, None)
    if email_local and rng.random() < 0.05:
        email_local = typo(rng, email_local)
    elif email_local and rng.random() < 0.05:
        email_local, email_domain = f"{local}.work", rng.choice(DOMAINS)  # a second address
    email_hash = (
        hashlib.sha256(f"{email_local}@{email_domain}".encode()).hexdigest()
        if email_local
        else None
    )
    phone = person["phone"] if rng.random() < 0.4 else None
    if phone and rng.random() < 0.08:
        phone = f"+49160{rng.randrange(10**7, 10**8)}"  # a new number
    return (
        key,
        key.split(":")[0],
        first,
        ROOTS.get(first, first) if first else None,
        last,
        fold(last) if last else None,
        birth_date,
        birth_year,
        postcode,
        street,
        person["city"] if postcode else None,
        email_hash,
        email_local,
        email_domain,
        phone,
    )


def make_records(seed: int = 7, persons: int = 240) -> list[tuple[Any, ...]]:
    rng = random.Random(seed)
    records = []
    for person in make_persons(rng, persons):
        for _ in range(rng.choices((1, 2, 3), weights=(0.3, 0.4, 0.3))[0]):
            source = rng.choice(SOURCES)
            records.append(noisy_record(rng, person, f"{source}:R{rng.randrange(10**9):09d}"))
    return records


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("identity_training") / "warehouse.duckdb"
    records = make_records()
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema intermediate")
        con.execute(f"create table intermediate.int_identity_match_features ({COLUMNS})")
        con.executemany(
            "insert into intermediate.int_identity_match_features values "
            f"({', '.join('?' * len(records[0]))})",
            records,
        )
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def trained(warehouse: Path) -> TrainedWeights:
    return train_match_weights(warehouse, seed=42)


# -- config -----------------------------------------------------------------------------
def project_vars() -> dict[str, Any]:
    with (PROJECT_DIR / "dbt_project.yml").open(encoding="utf-8") as fh:
        return copy.deepcopy(yaml.safe_load(fh)["vars"])


def test_project_config_parses() -> None:
    config = load_match_config()
    assert config.comparisons and config.blocking_rules and config.prior_rules
    assert 0 < config.prior_rule_recall <= 1
    assert 0 < config.threshold < 1
    for comparison in config.comparisons:
        assert comparison.levels[0].label == "null"
        assert comparison.levels[-1].sql == "true"


def _drop_null_level(v: dict[str, Any]) -> None:
    v["identity_comparisons"][0]["levels"].pop(0)


def _break_else_level(v: dict[str, Any]) -> None:
    v["identity_comparisons"][0]["levels"][-1]["sql"] = "first_name_key_l <> first_name_key_r"


def _repeat_label(v: dict[str, Any]) -> None:
    v["identity_comparisons"][0]["levels"][2]["label"] = "exact"


@pytest.mark.parametrize(
    ("breaker", "message"),
    [
        (_drop_null_level, "the first level must be the null level, labelled 'null'"),
        (_break_else_level, "must have sql 'true'"),
        (_repeat_label, "level labels must be unique, repeated: ['exact']"),
    ],
)
def test_bad_config_is_rejected_with_var_and_comparison(breaker: Any, message: str) -> None:
    project = project_vars()
    breaker(project)
    name = project["identity_comparisons"][0]["name"]
    with pytest.raises(MatchConfigError) as error:
        parse_match_config(project)
    assert f"var identity_comparisons, comparison {name!r}" in str(error.value)
    assert message in str(error.value)


def test_bad_threshold_and_veto_are_rejected() -> None:
    project = project_vars()
    project["identity_match_threshold"] = 1.5
    with pytest.raises(MatchConfigError, match="var identity_match_threshold"):
        parse_match_config(project)
    project = project_vars()
    project["identity_veto_levels"] = ["first_name.nope"]
    with pytest.raises(MatchConfigError, match="var identity_veto_levels"):
        parse_match_config(project)
    project["identity_veto_levels"] = ["first_name.initial+email.nope"]
    with pytest.raises(MatchConfigError, match="'email.nope' names no level"):
        parse_match_config(project)
    project["identity_veto_levels"] = ["first_name.initial+email.else"]
    assert parse_match_config(project).veto_levels == ("first_name.initial+email.else",)
    project = project_vars()
    project["identity_veto_rules"] = [{"name": "two accounts", "sql": "true"}]
    with pytest.raises(MatchConfigError, match="var identity_veto_rules"):
        parse_match_config(project)
    project["identity_veto_rules"] = [{"name": "two_accounts", "sql": " "}]
    with pytest.raises(MatchConfigError, match="`sql` must be a condition"):
        parse_match_config(project)


# -- training ---------------------------------------------------------------------------
def test_every_configured_level_is_trained(trained: TrainedWeights) -> None:
    config = load_match_config()
    expected = [(c.name, level.label) for c in config.comparisons for level in c.weighted_levels]
    assert [(w.comparison, w.level) for w in trained.levels] == expected
    assert 0 < trained.probability_two_random_records_match < 0.05
    for level in trained.levels:
        assert 0 < level.m_probability <= 1 and 0 < level.u_probability <= 1


def test_exact_levels_support_and_else_levels_contradict(trained: TrainedWeights) -> None:
    for comparison in load_match_config().comparisons:
        exact = trained.level(comparison.name, "exact")
        other = trained.level(comparison.name, comparison.levels[-1].label)
        assert exact.fallback is None and exact.m_probability > exact.u_probability, exact
        assert other.fallback is None and other.m_probability < other.u_probability, other
        assert exact.match_weight > 3 > -1 > other.match_weight


def test_seed_round_trips_and_is_reproducible(
    trained: TrainedWeights, warehouse: Path, tmp_path: Path
) -> None:
    first = tmp_path / "first.csv"
    write_weights_seed(trained, first)
    with first.open(newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == SEED_HEADER
    assert rows[1][:2] == [PRIOR_COMPARISON, PRIOR_LEVEL] and rows[1][3] == ""
    assert len(rows) == 2 + len(trained.levels)

    back = read_weights_seed(first)
    assert back.probability_two_random_records_match == trained.probability_two_random_records_match
    assert [(w.comparison, w.level, w.m_probability, w.u_probability) for w in back.levels] == [
        (w.comparison, w.level, w.m_probability, w.u_probability) for w in trained.levels
    ]

    second = tmp_path / "second.csv"  # a second run, through the command line
    assert main(["--warehouse", str(warehouse), "--out", str(second), "--seed", "42"]) == 0
    assert second.read_bytes() == first.read_bytes()


def test_missing_table_is_reported(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(LookupError, match="int_identity_match_features does not exist"):
        train_match_weights(empty)


# -- fallbacks --------------------------------------------------------------------------
def _model(m: dict[str, float | None], u: dict[str, float | None]) -> dict[str, Any]:
    comparisons = []
    for comparison in load_match_config().comparisons:
        levels = []
        for level in comparison.levels:
            entry: dict[str, Any] = {"label_for_charts": level.label}
            key = f"{comparison.name}.{level.label}"
            if not level.is_null:
                if m.get(key, 0.5) is not None:
                    entry["m_probability"] = m.get(key, 0.5)
                if u.get(key, 0.25) is not None:
                    entry["u_probability"] = u.get(key, 0.25)
            levels.append(entry)
        comparisons.append({"output_column_name": comparison.name, "comparison_levels": levels})
    return {"probability_two_random_records_match": 1e-4, "comparisons": comparisons}


def test_untrained_levels_get_weight_zero_and_are_reported() -> None:
    config = load_match_config()
    model = _model(
        m={"last_name.initial": None, "email.typo": None},
        u={"email.typo": None, "street.typo": 0.0},
    )
    weights = weights_from_model(model, config)
    assert {(w.comparison, w.level, w.fallback) for w in weights.fallbacks} == {
        ("last_name", "initial", FALLBACK_M_FROM_U),
        ("email", "typo", FALLBACK_NEITHER),
        ("street", "typo", FALLBACK_U_FROM_M),
    }
    for level in weights.fallbacks:
        assert level.match_weight == 0.0
    assert weights.level("email", "typo").m_probability == 1 / 3
