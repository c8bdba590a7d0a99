"""Fit the BG/NBD and Gamma-Gamma parameters of the predictive CLV with `lifetimes`.

dbt computes the RFM summary (`marts.customer_rfm`: frequency, recency, t, monetary
value per buyer, in days) and scores every customer in SQL
(`marts.customer_clv`); only the maximum-likelihood fit runs here. The parameters go
to the table `ml.customer_btyd_parameters`, which the dbt model
`int_customer_btyd_parameters` reads when it exists (otherwise the committed seed
`seeds/customer/customer_btyd_parameters.csv`).

    python -m orchestration.customer.btyd            # fit on the warehouse, write the table
    python -m orchestration.customer.btyd --seed     # ... and refresh the fallback seed

The plain maximum-likelihood fit can fail to converge: when the data say dropout is
nearly the same for everyone, the BG/NBD optimum lies on the boundary (a and b grow
without bound at a fixed a / (a + b)) and `lifetimes` raises `ConvergenceError`. As
lifetimes advises, the fit then retries with a small L2 penalty on the parameters,
the smallest of `PENALIZERS` that converges (the asset's `penalizers` config).
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import ConvergenceError

from orchestration.contract import PROJECT_DIR

PARAMETER_SCHEMA = "ml"
PARAMETER_TABLE = "customer_btyd_parameters"
SEED_PATH = PROJECT_DIR / "seeds" / "customer" / "customer_btyd_parameters.csv"
# tried in order until one converges: the plain fit, then lifetimes' L2 penalty (on the
# parameters in lifetimes' scaled time; 0.01 and more pull a and b towards 0 on the demo data)
PENALIZERS = (0.0, 0.0001, 0.001)
SUMMARY_SQL = "select frequency, recency, t, monetary_value from marts.customer_rfm"


@dataclass(frozen=True)
class BtydParameters:
    """BG/NBD (r, alpha, a, b) and Gamma-Gamma (p, q, v) parameters, time unit days."""

    r: float
    alpha: float
    a: float
    b: float
    p: float
    q: float
    v: float
    fitted_customers: int
    fitted_at: str


def fit_bg_nbd(summary: pd.DataFrame, penalizer: float = 0.0) -> BetaGeoFitter:
    """BG/NBD on columns frequency, recency, T (or t)."""
    t = summary["T"] if "T" in summary else summary["t"]
    model = BetaGeoFitter(penalizer_coef=penalizer)
    model.fit(summary["frequency"], summary["recency"], t)
    return model


def fit_gamma_gamma(summary: pd.DataFrame, penalizer: float = 0.0) -> GammaGammaFitter:
    """Gamma-Gamma on the repeat buyers (frequency > 0, monetary_value > 0)."""
    repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    model = GammaGammaFitter(penalizer_coef=penalizer)
    model.fit(repeat["frequency"], repeat["monetary_value"])
    return model


def fit(summary: pd.DataFrame, penalizer: float = 0.0) -> BtydParameters:
    bg = fit_bg_nbd(summary, penalizer).params_
    gg = fit_gamma_gamma(summary, penalizer).params_
    return BtydParameters(
        r=float(bg["r"]),
        alpha=float(bg["alpha"]),
        a=float(bg["a"]),
        b=float(bg["b"]),
        p=float(gg["p"]),
        q=float(gg["q"]),
        v=float(gg["v"]),
        fitted_customers=len(summary),
        fitted_at=datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="seconds"),
    )


def fit_first_converging(
    summary: pd.DataFrame, penalizers: Sequence[float] = PENALIZERS
) -> tuple[BtydParameters, float]:
    """The fit with the first of `penalizers` that converges, and that penalizer.

    Raises ConvergenceError when none does."""
    failed: list[float] = []
    for penalizer in penalizers:
        try:
            return fit(summary, penalizer), penalizer
        except ConvergenceError:
            failed.append(penalizer)
    raise ConvergenceError(f"no BTYD fit converged with the penalizers {failed}")


def read_summary(warehouse: Path) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql(SUMMARY_SQL).df()


def write_table(warehouse: Path, params: BtydParameters) -> None:
    """Replace ml.customer_btyd_parameters with one row."""
    row = pd.DataFrame([asdict(params)])
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"create schema if not exists {PARAMETER_SCHEMA}")
        con.register("params_row", row)
        con.execute(
            f"create or replace table {PARAMETER_SCHEMA}.{PARAMETER_TABLE} as "
            "select r, alpha, a, b, p, q, v, cast(fitted_customers as bigint) as fitted_customers, "
            "cast(fitted_at as timestamp) as fitted_at from params_row"
        )


def write_seed(params: BtydParameters, path: Path = SEED_PATH) -> None:
    values = asdict(params)
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(values))
        writer.writeheader()
        writer.writerow({k: repr(v) if isinstance(v, float) else v for k, v in values.items()})


def main(argv: list[str] | None = None) -> None:
    from orchestration.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", action="store_true", help="also rewrite the fallback seed")
    parser.add_argument(
        "--penalizer",
        type=float,
        action="append",
        help=f"L2 penalty to try, in order (repeatable; default {list(PENALIZERS)})",
    )
    args = parser.parse_args(argv)
    warehouse = Settings.from_env().warehouse_path
    params, penalizer = fit_first_converging(read_summary(warehouse), args.penalizer or PENALIZERS)
    write_table(warehouse, params)
    if args.seed:
        write_seed(params)
    print(f"{params} (penalizer {penalizer})")


if __name__ == "__main__":
    main()
