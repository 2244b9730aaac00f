"""Asset checks on the validated submissions (the ledger invariants)."""

from __future__ import annotations

import dagster as dg

from bma_pipeline.columns import Workbook
from bma_pipeline.defs.resources import PipelineSettings, WarehouseResource
from bma_pipeline.defs.validation.assets import QUARANTINED_ROWS
from bma_pipeline.validation.invariants import (
    ledger_balance,
    quarantine_rate_by_unit,
    workbook_balance,
)


@dg.asset_check(
    asset=QUARANTINED_ROWS,
    blocking=True,
    description="raw rows = accepted + quarantined for every validated file; no orphan or "
    "double quarantine entries; every ingested file validated. Blocks the marts on failure.",
)
def ledger_conservation(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as wh:
        balance = ledger_balance(wh)
    return dg.AssetCheckResult(
        passed=balance.balanced,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={k: v for k, v in balance.__dict__.items()},
    )


@dg.asset_check(
    asset=QUARANTINED_ROWS,
    description="Warns when a unit's quarantined share of rows exceeds the configured rate.",
)
def quarantine_rate_per_unit(
    warehouse: WarehouseResource, settings: PipelineSettings
) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as wh:
        rates = quarantine_rate_by_unit(wh)
    over = rates[rates["rate"] > settings.quarantine_warn_rate]
    table = "\n".join(
        f"| {r.unit_code} | {r.n_rows} | {r.n_quarantined} | {r.rate:.1%} |"
        for r in over.itertuples()
    )
    return dg.AssetCheckResult(
        passed=over.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "threshold": settings.quarantine_warn_rate,
            "units_over_threshold": len(over),
            "units": dg.MetadataValue.md(
                "| unit | rows | quarantined | rate |\n|---|---|---|---|\n" + table
                if table
                else "none"
            ),
        },
    )


def workbook_conservation_check(
    kind: Workbook, asset: dg.AssetKey, what: str
) -> dg.AssetChecksDefinition:
    """The conservation check of a workbook ledger (plans, minutes), as `ledger_conservation`
    is for submissions: raw rows = accepted + quarantined for every sheet."""

    @dg.asset_check(
        asset=asset,
        name=f"{kind.name}_ledger_conservation",
        blocking=True,
        description=f"For every sheet: raw {what} rows = accepted + quarantined; no orphan or "
        f"double quarantine entry; every ingested {what} file judged. Blocks what is built on it.",
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as wh:
            balance = workbook_balance(wh, kind)
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

    return _check
