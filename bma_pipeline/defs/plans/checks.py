"""Asset checks on the plan ledger: nothing lost, nothing counted twice (as for submissions)."""

from __future__ import annotations

import dagster as dg

from bma_pipeline.columns import PLAN
from bma_pipeline.defs.plans.assets import PLAN_QUARANTINED_ROWS
from bma_pipeline.defs.resources import WarehouseResource
from bma_pipeline.validation.invariants import workbook_balance


@dg.asset_check(
    asset=PLAN_QUARANTINED_ROWS,
    blocking=True,
    description="For every sheet: raw plan rows = accepted + quarantined; no orphan or double "
    "quarantine entry; every ingested plan judged. Blocks the plan versions on failure.",
)
def plan_ledger_conservation(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as wh:
        balance = workbook_balance(wh, PLAN)
    return dg.AssetCheckResult(
        passed=balance.balanced,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "sheets": dg.MetadataValue.md(balance.to_markdown()),
            "orphan_quarantine_entries": balance.orphans,
            "duplicate_quarantine_entries": balance.duplicates,
            "files_pending_validation": balance.pending,
        },
    )
