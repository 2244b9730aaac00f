"""Reports: the run summary (JSON + Markdown) under the reports folder.

Each file is replaced whole (temp file, then rename), so a full disk leaves the previous
summary or none, never a 0-byte file, and fails the step naming the path and free space.
"""

from __future__ import annotations

import json

import dagster as dg

from bma_pipeline.defs.reports.dashboards import exposure_keys
from bma_pipeline.defs.reports.output import report_output
from bma_pipeline.defs.resources import OWNER, PipelineSettings, WarehouseResource
from bma_pipeline.outputs import write_atomically
from bma_pipeline.summary import collect_summary, format_summary


@dg.asset(
    group_name="reports",
    description="Files and rows received, accepted and quarantined; submissions on time, "
    "late and missing; progress per mission group and for the city.",
    kinds={"python"},
    owners=[OWNER],
    deps=exposure_keys("run_summary"),  # its dbt exposure's depends_on
)
def run_summary(warehouse: WarehouseResource, settings: PipelineSettings) -> dg.MaterializeResult:
    with warehouse.connect(read_only=True) as wh:
        summary = collect_summary(wh)
    out = settings.reports_path
    json_path = out / "run_summary.json"
    text_path = out / "run_summary.txt"
    summary.reports = [str(json_path.resolve()), str(text_path.resolve())]
    for path, text in (
        (json_path, json.dumps(summary.as_dict(), ensure_ascii=False, indent=2)),
        (text_path, format_summary(summary) + "\n"),
    ):
        with report_output("the run summary", path):
            write_atomically(path, text)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(json_path.resolve())),
            "rows_accepted": summary.rows_accepted,
            "rows_quarantined": summary.rows_quarantined,
            "summary": dg.MetadataValue.md(f"```\n{format_summary(summary)}\n```"),
        }
    )
