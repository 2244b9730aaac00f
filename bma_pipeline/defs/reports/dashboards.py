"""Rendered reports as assets: the executive dashboard, the H units' meeting packs, their reports
of the meetings to the executives, the index.

Thin wrappers over `bma_pipeline.reports`. The dashboard, the meeting packs and the reports to
the executives are partitioned by period: a run renders its partition's period, and re-renders
the earlier periods of the same fiscal year whose marts changed since they were rendered (late
files count; see `reports.freshness`); PDFs only for the partition's period. No
`from __future__ import annotations` here: Dagster reads the annotations of the asset functions.
"""

from collections.abc import Callable
from pathlib import Path

import dagster as dg
from pydantic import Field

from bma_pipeline import lineage
from bma_pipeline.defs.partitions import period_of, period_partitions
from bma_pipeline.defs.publish.assets import PUBLISHED
from bma_pipeline.defs.reports.output import report_output
from bma_pipeline.defs.resources import OWNER, WAREHOUSE_POOL, PipelineSettings, WarehouseResource
from bma_pipeline.defs.transform.translator import BmaDbtTranslator
from bma_pipeline.fiscal import Period
from bma_pipeline.reports.common import periods_to_render
from bma_pipeline.reports.dashboard import render_dashboard
from bma_pipeline.reports.executive_report import render_executive_reports
from bma_pipeline.reports.freshness import (
    forget_rendered,
    is_current,
    period_fingerprints,
    record_rendered,
)
from bma_pipeline.reports.index import render_index, unit_names
from bma_pipeline.reports.meeting import MeetingResult, default_workers, render_meeting_reports
from bma_pipeline.warehouse import Warehouse


def exposure_keys(exposure: str) -> list[dg.AssetKey]:
    """The asset keys of the dbt models a report reads: its exposure's `depends_on` in the
    manifest (`bma_pipeline.lineage`), keyed as the dbt assets are."""
    translator = BmaDbtTranslator()
    return [translator.get_asset_key(node) for node in lineage.exposure_model_nodes(exposure)]


def _published_reads(exposure: str) -> list[dg.AssetKey]:
    """The models a report reads, and the publish step: reports render only builds that passed
    the publish gate, so they show the figures BI tools see (a failed gate keeps both)."""
    return [*exposure_keys(exposure), PUBLISHED]


def _periods(context: dg.AssetExecutionContext, wh: Warehouse) -> list[Period]:
    """Periods 1 … the partition's period of its fiscal year; without a partition (a test
    calling the function directly), every period up to the latest with data."""
    period = period_of(context)
    if period is None:
        return periods_to_render(wh)
    return [Period(period.fiscal_year, n) for n in range(1, period.period_no + 1)]


def _to_render(
    context: dg.AssetExecutionContext,
    wh: Warehouse,
    settings: PipelineSettings,
    report: str,
    every_period: bool = False,
) -> tuple[list[Period], dict[str, str], list[Period]]:
    """(periods to render, their fingerprints, earlier periods left as they are): the run's
    own period always, an earlier one only when its marts changed since it was rendered."""
    periods = _periods(context, wh)
    prints = period_fingerprints(wh, periods)
    render, unchanged = [], []
    for period in periods:
        current = is_current(settings.reports_path, period, report, prints[period.key])
        if period == periods[-1] or every_period or not current:
            render.append(period)
        else:
            unchanged.append(period)
    return render, prints, unchanged


def _freshness_metadata(rendered: list[Period], unchanged: list[Period]) -> dict[str, str]:
    return {
        "periods": ", ".join(p.key for p in rendered) or "none (no data yet)",
        "periods_unchanged": ", ".join(p.key for p in unchanged) or "none",
    }


def _as_of_label(settings: PipelineSettings) -> str:
    return settings.as_of_time().isoformat(sep=" ", timespec="minutes")


