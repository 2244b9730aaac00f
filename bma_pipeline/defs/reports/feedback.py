"""Feedback files to units, per period: accepted count and every quarantined row's reasons."""

import dagster as dg

from bma_pipeline.columns import PLAN
from bma_pipeline.defs.partitions import period_partitions
from bma_pipeline.defs.plans.assets import PLAN_QUARANTINED_ROWS
from bma_pipeline.defs.reports.output import report_output
from bma_pipeline.defs.resources import OWNER, PipelineSettings, WarehouseResource
from bma_pipeline.defs.validation.assets import QUARANTINED_ROWS
from bma_pipeline.validation.feedback import write_feedback_files, write_workbook_feedback


@dg.asset(
    group_name="reports",
    description="One XLSX per unit and period (Thai headers): files received, rows accepted, "
    "and every quarantined row with its reasons — what goes back to the unit.",
    kinds={"excel", "python"},
    owners=[OWNER],
    deps=[QUARANTINED_ROWS],
    partitions_def=period_partitions,
)
def submission_feedback(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, settings: PipelineSettings
) -> dg.MaterializeResult:
    out = settings.reports_path / "feedback"
    with warehouse.connect(read_only=True) as wh, report_output("feedback files", out):
        paths = write_feedback_files(wh, out, context.partition_key)
    return dg.MaterializeResult(
        metadata={
            "files_written": len(paths),
            "folder": dg.MetadataValue.path(str((out / context.partition_key).resolve())),
        }
    )


@dg.asset(
    group_name="reports",
    description="One XLSX per unit that sent plans (<reports>/feedback/plans/<unit>.xlsx, Thai "
    "headers): its plan files with their outcome, and every quarantined plan row with its sheet "
    "and reasons.",
    kinds={"excel", "python"},
    owners=[OWNER],
    deps=[PLAN_QUARANTINED_ROWS],
)
def plan_feedback(warehouse: WarehouseResource, settings: PipelineSettings) -> dg.MaterializeResult:
    out = settings.reports_path / "feedback"
    with warehouse.connect(read_only=True) as wh:
        paths = write_workbook_feedback(wh, PLAN, out)
    return dg.MaterializeResult(
        metadata={
            "files_written": len(paths),
            "folder": dg.MetadataValue.path(str((out / PLAN.folder).resolve())),
        }
    )
