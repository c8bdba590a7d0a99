"""RFM summary and BTYD scoring in SQL equal lifetimes' results; CDNOW parameters.

One small generated data set is built once with dbt (models only, up to
`customer_clv`, as of a fixed date). The SQL RFM summary must equal
`lifetimes.utils.summary_data_from_transaction_data` on the same transactions, and the
SQL P(alive), expected purchases, expected value per purchase and predicted CLV must
equal lifetimes' on the same parameters to 1e-9: first with the fallback seed, then
with parameters fitted on the CDNOW sample and written to `ml.customer_btyd_parameters`
(the table the Dagster asset writes; 300 generated persons are too few for the BG/NBD
fit to converge).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.datasets import load_cdnow_summary, load_cdnow_summary_data_with_monetary_value
from lifetimes.utils import ConvergenceError, summary_data_from_transaction_data

from orchestration.contract import PROJECT_DIR
from orchestration.customer import btyd
from orchestration.generator import generate

PERSONS = 300
AS_OF = "2026-11-01"
TOLERANCE = 1e-9
DBT = str(Path(sys.executable).parent / "dbt")


def _dbt(env: dict[str, str], work: Path, *args: str) -> None:
    cmd = [DBT, *args, "--profiles-dir", str(PROJECT_DIR), "--target-path", str(work / "target")]
    cmd += ["--log-path", str(work / "logs"), "--vars", json.dumps({"customer_as_of_date": AS_OF})]
    proc = subprocess.run(cmd, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, "\n".join((proc.stdout + proc.stderr).splitlines()[-30:])


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("btyd")
    env = os.environ | {
        "RAW_DATA_DIR": str(work / "raw"),
        "WAREHOUSE_PATH": str(work / "warehouse.duckdb"),
        "DO_NOT_TRACK": "1",
        "GX_ANALYTICS_ENABLED": "false",
    }
    generate(work / "raw", persons=PERSONS, seed=5)
    proc = subprocess.run(
        [sys.executable, "-m", "orchestration", "load"], cwd=PROJECT_DIR, env=env, check=False
    )
    assert proc.returncode == 0
    _dbt(env, work, "build", "--select", "+customer_clv", "--resource-type", "model", "seed")
    return {"work": work, "env": env, "path": work / "warehouse.duckdb"}


def _query(path: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.sql(sql).df()


def _max_abs_diff(a: pd.Series, b: pd.Series) -> float:
    a, b = a.align(b, join="outer")
    assert not a.isna().any() and not b.isna().any(), "customers differ"
    return float(np.max(np.abs(a.to_numpy(dtype=float) - b.to_numpy(dtype=float))))


def _lifetimes_scores(path: Path, scores: pd.DataFrame) -> dict[str, pd.Series]:
    p = _query(path, "select * from intermediate.int_customer_btyd_parameters").iloc[0]
    bg = BetaGeoFitter()
    bg.params_ = pd.Series({k: float(p[k]) for k in ("r", "alpha", "a", "b")})
    bg.predict = bg.conditional_expected_number_of_purchases_up_to_time
    gg = GammaGammaFitter()
    gg.params_ = pd.Series({k: float(p[k]) for k in ("p", "q", "v")})
    x, tx, t, m = scores["frequency"], scores["recency"], scores["t"], scores["monetary_value"]
    return {
        "p_alive": pd.Series(bg.conditional_probability_alive(x, tx, t), index=scores.index),
        "expected_purchases_horizon": pd.Series(
            bg.conditional_expected_number_of_purchases_up_to_time(365, x, tx, t),
            index=scores.index,
        ),
        "expected_value_per_purchase": gg.conditional_expected_average_profit(x, m),
        "predicted_clv": gg.customer_lifetime_value(
            bg, x, tx, t, m, time=12, discount_rate=0.01, freq="D"
        ),
    }


def _assert_scores_match(path: Path) -> str:
    unconverged = "select count(*) as n from intermediate.int_customer_btyd_hypergeometric"
    capped = _query(path, unconverged + " where not (tail_bound < 1e-15)")
    assert capped["n"].iloc[0] == 0
    scores = _query(path, "select * from marts.customer_clv").set_index("customer_id")
    assert len(scores) > 50
    expected = _lifetimes_scores(path, scores)
    for column, want in expected.items():
        assert _max_abs_diff(scores[column], want.astype(float)) < TOLERANCE, column
    return str(scores["parameter_source"].iloc[0])


def test_rfm_summary_equals_lifetimes(warehouse):
    path = warehouse["path"]
    orders = _query(
        path,
        "select customer_id, ordered_at, net_revenue from marts.fct_orders where net_revenue > 0",
    )
    want = summary_data_from_transaction_data(
        orders, "customer_id", "ordered_at", "net_revenue", observation_period_end=AS_OF, freq="D"
    )
    got = _query(path, "select * from marts.customer_rfm").set_index("customer_id")
    assert len(got) == len(want) > 50
    assert (got["frequency"] > 0).sum() > 10  # repeat buyers exist
    for column, theirs in [("frequency", "frequency"), ("recency", "recency"), ("t", "T")]:
        assert _max_abs_diff(got[column], want[theirs]) == 0, column
    assert _max_abs_diff(got["monetary_value"], want["monetary_value"]) < TOLERANCE


def test_scoring_with_seed_parameters_equals_lifetimes(warehouse):
    assert _assert_scores_match(warehouse["path"]) == "seed customer_btyd_parameters"


def test_scoring_with_fitted_parameters_equals_lifetimes(warehouse):
    path = warehouse["path"]
    params = btyd.fit(load_cdnow_summary_data_with_monetary_value())
    btyd.write_table(path, params)
    # rescore: the models between the parameters and customer_clv (what the fixture built)
    scoring = "int_customer_btyd_parameters+,+customer_clv"
    _dbt(warehouse["env"], warehouse["work"], "run", "--select", scoring)
    assert _assert_scores_match(path) == "ml.customer_btyd_parameters"
    used = _query(path, "select r, alpha, a, b from intermediate.int_customer_btyd_parameters")
    assert used.iloc[0]["r"] == pytest.approx(params.r, rel=1e-12)


def test_fit_retries_with_a_penalizer_when_the_plain_fit_does_not_converge(warehouse):
    summary = btyd.read_summary(warehouse["path"])
    with pytest.raises(ConvergenceError):
        btyd.fit(summary)
    params, penalizer = btyd.fit_first_converging(summary)
    assert penalizer in btyd.PENALIZERS[1:]
    # the first penalizer that converges, not a later one
    for smaller in btyd.PENALIZERS[1 : btyd.PENALIZERS.index(penalizer)]:
        with pytest.raises(ConvergenceError):
            btyd.fit(summary, smaller)
    assert params.fitted_customers == len(summary)
    values = [params.r, params.alpha, params.a, params.b, params.p, params.q, params.v]
    assert all(np.isfinite(values)) and min(values) > 0
    with pytest.raises(ConvergenceError, match=r"penalizers \[0\.0\]"):
        btyd.fit_first_converging(summary, [0.0])


def test_cdnow_parameters_reproduce_the_published_fit():
    """Fader, Hardie & Lee (2005) on the CDNOW sample: r 0.243, alpha 4.414, a 0.793, b 2.426."""
    params = btyd.fit_bg_nbd(load_cdnow_summary(index_col=[0])).params_
    assert round(params["r"], 3) == 0.243
    assert round(params["alpha"], 3) == 4.414
    assert round(params["a"], 3) == 0.793
    assert round(params["b"], 3) == 2.426