@dg.asset(
    group_name="reports",
    description="Executive dashboard per period (<reports>/<period>/executive_dashboard.html): "
    "city and mission-group progress and trend, policies by status per dimension, key "
    "projects, the 50 districts' submissions, the most lagging policies with their lead "
    "units. One offline HTML file in Thai (plotly inlined).",
    kinds={"html"},
    owners=[OWNER],
    partitions_def=period_partitions,
    pool=WAREHOUSE_POOL,  # DuckDB: a reader cannot open the file while a writer holds it
    deps=_published_reads("executive_dashboard"),
)
def executive_dashboard(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, settings: PipelineSettings
) -> dg.MaterializeResult:
    paths: list[Path] = []
    reports = settings.reports_path
    with (
        warehouse.connect(read_only=True) as wh,
        report_output("the executive dashboards", reports),
    ):
        periods, prints, unchanged = _to_render(context, wh, settings, "executive_dashboard")
        for period in periods:
            forget_rendered(reports, period, "executive_dashboard")
            paths.append(render_dashboard(wh, period.key, reports, _as_of_label(settings)))
            record_rendered(reports, period, "executive_dashboard", prints[period.key])
    metadata: dict[str, dg.RawMetadataValue] = {
        "n_dashboards": len(paths),
        **_freshness_metadata(periods, unchanged),
    }
    if paths:
        metadata["path"] = dg.MetadataValue.path(str(paths[-1].resolve()))
    for period, path in zip(periods, paths, strict=True):
        metadata[f"path_{period.key}"] = dg.MetadataValue.path(str(path.resolve()))
    return dg.MaterializeResult(metadata=metadata)


class MeetingReportsConfig(dg.Config):
    """Which meeting packs also get a PDF (WeasyPrint takes ~1–3 s a pack)."""

    pdf: bool = Field(
        default=False,
        description="print packs to PDF too (1–3 s a pack): the bi-monthly rollup schedule does; "
        "runs started by landing files write HTML only",
    )
    pdf_units: list[str] = Field(
        default_factory=list, description="H unit codes that get a PDF; empty = every H unit"
    )
    pdf_all_periods: bool = Field(
        default=False,
        description="PDFs for every re-rendered earlier period too, not only the run's period",
    )
    pdf_workers: int = Field(
        default=0, description="processes rendering PDFs; 0 = one per CPU, at most 4"
    )
    html_workers: int = Field(
        default=1,
        description="forked processes rendering the HTML packs when a period has 300 or more "
        "(nationwide); faster, but each counts the run's resident memory again in RSS",
    )


@dg.asset(
    group_name="reports",
    description="Agenda pack of each lead (H) unit's meeting with its supporting (R) units, per "
    "period (<reports>/<period>/meetings/<unit>.html and .pdf): the unit's policies, each KPI "
    "by assigned unit (actual and target to date, ratio, status), R units late or missing, "
    "obstacles reported, items needing a decision.",
    kinds={"html", "pdf"},
    owners=[OWNER],
    partitions_def=period_partitions,
    pool=WAREHOUSE_POOL,
    deps=_published_reads("meeting_reports"),
)
def meeting_reports(
    context: dg.AssetExecutionContext,
    config: MeetingReportsConfig,
    warehouse: WarehouseResource,
    settings: PipelineSettings,
) -> dg.MaterializeResult:
    workers = config.pdf_workers or default_workers()

    def render(wh: Warehouse, period: Period, pdf: bool) -> MeetingResult:
        return render_meeting_reports(
            wh,
            period.key,
            settings.reports_path,
            pdf=config.pdf and (config.pdf_all_periods or pdf),
            pdf_units=config.pdf_units or None,
            workers=workers,
            html_workers=config.html_workers,
            generated_at=_as_of_label(settings),
        )

    metadata = _render_unit_reports(
        context, warehouse, settings, "meeting_reports", render, config.pdf_all_periods
    )
    return dg.MaterializeResult(metadata={**metadata, "pdf_workers": workers})


