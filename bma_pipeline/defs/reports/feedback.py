"""Feedback files to units, per period: accepted count and every quarantined row's reasons."""

import dagster as dg

from bma_pipeline.columns import MINUTES, PLAN, Workbook
from bma_pipeline.defs.minutes.assets import MINUTES_QUARANTINED_ROWS
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


def workbook_feedback_asset(
    kind: Workbook, quarantine: dg.AssetKey, what: str
) -> dg.AssetsDefinition:
    """The feedback asset of a workbook kind: one XLSX per sending unit
    (<reports>/feedback/<kind folder>/<unit>.xlsx, Thai headers) with its files, their outcome
    and every quarantined row with its sheet and reasons."""

    @dg.asset(
        name=f"{kind.name}_feedback",
        group_name="reports",
        description=f"One XLSX per unit that sent {what} (<reports>/feedback/{kind.folder}/"
        "<unit>.xlsx, Thai headers): its files with their outcome, and every quarantined row "
        "with its sheet and reasons.",
        kinds={"excel", "python"},
        owners=[OWNER],
        deps=[quarantine],
    )
    def feedback(warehouse: WarehouseResource, settings: PipelineSettings) -> dg.MaterializeResult:
        out = settings.reports_path / "feedback"
        with (
            warehouse.connect(read_only=True) as wh,
            report_output(f"{kind.name} feedback files", out / kind.folder),
        ):
            paths = write_workbook_feedback(wh, kind, out)
        return dg.MaterializeResult(
            metadata={
                "files_written": len(paths),
                "folder": dg.MetadataValue.path(str((out / kind.folder).resolve())),
            }
        )

    return feedback


plan_feedback = workbook_feedback_asset(PLAN, PLAN_QUARANTINED_ROWS, "plans")
minutes_feedback = workbook_feedback_asset(MINUTES, MINUTES_QUARANTINED_ROWS, "meeting minutes")
