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


@dg.asset(
    key=dg.AssetKey([btyd.PARAMETER_TABLE]),
    deps=[get_asset_key_for_model([warehouse_dbt_assets], "customer_rfm")],
    pool="warehouse_writer",
    description="BG/NBD and Gamma-Gamma parameters fitted with lifetimes on marts.customer_rfm.",
)
def customer_btyd_parameters(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    path = warehouse.settings().warehouse_path
    try:
        params = btyd.fit(btyd.read_summary(path))
    except ConvergenceError as exc:
        # Keep the parameters the scoring already uses (the last fitted table, else the
        # seed) rather than fail the CLV marts downstream.
        context.log.warning(f"BTYD fit did not converge, parameters unchanged: {exc}")
        return dg.MaterializeResult(metadata={"converged": dg.MetadataValue.bool(False)})
    btyd.write_table(path, params)
    return dg.MaterializeResult(
        metadata={
            name: dg.MetadataValue.float(float(getattr(params, name)))
            for name in ("r", "alpha", "a", "b", "p", "q", "v")
        }
        | {
            "fitted_customers": dg.MetadataValue.int(params.fitted_customers),
            "converged": dg.MetadataValue.bool(True),
        }
    )
