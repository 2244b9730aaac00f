"""Validation: ledger rows judged by the Pandera contract → `raw.quarantined_rows`."""

import dagster as dg

from bma_pipeline.defs.intake.assets import SUBMISSION_FILES, SUBMISSION_ROWS
from bma_pipeline.defs.partitions import period_partitions
from bma_pipeline.defs.reference.assets import reference_key
from bma_pipeline.defs.resources import OWNER, WAREHOUSE_POOL, WarehouseResource
from bma_pipeline.defs.retries import retry_on_transient_errors
from bma_pipeline.reference.catalog import load_catalog
from bma_pipeline.validation.apply import validate_pending_files

QUARANTINED_ROWS = dg.AssetKey(["raw", "quarantined_rows"])


@dg.asset(
    key=QUARANTINED_ROWS,
    group_name="validation",
    description="Rows that failed the validation contract, with every reason as a machine "
    "code and Thai and English messages. Accepted rows are the raw rows without an entry.",
    kinds={"pandas", "sql"},
    owners=[OWNER],
    deps=[
        SUBMISSION_FILES,
        SUBMISSION_ROWS,
        reference_key("units"),
        reference_key("kpis"),
        reference_key("assignments"),
        reference_key("targets"),
    ],
    partitions_def=period_partitions,
    pool=WAREHOUSE_POOL,
)
def quarantined_rows(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Validate every ingested file not yet validated; record quarantine entries."""
    with retry_on_transient_errors(context), warehouse.connect() as wh:
        report = validate_pending_files(wh, load_catalog())
    reasons = "\n".join(f"| {code} | {n} |" for code, n in sorted(report.reason_counts.items()))
    return dg.MaterializeResult(
        metadata={
            "files_validated": report.files_validated,
            "rows_validated": report.rows_validated,
            "rows_accepted": report.rows_accepted,
            "rows_quarantined": report.rows_quarantined,
            "reasons": dg.MetadataValue.md(
                "| reason | rows |\n|---|---|\n" + reasons if reasons else "none"
            ),
        }
    )
