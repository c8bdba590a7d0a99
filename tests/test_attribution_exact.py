"""Markov and Shapley attribution against independent exact solutions.

A small hand-made set of journey paths (with loops, repeated channels, converting and
non-converting paths) is written as `intermediate.int_journey_path_touches` into a
fresh DuckDB file, and the real attribution models are built on it with dbt. Then:

- the Markov models' conversion probabilities with and without each channel (orders
  1-3) equal the absorbing-chain solution computed here with numpy (`linalg.solve` on
  (I - Q) x = r over the transient states) to 1e-9;
- the Shapley values equal those of v(S) = conversion rate of the paths whose channels
  all lie in S, computed here by brute force as the average marginal contribution over
  every order of the channels (not the subset formula the model uses), and each
  conversion's Shapley credits split it over its channels in proportion to their
  positive values;
- time-decay credits equal 2^(-days / half-life), normalised per path.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pytest

from orchestration.contract import PROJECT_DIR

Connection = duckdb.DuckDBPyConnection
DBT = str(Path(sys.executable).parent / "dbt")
HALF_LIFE_DAYS = 7.0

# (channels in order, converts?); touches are 2.5 days apart, the last at the path end
PATHS: list[tuple[list[str], bool]] = [
    (["paid_search", "email", "direct"], True),
    (["organic_search", "direct"], True),
    (["email", "email", "paid_search"], False),
    (["direct"], False),
    (["paid_search", "direct", "paid_search", "direct"], True),
    (["organic_search", "email"], False),
    (["paid_social", "paid_search", "email", "direct"], True),
    (["direct", "direct", "direct"], True),
    (["email"], True),
    (["organic_search", "paid_search", "organic_search"], False),
    (["paid_social", "direct", "paid_social", "direct", "email"], False),
    (["email", "direct", "email", "direct", "email", "direct"], True),
]
MODELS = [
    "int_attribution_markov_edges",
    "int_attribution_markov_iterations",
    "fct_attribution_markov_effects",
    "int_attribution_shapley_values",
    "int_attribution_rule_credits",
]


def _days(n: int, i: int) -> float:
    """Days before the path end of touch i (1-based) of n: 2.5 days apart."""
    return 2.5 * (n - i)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connection]:
    work = tmp_path_factory.mktemp("attribution")
    path = work / "warehouse.duckdb"
    rows = []
    for p, (channels, converts) in enumerate(PATHS):
        key = f"conv_{p}" if converts else f"open:cus_{p}"
        for i, channel in enumerate(channels, start=1):
            rows.append(
                (
                    key,
                    f"cus_{p}",
                    key if converts else None,
                    converts,
                    f"t_{p}_{i}",
                    channel,
                    channel == "direct",
                    False,
                    i,
                    len(channels),
                    _days(len(channels), i),
                )
            )
    con = duckdb.connect(str(path))
    con.execute("create schema intermediate")
    con.execute(
        """create table intermediate.int_journey_path_touches (
            path_key varchar, customer_id varchar, conversion_key varchar, is_converting boolean,
            touchpoint_key varchar, channel varchar, is_direct boolean, has_cart_add boolean,
            touch_index bigint, touch_count bigint, days_before_path_end double)"""
    )
    placeholders = ", ".join("?" * 11)
    table = "intermediate.int_journey_path_touches"
    con.executemany(f"insert into {table} values ({placeholders})", rows)
    con.close()
    env = os.environ | {"WAREHOUSE_PATH": str(path), "DO_NOT_TRACK": "1"}
    cmd = [DBT, "run", "--profiles-dir", str(PROJECT_DIR), "--target-path", str(work / "target")]
    cmd += ["--log-path", str(work / "logs"), "--select", *MODELS]
    proc = subprocess.run(cmd, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def _absorption_probability(order: int, removed: str | None) -> float:
    """P(conversion | start) of the order-k chain of PATHS, by solving (I - Q) x = r."""
    counts: dict[tuple, dict[object, int]] = defaultdict(lambda: defaultdict(int))
    for channels, converts in PATHS:
        states: list[tuple] = [("(start)",)]
        states += [tuple(channels[max(0, i - order + 1) : i + 1]) for i in range(len(channels))]
        for a, b in itertools.pairwise(states):
            counts[a][b] += 1
        counts[states[-1]]["conversion" if converts else "null"] += 1
    transient = list(counts)
    index = {s: i for i, s in enumerate(transient)}
    q = np.zeros((len(transient), len(transient)))
    r = np.zeros(len(transient))
    for s, outs in counts.items():
        if removed is not None and removed in s:
            continue  # a removed state never converts
        total = sum(outs.values())
        for t, n in outs.items():
            if t == "conversion":
                r[index[s]] += n / total
            elif t == "null" or (removed is not None and removed in t):
                continue  # absorbed without converting
            else:
                q[index[s], index[t]] += n / total
    x = np.linalg.solve(np.eye(len(transient)) - q, r)
    return float(x[index[("(start)",)]])


def _shapley_brute_force() -> dict[str, float]:
    """Shapley values of v(S) = conversion rate of the paths using only channels in S,
    averaging each channel's marginal contribution over all n! orders of the channels."""
    channels = sorted({c for path, _ in PATHS for c in path})
    sets = [(frozenset(path), converts) for path, converts in PATHS]

    def value(coalition: frozenset) -> float:
        inside = [converts for s, converts in sets if s <= coalition]
        return sum(inside) / len(inside) if inside else 0.0

    phi = dict.fromkeys(channels, 0.0)
    orders = list(itertools.permutations(channels))
    for order in orders:
        before: frozenset = frozenset()
        for c in order:
            phi[c] += (value(before | {c}) - value(before)) / len(orders)
            before = before | {c}
    return phi


