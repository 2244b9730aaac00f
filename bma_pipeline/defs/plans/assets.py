"""Plans: plan files → the plan ledger → plan versions and the plan in force (schema `plans`).

Thin assets over `bma_pipeline/intake/workbook_ledger.py` (intake), `bma_pipeline/plans/
apply.py` (validation) and `bma_pipeline/plans/store.py` (versions, in force). Not
partitioned: a plan is for a fiscal year, and every run takes every new plan file before it
judges submissions against the plan in force.
"""

from collections.abc import Iterator

import dagster as dg

from bma_pipeline.columns import PLAN, PLAN_TABLES, PLANS_SCHEMA
from bma_pipeline.defs.metadata import markdown_table
from bma_pipeline.defs.reference.assets import reference_key
from bma_pipeline.defs.resources import OWNER, WAREHOUSE_POOL, PipelineSettings, WarehouseResource
from bma_pipeline.defs.retries import retry_on_transient_errors
from bma_pipeline.intake.workbook_ledger import ingest_workbooks
from bma_pipeline.plans.apply import validate_pending_plans
from bma_pipeline.plans.store import plan_tables, write_plan_tables

PLAN_FILES = dg.AssetKey(["raw", PLAN.files.name])
PLAN_ROWS = dg.AssetKey(["raw", PLAN.rows.name])
PLAN_QUARANTINED_ROWS = dg.AssetKey(["raw", PLAN.quarantine.name])


def plans_key(table: str) -> dg.AssetKey:
    return dg.AssetKey([PLANS_SCHEMA, table])


@dg.multi_asset(
    name="plan_intake",
    specs=[
        dg.AssetSpec(
            PLAN_FILES,
            group_name="plans",
            description="Ledger of every received plan workbook (landing/<unit>/plans/): path, "
            "sender, SHA-256, received time, outcome (ingested / duplicate / rejected), reason.",
            kinds={"pandas", "sql"},
            owners=[OWNER],
            deps=[reference_key("units")],
        ),
        dg.AssetSpec(
            PLAN_ROWS,
            group_name="plans",
            description="Every data row of every sheet of every ingested plan: the sheet, the "
            "original cells, the original text and parsed value of each column.",
            kinds={"pandas", "sql"},
            owners=[OWNER],
        ),
    ],
    pool=WAREHOUSE_POOL,
)
def plan_intake(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, settings: PipelineSettings
) -> Iterator[dg.MaterializeResult]:
    """Scan landing/<unit>/plans/ and record each new plan workbook exactly once."""
    with retry_on_transient_errors(context), warehouse.connect() as wh:
        units = set(wh.query("select unit_code from reference.units")["unit_code"])
        report = ingest_workbooks(
            wh,
            settings.landing_path,
            PLAN,
            units,
            max_bytes=settings.max_file_bytes,
            progress=context.log.info,
            settle_seconds=settings.settle_seconds,
        )
    for path, code, reason in report.rejections:
        context.log.warning(f"rejected plan {path}: [{code}] {reason}")
    yield dg.MaterializeResult(
        asset_key=PLAN_FILES,
        metadata={
            "files_seen": report.files_seen,
            "files_ingested": report.files_ingested,
            "files_duplicate": report.files_duplicate,
            "files_incomplete": report.files_incomplete,
            "files_skipped_in_progress_names": len(report.in_progress_names),
            "files_rejected": report.files_rejected,
            "files_already_known": report.files_already_known,
            "rejections": dg.MetadataValue.md(
                markdown_table(("path", "code", "reason"), report.rejections[:50])
                if report.rejections
                else "none"
            ),
        },
    )
    yield dg.MaterializeResult(
        asset_key=PLAN_ROWS, metadata={"rows_ingested": report.rows_ingested}
    )


@dg.asset(
    key=PLAN_QUARANTINED_ROWS,
    group_name="plans",
    description="Plan rows that failed the plan contract, with every reason (Thai and English). "
    "Accepted plan rows are the raw plan rows without an entry.",
    kinds={"pandas", "sql"},
    owners=[OWNER],
    deps=[
        PLAN_FILES,
        PLAN_ROWS,
        reference_key("units"),
        reference_key("mission_groups"),
        reference_key("dimensions"),
    ],
    pool=WAREHOUSE_POOL,
)
def plan_quarantined_rows(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Judge every plan file not judged yet, oldest received first."""
    with retry_on_transient_errors(context), warehouse.connect() as wh:
        report = validate_pending_plans(wh)
    reasons = "\n".join(f"| {code} | {n} |" for code, n in report.reason_counts.items())
    context.log.info(
        f"plans: {report.rows_validated} rows judged, {report.rows_accepted} accepted, "
        f"{report.rows_quarantined} quarantined"
    )
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


@dg.multi_asset(
    name="plan_versions",
    specs=[
        dg.AssetSpec(
            plans_key(table.name),
            group_name="plans",
            description=table.description,
            kinds={"pandas", "sql"},
            owners=[OWNER],
            deps=[PLAN_QUARANTINED_ROWS, reference_key("dimensions")],
        )
        for table in PLAN_TABLES
    ],
    pool=WAREHOUSE_POOL,
)
def plan_versions(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, settings: PipelineSettings
) -> Iterator[dg.MaterializeResult]:
    """Every accepted plan file received by the run's as-of time is a version; write the
    versions, their validity per policy and the plan in force per period."""
    with retry_on_transient_errors(context), warehouse.connect() as wh:
        tables = plan_tables(wh, as_of=settings.as_of_time())
        counts = write_plan_tables(wh, tables)
    versions = tables.versions
    summary = [
        (str(v.plan_version_id), str(v.sender_unit), str(v.fiscal_year), str(v.effective_from),
         str(v.received_at))
        for v in versions.itertuples(index=False)
    ]  # fmt: skip
    for table, rows in counts.items():
        metadata: dict[str, dg.RawMetadataValue] = {"dagster/row_count": rows}
        if table == "versions":
            metadata["versions"] = dg.MetadataValue.md(
                markdown_table(("version", "sender", "fiscal year", "from", "received"), summary)
                if summary
                else "none: no plan received yet"
            )
        yield dg.MaterializeResult(asset_key=plans_key(table), metadata=metadata)