def _render_unit_reports(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    settings: PipelineSettings,
    report: str,
    render: Callable[[Warehouse, Period, bool], MeetingResult],
    every_period: bool = False,
) -> dict[str, object]:
    """Render a per-H-unit report (`render(wh, period, is_run_period)`) for each period to
    render, stamping each period once written; the metadata of what was written."""
    metadata: dict[str, object] = {}
    n_html = n_pdf = 0
    pdf_seconds = 0.0
    reports = settings.reports_path
    with (
        warehouse.connect(read_only=True) as wh,
        report_output(f"the {report.replace('_', ' ')}", reports),
    ):
        periods, prints, unchanged = _to_render(context, wh, settings, report, every_period)
        for period in periods:
            forget_rendered(reports, period, report)
            context.log.info(f"{report} of {period.key}: rendering")
            result = render(wh, period, period == periods[-1])
            if result.pdf_unavailable:
                context.log.warning(result.pdf_unavailable)
                metadata["pdf_unavailable"] = result.pdf_unavailable
            record_rendered(reports, period, report, prints[period.key])
            context.log.info(f"{report} of {period.key}: {len(result.html)} HTML")
            n_html += len(result.html)
            n_pdf += len(result.pdf)
            pdf_seconds += result.pdf_seconds
            if result.html:
                folder = result.html[0].parent.resolve()
                metadata[f"folder_{period.key}"] = dg.MetadataValue.path(str(folder))
    context.log.info(f"{report}: {n_html} HTML, {n_pdf} PDF ({pdf_seconds:.1f}s for PDFs)")
    metadata.update(
        {
            **_freshness_metadata(periods, unchanged),
            "n_html": n_html,
            "n_pdf": n_pdf,
            "pdf_seconds": round(pdf_seconds, 1),
        }
    )
    return metadata


class ExecutiveReportsConfig(dg.Config):
    """Which reports to the executives also get a PDF (WeasyPrint takes ~1 s a report)."""

    pdf: bool = Field(
        default=False,
        description="print the reports to PDF too: the bi-monthly rollup schedule does; runs "
        "started by landing files write HTML only",
    )
    pdf_units: list[str] = Field(
        default_factory=list, description="H unit codes that get a PDF; empty = every H unit"
    )
    pdf_workers: int = Field(
        default=0, description="processes rendering PDFs; 0 = one per CPU, at most 4"
    )


@dg.asset(
    group_name="reports",
    description="Report of each lead (H) unit's meeting with its supporting (R) units to the "
    "executives (รายงานการประชุมเสนอผู้บริหาร), per period (<reports>/<period>/executive_reports/"
    "<unit>.html and .pdf): the period's figures for its policies, the meeting and who attended, "
    "the decisions, the new commitments and what became of the earlier ones.",
    kinds={"html", "pdf"},
    owners=[OWNER],
    partitions_def=period_partitions,
    pool=WAREHOUSE_POOL,
    deps=_published_reads("executive_reports"),
)
def executive_reports(
    context: dg.AssetExecutionContext,
    config: ExecutiveReportsConfig,
    warehouse: WarehouseResource,
    settings: PipelineSettings,
) -> dg.MaterializeResult:
    workers = config.pdf_workers or default_workers()

    def render(wh: Warehouse, period: Period, pdf: bool) -> MeetingResult:
        return render_executive_reports(
            wh,
            period.key,
            settings.reports_path,
            pdf=config.pdf and pdf,
            pdf_units=config.pdf_units or None,
            workers=workers,
            generated_at=_as_of_label(settings),
        )

    metadata = _render_unit_reports(context, warehouse, settings, "executive_reports", render)
    return dg.MaterializeResult(metadata={**metadata, "pdf_workers": workers})


@dg.asset(
    group_name="reports",
    description="<reports>/index.html: links to every report of every period — dashboards, "
    "meeting packs, reports to the executives, feedback files, data docs and the run summary.",
    kinds={"html"},
    owners=[OWNER],
    pool=WAREHOUSE_POOL,
    deps=[
        executive_dashboard,
        meeting_reports,
        executive_reports,
        dg.AssetKey(["submission_feedback"]),
        dg.AssetKey(["run_summary"]),
        *_published_reads("report_index"),
    ],
)
def report_index(warehouse: WarehouseResource, settings: PipelineSettings) -> dg.MaterializeResult:
    with warehouse.connect(read_only=True) as wh:
        names = unit_names(wh)
    with report_output("the report index", settings.reports_path / "index.html"):
        path = render_index(settings.reports_path, names)
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path.resolve()))})
