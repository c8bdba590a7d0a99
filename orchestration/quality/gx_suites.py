"""Great Expectations 1.x suites derived from the raw contract.

Each raw table gets one suite: the table has exactly the contract's columns plus the
loader's lineage columns, required columns are never null, the primary key is unique,
and every row points back to a file and line. The suite is built from the same YAML
the loader reads, so it cannot drift from the contract.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from orchestration.contract import Table
from orchestration.loader.load import LINEAGE_COLUMNS

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402


@dataclass(frozen=True)
class SuiteOutcome:
    success: bool
    evaluated: int
    failed: list[str]
    rows: int


def build_expectations(table: Table) -> list[gxe.Expectation]:
    expectations: list[gxe.Expectation] = [
        gxe.ExpectTableColumnsToMatchOrderedList(
            column_list=[*table.column_names, *LINEAGE_COLUMNS]
        ),
        gxe.ExpectColumnValuesToNotBeNull(column="_source_file"),
        gxe.ExpectColumnValuesToNotBeNull(column="_line_number"),
    ]
    expectations += [
        gxe.ExpectColumnValuesToNotBeNull(column=c.name) for c in table.columns if c.required
    ]
    if len(table.primary_key) == 1:
        expectations.append(gxe.ExpectColumnValuesToBeUnique(column=table.primary_key[0]))
    elif table.primary_key:
        expectations.append(
            gxe.ExpectCompoundColumnsToBeUnique(column_list=list(table.primary_key))
        )
    return expectations


def validate_frame(table: Table, frame: pd.DataFrame) -> SuiteOutcome:
    """Run the table's suite on a dataframe read from the warehouse."""
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    source = context.data_sources.add_pandas(name=f"raw_{table.source}")
    asset = source.add_dataframe_asset(name=table.name)
    batch = asset.add_batch_definition_whole_dataframe(name="whole_table")
    suite = context.suites.add(gx.ExpectationSuite(name=f"raw.{table.key}"))
    for expectation in build_expectations(table):
        suite.add_expectation(expectation)
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"validate.{table.key}", data=batch, suite=suite)
    )
    result = definition.run(batch_parameters={"dataframe": frame})
    failed = []
    for r in result.results:
        if not r.success:
            cfg = r.expectation_config
            column = cfg.kwargs.get("column") or cfg.kwargs.get("column_list")
            failed.append(f"{cfg.type}({column}): {r.result.get('unexpected_count', '')}")
    return SuiteOutcome(
        success=bool(result.success),
        evaluated=len(result.results),
        failed=failed,
        rows=len(frame),
    )
