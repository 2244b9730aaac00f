"""Reports: the run summary (JSON + Markdown) under the reports folder.

Each file is replaced whole (temp file, then rename), so a full disk leaves the previous
summary or none, never a 0-byte file, and fails the step naming the path and free space.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from bma_pipeline.defs.resources import OWNER, PipelineSettings, WarehouseResource
from bma_pipeline.outputs import OutputNotWritten, output_errors, write_atomically
from bma_pipeline.summary import collect_summary, format_summary


@contextmanager
def report_output(what: str, path: Path) -> Iterator[None]:
    """A write the reports folder refuses fails the step, naming the path and free space."""
    try:
        with output_errors(what, path):
            yield
    except OutputNotWritten as exc:
        raise dg.Failure(description=f"{exc} (`bi` is published apart from the reports)") from exc


MART_KEYS = [
    dg.AssetKey(["marts", name])
    for name in (
        "fct_kpi_progress",
        "mart_group_progress",
        "mart_submission_compliance",
    )
]


@dg.asset(
    group_name="reports",
    description="Files and rows received, accepted and quarantined; submissions on time, "
    "late and missing; progress per mission group and for the city.",
    kinds={"python"},
    owners=[OWNER],
    deps=MART_KEYS,
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