@pytest.mark.parametrize("order", [1, 2, 3])
def test_markov_matches_numpy_absorbing_chain(warehouse: Connection, order: int) -> None:
    rows = warehouse.execute(
        """select channel, conversion_probability, conversion_probability_without,
               removal_effect, is_converged
           from marts.fct_attribution_markov_effects where markov_order = ?""",
        [order],
    ).fetchall()
    channels = {c for path, _ in PATHS for c in path}
    assert {r[0] for r in rows} == channels
    base = _absorption_probability(order, None)
    for channel, with_p, without_p, effect, converged in rows:
        expected_without = _absorption_probability(order, channel)
        assert abs(with_p - base) < 1e-9
        assert abs(without_p - expected_without) < 1e-9, channel
        assert abs(effect - (1 - expected_without / base)) < 1e-9, channel
        assert converged


def test_first_order_chain_converts_at_the_observed_rate(warehouse: Connection) -> None:
    # flow conservation: from (start), a first-order chain estimated on whole paths
    # converts at the share of paths that convert
    (p,) = warehouse.execute(
        "select max(conversion_probability) from marts.fct_attribution_markov_effects"
        " where markov_order = 1"
    ).fetchone()
    assert abs(p - sum(c for _, c in PATHS) / len(PATHS)) < 1e-12


def test_shapley_values_match_brute_force(warehouse: Connection) -> None:
    values = dict(
        warehouse.execute(
            "select channel, shapley_value from intermediate.int_attribution_shapley_values"
        ).fetchall()
    )
    expected = _shapley_brute_force()
    assert set(values) == set(expected)
    for channel, phi in expected.items():
        assert abs(values[channel] - phi) < 1e-9, channel
    # efficiency: the values add up to v(all channels), the overall conversion rate
    assert abs(sum(values.values()) - sum(c for _, c in PATHS) / len(PATHS)) < 1e-9
    # the fixture is built so that some channel's paths convert less often than others
    assert min(expected.values()) < 0 < max(expected.values())


def test_shapley_credits_split_by_positive_values(warehouse: Connection) -> None:
    rows = warehouse.execute(
        "select conversion_key, touch_index, shapley from intermediate.int_attribution_rule_credits"
    ).fetchall()
    credited = {(key, i): credit for key, i, credit in rows}
    positive = {c: max(v, 0.0) for c, v in _shapley_brute_force().items()}
    for p, (channels, converts) in enumerate(PATHS):
        if not converts:
            continue
        total = sum(positive[c] for c in set(channels))
        for i, channel in enumerate(channels, start=1):
            share = positive[channel] / total if total > 0 else 1 / len(set(channels))
            expected = share / channels.count(channel)
            assert abs(credited[(f"conv_{p}", i)] - expected) < 1e-9, (p, i)


def test_time_decay_halves_per_half_life(warehouse: Connection) -> None:
    rows = warehouse.execute(
        "select conversion_key, touch_index, touch_count, time_decay"
        " from intermediate.int_attribution_rule_credits"
    ).fetchall()
    by_path: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
    for key, i, n, credit in rows:
        by_path[key].append((i, n, credit))
    assert len(by_path) == sum(c for _, c in PATHS)
    for touches in by_path.values():
        weights = {i: 2 ** (-_days(n, i) / HALF_LIFE_DAYS) for i, n, _ in touches}
        total = sum(weights.values())
        for i, _, credit in touches:
            assert abs(credit - weights[i] / total) < 1e-12
