"""Minutes: meeting-minutes files → the minutes ledger → verdicts (DOMAIN §7).

Thin assets over `bma_pipeline/intake/workbook_ledger.py` (intake) and `bma_pipeline/minutes/
apply.py` (validation, against the plan in force for each meeting's period). Partitioned by
period like the submissions: a period's run takes every new minutes file, whichever meeting
it reports; the marts (mart_meetings, mart_commitments) are dbt's.
"""

import dagster as dg

from bma_pipeline.columns import MINUTES
from bma_pipeline.defs.metadata import reasons_metadata
from bma_pipeline.defs.partitions import period_partitions
from bma_pipeline.defs.plans.assets import plans_key
from bma_pipeline.defs.resources import OWNER, WAREHOUSE_POOL, PipelineSettings, WarehouseResource
from bma_pipeline.defs.retries import retry_on_transient_errors
from bma_pipeline.defs.workbooks import files_key, quarantine_key, rows_key, workbook_intake
from bma_pipeline.minutes.apply import validate_pending_minutes

MINUTES_FILES, MINUTES_ROWS = files_key(MINUTES), rows_key(MINUTES)
MINUTES_QUARANTINED_ROWS = quarantine_key(MINUTES)


minutes_intake = workbook_intake(
    MINUTES,
    "minutes",
    files_description="Ledger of every received minutes workbook (landing/<H unit>/meetings/): "
    "path, sender, SHA-256, received time, outcome, reason.",
    rows_description="Every data row of every sheet of every ingested minutes workbook: "
    "meeting, attendance, decisions, commitments, updates.",
    partitions_def=period_partitions,
)


@dg.asset(
    key=MINUTES_QUARANTINED_ROWS,
    group_name="minutes",
    description="Minutes rows that failed the minutes contract, with every reason (Thai and "
    "English), judged against the plan in force for the meeting's period.",
    kinds={"pandas", "sql"},
    owners=[OWNER],
    deps=[MINUTES_FILES, MINUTES_ROWS, plans_key("policy_in_force"), plans_key("assignments")],
    partitions_def=period_partitions,
    pool=WAREHOUSE_POOL,
)
def minutes_quarantined_rows(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, settings: PipelineSettings
) -> dg.MaterializeResult:
    """Judge every minutes file not judged yet, oldest received first."""
    with retry_on_transient_errors(context), warehouse.connect() as wh:
        report = validate_pending_minutes(wh, settings.deadline_days, settings.meeting_grace_days)
    return dg.MaterializeResult(
        metadata={
            "files_validated": report.files_validated,
            "rows_validated": report.rows_validated,
            "rows_accepted": report.rows_accepted,
            "rows_quarantined": report.rows_quarantined,
            "reasons": reasons_metadata(report.reason_counts),
        }
    )
