"""Minutes: meeting-minutes files → the minutes ledger → verdicts (DOMAIN §7).

Thin assets over `bma_pipeline/intake/workbook_ledger.py` (intake) and `bma_pipeline/minutes/
apply.py` (validation, against the plan in force for each meeting's period). Partitioned by
period like the submissions: a period's run takes every new minutes file, whichever meeting
it reports; the marts (mart_meetings, mart_commitments) are dbt's.
"""

from collections.abc import Iterator

import dagster as dg

from bma_pipeline.columns import MINUTES
from bma_pipeline.defs.metadata import markdown_table
from bma_pipeline.defs.partitions import period_partitions
from bma_pipeline.defs.plans.assets import plans_key
from bma_pipeline.defs.reference.assets import reference_key
from bma_pipeline.defs.resources import OWNER, WAREHOUSE_POOL, PipelineSettings, WarehouseResource
from bma_pipeline.defs.retries import retry_on_transient_errors
from bma_pipeline.intake.workbook_ledger import ingest_workbooks
from bma_pipeline.minutes.apply import validate_pending_minutes

MINUTES_FILES = dg.AssetKey(["raw", MINUTES.files.name])
MINUTES_ROWS = dg.AssetKey(["raw", MINUTES.rows.name])
MINUTES_QUARANTINED_ROWS = dg.AssetKey(["raw", MINUTES.quarantine.name])


@dg.multi_asset(
    name="minutes_intake",
    specs=[
        dg.AssetSpec(
            MINUTES_FILES,
            group_name="minutes",
            description="Ledger of every received minutes workbook (landing/<H unit>/meetings/): "
            "path, sender, SHA-256, received time, outcome, reason.",
            kinds={"pandas", "sql"},
            owners=[OWNER],
            deps=[reference_key("units")],
        ),
        dg.AssetSpec(
            MINUTES_ROWS,
            group_name="minutes",
            description="Every data row of every sheet of every ingested minutes workbook: "
            "meeting, attendance, decisions, commitments, updates.",
            kinds={"pandas", "sql"},
            owners=[OWNER],
        ),
    ],
    partitions_def=period_partitions,
    pool=WAREHOUSE_POOL,
)
def minutes_intake(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, settings: PipelineSettings
) -> Iterator[dg.MaterializeResult]:
    """Scan landing/<unit>/meetings/ and record each new minutes workbook exactly once."""
    with retry_on_transient_errors(context), warehouse.connect() as wh:
        units = set(wh.query("select unit_code from reference.units")["unit_code"])
        report = ingest_workbooks(
            wh,
            settings.landing_path,
            MINUTES,
            units,
            max_bytes=settings.max_file_bytes,
            progress=context.log.info,
            settle_seconds=settings.settle_seconds,
        )
    for path, code, reason in report.rejections:
        context.log.warning(f"rejected minutes {path}: [{code}] {reason}")
    yield dg.MaterializeResult(
        asset_key=MINUTES_FILES,
        metadata={
            "files_seen": report.files_seen,
            "files_ingested": report.files_ingested,
            "files_duplicate": report.files_duplicate,
            "files_incomplete": report.files_incomplete,
            "files_skipped_in_progress_names": len(report.in_progress_names),
            "files_rejected": report.files_rejected,
            "rejections": dg.MetadataValue.md(
                markdown_table(("path", "code", "reason"), report.rejections[:50])
                if report.rejections
                else "none"
            ),
        },
    )
    yield dg.MaterializeResult(
        asset_key=MINUTES_ROWS, metadata={"rows_ingested": report.rows_ingested}
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
    reasons = "\n".join(f"| {code} | {n} |" for code, n in report.reason_counts.items())
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
