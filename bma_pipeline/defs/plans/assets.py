"""Plans: plan files → the plan ledger → plan versions and the plan in force (schema `plans`).

Thin assets over `bma_pipeline/intake/workbook_ledger.py` (intake), `bma_pipeline/plans/
apply.py` (validation) and `bma_pipeline/plans/store.py` (versions, in force). Not
partitioned: a plan is for a fiscal year, and every run takes every new plan file before it
judges submissions against the plan in force.
"""

from collections.abc import Iterator

import dagster as dg

from bma_pipeline.columns import PLAN, PLAN_TABLES, PLANS_SCHEMA
from bma_pipeline.defs.metadata import markdown_table, reasons_metadata
from bma_pipeline.defs.reference.assets import reference_key
from bma_pipeline.defs.resources import OWNER, WAREHOUSE_POOL, PipelineSettings, WarehouseResource
from bma_pipeline.defs.retries import retry_on_transient_errors
from bma_pipeline.defs.workbooks import files_key, quarantine_key, rows_key, workbook_intake
from bma_pipeline.plans.apply import validate_pending_plans
from bma_pipeline.plans.store import refresh_plan_tables

PLAN_FILES, PLAN_ROWS = files_key(PLAN), rows_key(PLAN)
PLAN_QUARANTINED_ROWS = quarantine_key(PLAN)


def plans_key(table: str) -> dg.AssetKey:
    return dg.AssetKey([PLANS_SCHEMA, table])


plan_intake = workbook_intake(
    PLAN,
    "plans",
    files_description="Ledger of every received plan workbook (landing/<unit>/plans/): path, "
    "sender, SHA-256, received time, outcome (ingested / duplicate / rejected, or incomplete "
    "while a file is still being written), reason.",
    rows_description="Every data row of every sheet of every ingested plan: the sheet, the "
    "original cells, the original text and parsed value of each column.",
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
            "reasons": reasons_metadata(report.reason_counts),
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
    versions, their validity per policy and the plan in force per period — unless they were
    last built from the same inputs (`bma_pipeline/plans/freshness.py`)."""
    with retry_on_transient_errors(context), warehouse.connect() as wh:
        refresh = refresh_plan_tables(wh, as_of=settings.as_of_time())
    context.log.info(
        f"plans: {'rebuilt' if refresh.rebuilt else 'unchanged, not rebuilt'} from "
        f"{refresh.n_plan_files} accepted plan files; {len(refresh.versions)} versions"
    )
    counts, versions = refresh.counts, refresh.versions
    summary = [
        (str(v.plan_version_id), str(v.sender_unit), str(v.fiscal_year), str(v.effective_from),
         str(v.received_at))
        for v in versions.itertuples(index=False)
    ]  # fmt: skip
    for table, rows in counts.items():
        metadata: dict[str, dg.RawMetadataValue] = {
            "dagster/row_count": rows,
            "rebuilt": refresh.rebuilt,
        }
        if table == "versions":
            metadata["versions"] = dg.MetadataValue.md(
                markdown_table(("version", "sender", "fiscal year", "from", "received"), summary)
                if summary
                else "none: no plan received yet"
            )
        yield dg.MaterializeResult(asset_key=plans_key(table), metadata=metadata)
