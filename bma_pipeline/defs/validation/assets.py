"""Validation: ledger rows judged by the Pandera contract → `raw.quarantined_rows`."""

import dagster as dg

from bma_pipeline.defs.intake.assets import SUBMISSION_FILES, SUBMISSION_ROWS
from bma_pipeline.defs.metadata import reasons_metadata
from bma_pipeline.defs.partitions import period_partitions
from bma_pipeline.defs.plans.assets import plans_key
from bma_pipeline.defs.reference.assets import reference_key
from bma_pipeline.defs.resources import OWNER, WAREHOUSE_POOL, WarehouseResource
from bma_pipeline.defs.retries import retry_on_transient_errors
from bma_pipeline.plans.store import read_plan_in_force
from bma_pipeline.validation.apply import validate_pending_files

QUARANTINED_ROWS = dg.AssetKey(["raw", "quarantined_rows"])


@dg.asset(
    key=QUARANTINED_ROWS,
    group_name="validation",
    description="Rows that failed the validation contract, with every reason as a machine "
    "code and Thai and English messages, judged against the plan in force for their period. "
    "Accepted rows are the raw rows without a current entry; a file is judged again when "
    "the plan in force for its periods changes (earlier entries stay, superseded).",
    kinds={"pandas", "sql"},
    owners=[OWNER],
    deps=[
        SUBMISSION_FILES,
        SUBMISSION_ROWS,
        reference_key("units"),
        plans_key("policy_in_force"),
        plans_key("kpis"),
        plans_key("assignments"),
    ],
    partitions_def=period_partitions,
    pool=WAREHOUSE_POOL,
)
def quarantined_rows(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Validate every ingested file not yet validated, and the files the plan in force changed
    for; record quarantine entries and verdicts."""
    with retry_on_transient_errors(context), warehouse.connect() as wh:
        report = validate_pending_files(wh, read_plan_in_force(wh))
    return dg.MaterializeResult(
        metadata={
            "files_validated": report.files_validated,
            "files_judged_again": report.files_judged_again,
            "rows_validated": report.rows_validated,
            "rows_accepted": report.rows_accepted,
            "rows_quarantined": report.rows_quarantined,
            "reasons": reasons_metadata(report.reason_counts),
        }
    )
