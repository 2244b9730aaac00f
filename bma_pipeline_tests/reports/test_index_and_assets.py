"""The report assets materialise through `build_definitions`, and the index links every report."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import dagster as dg

from bma_pipeline.definitions import defs
from bma_pipeline.defs.partitions import period_partitions
from bma_pipeline.defs.resources import WAREHOUSE_POOL
from bma_pipeline.reports.executive_report import EXECUTIVE_DIR

from .conftest import PERIOD_KEY, PERIODS, ReportRun
from .html import parse_html

REPORT_ASSETS = {"executive_dashboard", "meeting_reports", "executive_reports", "report_index"}
PERIOD_REPORTS = ("executive_dashboard", "meeting_reports", "executive_reports")


def _materialized(report_run: ReportRun) -> dict[str, dg.AssetMaterialization]:
    events = report_run.result.get_asset_materialization_events()
    return {
        e.asset_key.to_user_string(): e.event_specific_data.materialization
        for e in events
        if e.asset_key.to_user_string() in REPORT_ASSETS
    }


def test_report_assets_are_defined_per_period_in_the_warehouse_pool():
    graph = defs.resolve_asset_graph()
    for name in PERIOD_REPORTS:
        node = graph.get(dg.AssetKey(name))
        assert node.partitions_def == period_partitions
        assert node.group_name == "reports"
    assert graph.get(dg.AssetKey("report_index")).partitions_def is None
    for name in REPORT_ASSETS:
        assert defs.get_assets_def(name).op.pool == WAREHOUSE_POOL


def test_report_assets_materialise_in_the_period_job(report_run):
    done = _materialized(report_run)
    assert set(done) == REPORT_ASSETS
    dashboard = done["executive_dashboard"]
    assert dashboard.partition == PERIOD_KEY
    assert dashboard.metadata["periods"].value == "2566-P1, 2566-P2, 2566-P3"
    assert Path(dashboard.metadata["path"].value).is_file()
    for name, folder in (("meeting_reports", "meetings"), ("executive_reports", EXECUTIVE_DIR)):
        metadata = done[name].metadata
        assert metadata["n_pdf"].value == 1  # the session run prints one unit's
        assert metadata["n_html"].value == sum(
            len(list((report_run.reports / f"2566-P{n}" / folder).glob("*.html"))) for n in PERIODS
        )
    assert Path(done["report_index"].metadata["path"].value).is_file()


def test_index_links_every_report_and_every_link_resolves(report_run):
    reports = report_run.reports
    index = parse_html(reports / "index.html")
    hrefs = [a.attrs["href"] for a in index.find_all("a")]
    targets = {(reports / unquote(h)).resolve() for h in hrefs}
    assert all(t.is_file() for t in targets), [t for t in targets if not t.is_file()]
    produced = {
        p.resolve()
        for pattern in (
            "*/executive_dashboard.html",
            "*/meetings/*.html",
            "*/meetings/*.pdf",
            "*/executive_reports/*.html",
            "*/executive_reports/*.pdf",
        )
        for p in reports.glob(pattern)
    }
    assert len(produced) > 2
    assert produced <= targets, sorted(produced - targets)
    assert (reports / "run_summary.json").resolve() in targets
    assert any(t.parent.name == "data_docs" for t in targets)
    periods = [s.attrs["data-period-key"] for s in index.find_all("section", data_period_key=True)]
    assert periods == ["2566-P3", "2566-P2", "2566-P1"]  # newest first


def test_reports_wait_for_the_publish_gate():
    """A build that fails the gate is not published to `bi`, nor rendered for executives."""
    graph = defs.resolve_asset_graph()
    published = dg.AssetKey(["bi", "published_marts"])
    for name in REPORT_ASSETS:
        assert published in graph.get(dg.AssetKey(name)).parent_keys
