"""Lineage comes from the dbt manifest, and it is true: every relation a report's code queries is
a model its dbt exposure names, and the Dagster deps of the report assets are those models.

The relations are recorded by wrapping `Warehouse.query` while the report renders from the
session's generated warehouse, so a new query on an unnamed mart fails here, as does a name in
an exposure that no code reads any more.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import pytest

from bma_pipeline import lineage
from bma_pipeline.definitions import defs
from bma_pipeline.fiscal import Period
from bma_pipeline.reports.dashboard import render_dashboard
from bma_pipeline.reports.executive_report import render_executive_reports
from bma_pipeline.reports.freshness import fingerprinted_models, period_fingerprints
from bma_pipeline.reports.index import unit_names
from bma_pipeline.reports.meeting import render_meeting_reports
from bma_pipeline.summary import collect_summary
from bma_pipeline.warehouse import Warehouse

from .conftest import PERIOD_KEY, REPO_ROOT, ReportRun

RELATION = re.compile(r"\b(?:marts|bi)\.(\w+)")
PUBLISHED = dg.AssetKey(["bi", "published_marts"])


@contextmanager
def recorded_relations(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[str]]:
    """Every `marts.` / `bi.` relation queried through any Warehouse while the block runs."""
    seen: set[str] = set()
    query = Warehouse.query

    def recording(self: Warehouse, sql: str, params=None):  # noqa: ANN001, ANN202
        seen.update(RELATION.findall(sql))
        return query(self, sql, params)

    with monkeypatch.context() as patch:
        patch.setattr(Warehouse, "query", recording)
        yield seen


def _reads(report_run: ReportRun, monkeypatch, render: Callable[[Warehouse], object]) -> set[str]:
    with report_run.read() as wh, recorded_relations(monkeypatch) as seen:
        render(wh)
    assert seen, "nothing was read: the recorder no longer sees the queries"
    return seen


def test_the_dashboard_reads_exactly_what_its_exposure_names(report_run, monkeypatch, tmp_path):
    seen = _reads(report_run, monkeypatch, lambda wh: render_dashboard(wh, PERIOD_KEY, tmp_path))
    assert seen == set(lineage.exposure_models("executive_dashboard"))


def test_the_meeting_packs_read_exactly_what_their_exposure_names(
    report_run, monkeypatch, tmp_path
):
    seen = _reads(
        report_run,
        monkeypatch,
        lambda wh: render_meeting_reports(wh, PERIOD_KEY, tmp_path, pdf=False),
    )
    assert seen == set(lineage.exposure_models("meeting_reports"))


def test_the_reports_to_the_executives_read_exactly_what_their_exposure_names(
    report_run, monkeypatch, tmp_path
):
    seen = _reads(
        report_run,
        monkeypatch,
        lambda wh: render_executive_reports(wh, PERIOD_KEY, tmp_path, pdf=False),
    )
    assert seen == set(lineage.exposure_models("executive_reports"))


def test_the_run_summary_and_the_index_read_what_their_exposures_name(report_run, monkeypatch):
    assert _reads(report_run, monkeypatch, collect_summary) == set(
        lineage.exposure_models("run_summary")
    )
    assert _reads(report_run, monkeypatch, unit_names) == set(
        lineage.exposure_models("report_index")
    )


def test_fingerprints_read_only_what_the_reports_read(report_run, monkeypatch):
    seen = _reads(
        report_run, monkeypatch, lambda wh: period_fingerprints(wh, [Period.from_key(PERIOD_KEY)])
    )
    period_reports = ("executive_dashboard", "meeting_reports", "executive_reports")
    read = {name for report in period_reports for name in lineage.exposure_models(report)}
    assert seen == fingerprinted_models() <= read


@pytest.mark.parametrize(
    ("asset", "extra"),
    [
        ("executive_dashboard", {PUBLISHED}),
        ("meeting_reports", {PUBLISHED}),
        ("executive_reports", {PUBLISHED}),
        ("run_summary", set()),
        (
            "report_index",
            {
                PUBLISHED,
                dg.AssetKey("executive_dashboard"),
                dg.AssetKey("meeting_reports"),
                dg.AssetKey("executive_reports"),
                dg.AssetKey("submission_feedback"),
                dg.AssetKey("run_summary"),
            },
        ),
    ],
)
def test_report_asset_deps_are_the_exposures_depends_on(asset: str, extra: set[dg.AssetKey]):
    parents = defs.resolve_asset_graph().get(dg.AssetKey(asset)).parent_keys
    models = {dg.AssetKey(["marts", name]) for name in lineage.exposure_models(asset)}
    assert parents == models | extra


def _bi_relations(sql: str) -> set[str]:
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return set(re.findall(r"\bbi\.(\w+)", body))


def test_bi_tiles_and_superset_datasets_read_only_what_bi_tools_names():
    """BI reads the published models only, and the bi_tools exposure names exactly those."""
    named = set(lineage.exposure_models("bi_tools"))
    assert named == set(lineage.mart_models())
    for path in sorted((REPO_ROOT / "bi" / "sql").glob("*.sql")):
        read = _bi_relations(path.read_text(encoding="utf-8"))
        assert read and read <= named, (path.name, read - named)
    import yaml

    datasets = Path(REPO_ROOT / "bi" / "superset" / "bundle" / "datasets").rglob("*.yaml")
    for path in sorted(datasets):
        read = _bi_relations(yaml.safe_load(path.read_text(encoding="utf-8"))["sql"])
        assert read and read <= named, (path.name, read - named)
