"""The probabilistic matching configuration, read from the dbt project's vars.

Analysts configure Fellegi-Sunter matching in `dbt_project.yml` (vars
`identity_comparisons`, `identity_blocking_rules`, `identity_match_threshold` and
`identity_veto_levels`); the dbt model `int_identity_pairs_scored` renders them into SQL
and the Splink training (`orchestration.identity.training`) estimates their weights. This
module is the one place Python reads them, and it checks what the SQL silently relies on:

- each comparison's first level is labelled 'null' (it contributes no weight);
- its last level is the catch-all, with sql `true`;
- level labels are unique within a comparison (weights are looked up by label);
- names and labels are plain words (they become column names and SQL literals).

A bad config raises `MatchConfigError` naming the var and the comparison.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from orchestration.contract import PROJECT_DIR

COMPARISONS_VAR = "identity_comparisons"
BLOCKING_RULES_VAR = "identity_blocking_rules"
THRESHOLD_VAR = "identity_match_threshold"
VETO_LEVELS_VAR = "identity_veto_levels"
VETO_RULES_VAR = "identity_veto_rules"
PRIOR_RULES_VAR = "identity_prior_rules"
PRIOR_RECALL_VAR = "identity_prior_rule_recall"
NULL_LABEL = "null"
ELSE_SQL = "true"
RESERVED_NAMES = ("__prior__",)

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_LABEL = re.compile(r"^[A-Za-z0-9_]+$")


class MatchConfigError(ValueError):
    """The identity matching vars in dbt_project.yml are missing or malformed."""


@dataclass(frozen=True)
class Level:
    label: str
    sql: str
    tf_adjust: str | None = None  # feature column whose value frequency replaces u

    @property
    def is_null(self) -> bool:
        return self.label == NULL_LABEL


@dataclass(frozen=True)
class Comparison:
    name: str
    levels: tuple[Level, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(level.label for level in self.levels)

    @property
    def weighted_levels(self) -> tuple[Level, ...]:
        """The levels that carry a weight: all but the leading null level."""
        return self.levels[1:]


@dataclass(frozen=True)
class MatchConfig:
    comparisons: tuple[Comparison, ...]
    blocking_rules: tuple[str, ...]
    threshold: float
    veto_levels: tuple[str, ...] = ()
    veto_rules: tuple[Level, ...] = ()  # (name, sql) conditions that keep a pair apart
    # rules whose pairs, over all pairs and divided by their recall, estimate the prior
    prior_rules: tuple[str, ...] = ()
    prior_rule_recall: float = 1.0

    def comparison(self, name: str) -> Comparison:
        for comparison in self.comparisons:
            if comparison.name == name:
                return comparison
        raise KeyError(name)


def load_match_config(project_dir: Path = PROJECT_DIR) -> MatchConfig:
    """Read and validate the identity vars of `<project_dir>/dbt_project.yml`."""
    path = project_dir / "dbt_project.yml"
    with path.open(encoding="utf-8") as fh:
        project = yaml.safe_load(fh) or {}
    project_vars = project.get("vars") or {}
    if not isinstance(project_vars, Mapping):
        raise MatchConfigError(f"{path}: `vars` must be a mapping")
    return parse_match_config(project_vars)


def parse_match_config(project_vars: Mapping[str, Any]) -> MatchConfig:
    """Build a validated `MatchConfig` from a dbt `vars` mapping."""
    comparisons = _parse_comparisons(project_vars.get(COMPARISONS_VAR))
    return MatchConfig(
        comparisons=comparisons,
        blocking_rules=_parse_blocking_rules(project_vars.get(BLOCKING_RULES_VAR)),
        threshold=_parse_threshold(project_vars.get(THRESHOLD_VAR)),
        veto_levels=_parse_veto_levels(project_vars.get(VETO_LEVELS_VAR), comparisons),
        veto_rules=_parse_veto_rules(project_vars.get(VETO_RULES_VAR)),
        prior_rules=_parse_rules(PRIOR_RULES_VAR, project_vars.get(PRIOR_RULES_VAR)),
        prior_rule_recall=_parse_share(PRIOR_RECALL_VAR, project_vars.get(PRIOR_RECALL_VAR)),
    )


def _parse_comparisons(raw: Any) -> tuple[Comparison, ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
        raise MatchConfigError(f"var {COMPARISONS_VAR}: expected a non-empty list of comparisons")
    comparisons = tuple(_parse_comparison(i, item) for i, item in enumerate(raw))
    seen: set[str] = set()
    for comparison in comparisons:
        if comparison.name in seen:
            raise MatchConfigError(
                f"var {COMPARISONS_VAR}: comparison name {comparison.name!r} is used twice"
            )
        seen.add(comparison.name)
    return comparisons


def _parse_comparison(index: int, raw: Any) -> Comparison:
    where = f"var {COMPARISONS_VAR}, comparison #{index + 1}"
    if not isinstance(raw, Mapping):
        raise MatchConfigError(f"{where}: expected a mapping with `name` and `levels`")
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name) or name in RESERVED_NAMES:
        raise MatchConfigError(
            f"{where}: `name` must be a lower-case identifier (letters, digits, _), got {name!r}"
        )
    where = f"var {COMPARISONS_VAR}, comparison {name!r}"
    raw_levels = raw.get("levels")
    if not isinstance(raw_levels, Sequence) or isinstance(raw_levels, str):
        raise MatchConfigError(f"{where}: `levels` must be a list of {{label, sql}}")
    levels = tuple(_parse_level(where, i, item) for i, item in enumerate(raw_levels))
    if len(levels) < 3:
        raise MatchConfigError(
            f"{where}: needs at least 3 levels (a 'null' level, one or more agreement "
            f"levels, and a last level with sql 'true'), got {len(levels)}"
        )
    if levels[0].label != NULL_LABEL:
        raise MatchConfigError(
            f"{where}: the first level must be the null level, labelled {NULL_LABEL!r} "
            f"(got {levels[0].label!r})"
        )
    if levels[-1].sql.strip().lower() != ELSE_SQL:
        raise MatchConfigError(
            f"{where}: the last level ({levels[-1].label!r}) must have sql {ELSE_SQL!r} "
            f"(got {levels[-1].sql!r})"
        )
    labels = [level.label for level in levels]
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise MatchConfigError(f"{where}: level labels must be unique, repeated: {duplicates}")
    return Comparison(name=name, levels=levels)


def _parse_level(where: str, index: int, raw: Any) -> Level:
    if not isinstance(raw, Mapping):
        raise MatchConfigError(f"{where}, level #{index + 1}: expected a mapping {{label, sql}}")
    label, sql = raw.get("label"), raw.get("sql")
    if not isinstance(label, str) or not _LABEL.match(label):
        raise MatchConfigError(
            f"{where}, level #{index + 1}: `label` must be a word (letters, digits, _), "
            f"got {label!r}"
        )
    if not isinstance(sql, str) or not sql.strip():
        raise MatchConfigError(f"{where}, level {label!r}: `sql` must be a non-empty string")
    tf_adjust = raw.get("tf_adjust")
    if tf_adjust is not None and (not isinstance(tf_adjust, str) or not _NAME.match(tf_adjust)):
        raise MatchConfigError(
            f"{where}, level {label!r}: `tf_adjust` must name a feature column, got {tf_adjust!r}"
        )
    return Level(label=label, sql=sql.strip(), tf_adjust=tf_adjust)


def _parse_blocking_rules(raw: Any) -> tuple[str, ...]:
    return _parse_rules(BLOCKING_RULES_VAR, raw)


def _parse_rules(var: str, raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
        raise MatchConfigError(f"var {var}: expected a non-empty list of SQL rules")
    rules = []
    for i, rule in enumerate(raw):
        if not isinstance(rule, str) or not rule.strip():
            raise MatchConfigError(f"var {var}, rule #{i + 1}: expected a non-empty SQL string")
        rules.append(rule.strip())
    return tuple(rules)


def _parse_share(var: str, raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 < raw <= 1:
        raise MatchConfigError(f"var {var}: expected a share in (0, 1], got {raw!r}")
    return float(raw)


def _parse_threshold(raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 < raw < 1:
        raise MatchConfigError(
            f"var {THRESHOLD_VAR}: expected a match probability strictly between 0 and 1, "
            f"got {raw!r}"
        )
    return float(raw)


def _parse_veto_levels(raw: Any, comparisons: tuple[Comparison, ...]) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise MatchConfigError(f"var {VETO_LEVELS_VAR}: expected a list of '<comparison>.<level>'")
    labels = {c.name: set(c.labels) for c in comparisons}
    vetoes = []
    for item in raw:
        for part in str(item).split("+"):
            name, _, label = part.partition(".")
            if label not in labels.get(name, set()):
                raise MatchConfigError(
                    f"var {VETO_LEVELS_VAR}: {part!r} names no level of var {COMPARISONS_VAR} "
                    "(write <comparison>.<level>, or several joined by +)"
                )
        vetoes.append(str(item))
    return tuple(vetoes)


def _parse_veto_rules(raw: Any) -> tuple[Level, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise MatchConfigError(f"var {VETO_RULES_VAR}: expected a list of {{name, sql}}")
    rules = []
    for i, item in enumerate(raw):
        name = item.get("name") if isinstance(item, Mapping) else None
        sql = item.get("sql") if isinstance(item, Mapping) else None
        if not isinstance(name, str) or not _NAME.match(name):
            raise MatchConfigError(f"var {VETO_RULES_VAR}[{i}]: `name` must be a plain word")
        if not isinstance(sql, str) or not sql.strip():
            raise MatchConfigError(f"var {VETO_RULES_VAR} {name!r}: `sql` must be a condition")
        rules.append(Level(label=name, sql=sql))
    if len({r.label for r in rules}) != len(rules):
        raise MatchConfigError(f"var {VETO_RULES_VAR}: rule names must be unique")
    return tuple(rules)
