"""Dagster asset fitting the predictive-CLV parameters between two dbt steps.

dbt builds `customer_rfm`; this asset fits BG/NBD + Gamma-Gamma on it with
`lifetimes` and writes `ml.customer_btyd_parameters`; dbt then scores every customer
in SQL (`int_customer_btyd_parameters` reads the table through the dbt source
`ml.customer_btyd_parameters`, whose Dagster asset key is this asset's).
"""

import dagster as dg
from dagster_dbt import get_asset_key_for_model
from lifetimes.utils import ConvergenceError

from orchestration.customer import btyd
from orchestration.dbt_assets import warehouse_dbt_assets
from orchestration.resources import WarehouseResource


class BtydFitConfig(dg.Config):
    """The L2 penalties the fit tries in order until one converges (0: plain maximum likelihood)."""

    penalizers: list[float] = list(btyd.PENALIZERS)


@dg.asset(
    key=dg.AssetKey([btyd.PARAMETER_TABLE]),
    deps=[get_asset_key_for_model([warehouse_dbt_assets], "customer_rfm")],
    pool="warehouse_writer",
    description="BG/NBD and Gamma-Gamma parameters fitted with lifetimes on marts.customer_rfm.",
)
def customer_btyd_parameters(
    context: dg.AssetExecutionContext, config: BtydFitConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    # the run's build file (orchestration.publish): published only when every step passed
    path = warehouse.build_path(context.run_id)
    try:
        params, penalizer = btyd.fit_first_converging(btyd.read_summary(path), config.penalizers)
    except ConvergenceError as exc:
        # Keep the parameters the scoring already uses (the last fitted table, else the
        # seed) rather than fail the CLV marts downstream.
        context.log.warning(f"BTYD fit did not converge, parameters unchanged: {exc}")
        return dg.MaterializeResult(metadata={"converged": dg.MetadataValue.bool(False)})
    if penalizer:
        context.log.info(f"BTYD fit converged with the L2 penalizer {penalizer}")
    btyd.write_table(path, params)
    return dg.MaterializeResult(
        metadata={
            name: dg.MetadataValue.float(float(getattr(params, name)))
            for name in ("r", "alpha", "a", "b", "p", "q", "v")
        }
        | {
            "fitted_customers": dg.MetadataValue.int(params.fitted_customers),
            "converged": dg.MetadataValue.bool(True),
            "penalizer": dg.MetadataValue.float(penalizer),
        }
    )
