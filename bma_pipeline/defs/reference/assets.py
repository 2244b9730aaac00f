"""Reference tables (groups, dimensions, units, policies, KPIs, assignments, targets, periods)."""

from collections.abc import Iterator

import dagster as dg

from bma_pipeline.defs.resources import OWNER, WAREHOUSE_POOL, WarehouseResource
from bma_pipeline.defs.retries import retry_on_transient_errors
from bma_pipeline.reference.catalog import load_catalog
from bma_pipeline.reference.load import load_reference_tables

REFERENCE_DESCRIPTIONS = {
    "mission_groups": "The three mission groups (กลุ่มภารกิจ) that steer policies.",
    "dimensions": "The nine 'good' dimensions of the policy platform.",
    "units": "Departments and the 50 district offices (หน่วยงาน).",
    "policies": "The governor's 216 policies (sample catalogue).",
    "kpis": "KPIs (ตัวชี้วัด) with measure unit, direction and aggregation.",
    "assignments": "Which unit leads (H) or supports (R) which policy.",
    "targets": "Annual target per fiscal year, KPI and assigned unit.",
    "key_projects": "Policies flagged as key projects per fiscal year.",
    "periods": "Bi-monthly reporting periods of each fiscal year with targets.",
}


def reference_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["reference", table])


@dg.multi_asset(
    name="reference_tables",
    specs=[
        dg.AssetSpec(
            reference_key(table),
            group_name="reference",
            description=description,
            kinds={"pandas", "sql"},
            owners=[OWNER],
        )
        for table, description in REFERENCE_DESCRIPTIONS.items()
    ],
    pool=WAREHOUSE_POOL,
)
def reference_tables(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult]:
    """Load the shipped reference CSVs into the warehouse schema `reference`."""
    with retry_on_transient_errors(context), warehouse.connect() as wh:
        counts = load_reference_tables(wh, load_catalog())
    for table, rows in counts.items():
        yield dg.MaterializeResult(
            asset_key=reference_key(table), metadata={"dagster/row_count": rows}
        )
