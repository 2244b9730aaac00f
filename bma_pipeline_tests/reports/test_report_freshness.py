"""A run renders its own period's reports, and an earlier period's only when what they read
changed since they were rendered (`reports.freshness`)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from bma_pipeline.cli import run_pipeline
from bma_pipeline.fiscal import Period
from bma_pipeline.reports.freshness import is_current, period_fingerprints
from bma_pipeline.warehouse import connect

from .conftest import AS_OF, PERIOD_KEY, ReportRun

P1, P2, P3 = Period(2566, 1), Period(2566, 2), Period(2566, 3)
REPORTS = ("executive_dashboard", "meeting_reports", "executive_reports")


@pytest.fixture
def copied(report_run: ReportRun, tmp_path: Path) -> ReportRun:
    """The session's warehouse and reports, copied so a test may change them."""
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(report_run.warehouse, warehouse)
    shutil.copytree(report_run.reports, tmp_path / "reports")
    return ReportRun(str(warehouse), tmp_path / "reports", report_run.landing, "", None)


def _bump(warehouse: str, period_no: int) -> None:
    with connect(warehouse) as wh:
        wh.execute(
            "update marts.fct_kpi_progress set actual_ytd = actual_ytd + 1 "
            "where period_no = :period and actual_ytd is not null",
            {"period": period_no},
        )


def test_a_period_fingerprint_follows_its_marts_and_those_before_it(copied):
    def prints() -> dict[str, str]:
        with connect(copied.warehouse, read_only=True) as wh:
            return period_fingerprints(wh, [P1, P2])

    first = prints()
    assert first == prints()  # the same marts, the same fingerprint
    _bump(copied.warehouse, 2)
    second = prints()
    assert second[P1.key] == first[P1.key]
    assert second[P2.key] != first[P2.key]
    _bump(copied.warehouse, 1)  # period 1 feeds period 2's year to date and trend
    third = prints()
    assert third[P1.key] != second[P1.key]
    assert third[P2.key] != second[P2.key]


def test_the_session_run_recorded_what_it_rendered(report_run):
    with report_run.read() as wh:
        prints = period_fingerprints(wh, [P1, P2, P3])
    for period in (P1, P2, P3):
        for report in REPORTS:
            assert is_current(report_run.reports, period, report, prints[period.key])


def _report_metadata(result) -> dict[str, dict]:  # noqa: ANN001
    return {
        e.asset_key.to_user_string(): e.event_specific_data.materialization.metadata
        for e in result.get_asset_materialization_events()
        if e.asset_key.to_user_string() in REPORTS
    }


def test_a_run_leaves_unchanged_earlier_periods_and_renders_changed_ones(copied):
    p1_dashboard = copied.reports / P1.key / "executive_dashboard.html"
    p1_dashboard.write_text("left as it was", encoding="utf-8")

    def rerun() -> dict[str, dict]:
        result = run_pipeline(
            copied.landing, copied.warehouse, copied.reports, as_of=AS_OF, quiet=True,
            period=PERIOD_KEY, incremental=True,
        )  # fmt: skip
        assert result.success
        return _report_metadata(result)

    # No new file: period 1's marts are as they were, so only the run's period is rendered.
    metadata = rerun()
    for name in REPORTS:
        assert metadata[name]["periods"] == dg.TextMetadataValue(PERIOD_KEY)
        assert metadata[name]["periods_unchanged"] == dg.TextMetadataValue(f"{P1.key}, {P2.key}")
    assert p1_dashboard.read_text(encoding="utf-8") == "left as it was"

    # Period 1 changed after it was rendered (a late file, a correction): rendered again.
    (copied.reports / P1.key / ".executive_dashboard.fingerprint").write_text("older marts")
    metadata = rerun()
    assert metadata["executive_dashboard"]["periods"] == dg.TextMetadataValue(
        f"{P1.key}, {PERIOD_KEY}"
    )
    assert metadata["meeting_reports"]["periods"] == dg.TextMetadataValue(PERIOD_KEY)
    assert "ภาพรวม" in p1_dashboard.read_text(encoding="utf-8")


def _files(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under `folder` (fingerprint stamps included): mtime in ns and bytes."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# The revision lands just after the session run and the next run follows it, so nothing but the
# revision is new to that run: a late file for P3 arriving meanwhile would rightly re-render P3.
REVISED_AT = datetime(2023, 4, 20, 9, 0, 30)
RERUN_AS_OF = "2023-04-20T09:01:00"


def _revise_from_p4(landing: Path) -> Path:
    """The sample revision's lead unit revises its policy again, in force from P4: its target
    raised once more."""
    from bma_pipeline.plans.workbook import write_plan_workbook
    from bma_sample.catalogue import Revision, plan_of_year, sample_catalogue
    from bma_sample.plans import _set_mtime

    revision = Revision(effective_from=4, raised_to=60_000.0)
    path = write_plan_workbook(
        revision.apply(plan_of_year(sample_catalogue(), P3.fiscal_year)),
        landing / revision.sender / "plans" / f"{P3.fiscal_year}_{revision.policy_code}_P4.xlsx",
        "ปรับแผนปฏิบัติการ มีผลตั้งแต่งวดที่ 4",
        created=REVISED_AT,
    )
    _set_mtime(path, REVISED_AT)
    return path


def test_a_revision_from_p4_renders_p4_and_leaves_the_reports_of_p1_to_p3(copied, tmp_path):
    landing = tmp_path / "landing"
    shutil.copytree(copied.landing, landing)
    revision = _revise_from_p4(landing)
    bangkok = ZoneInfo("Asia/Bangkok")
    window = (
        datetime.fromisoformat(AS_OF).replace(tzinfo=bangkok).timestamp(),
        datetime.fromisoformat(RERUN_AS_OF).replace(tzinfo=bangkok).timestamp(),
    )
    arriving = [p for p in landing.rglob("*") if p.is_file() and window[0] < p.stat().st_mtime]
    assert [p for p in arriving if window[0] < p.stat().st_mtime <= window[1]] == [revision]
    before = {p.key: _files(copied.reports / p.key) for p in (P1, P2, P3)}
    assert all(before.values())

    result = run_pipeline(
        landing, copied.warehouse, copied.reports, as_of=RERUN_AS_OF, quiet=True,
        period="2566-P4",
    )  # fmt: skip
    assert result.success, [e.message for e in result.all_events if e.is_step_failure]

    with connect(copied.warehouse, read_only=True) as wh:
        revisions = wh.query(
            "select change_type, old_value, new_value from marts.mart_plan_revisions "
            "where effective_from = 4"
        )
    assert list(revisions["change_type"]) == ["target_raised"]  # the revision is in the marts
    for period in (P1, P2, P3):
        assert _files(copied.reports / period.key) == before[period.key], period.key
    metadata = _report_metadata(result)
    for name in REPORTS:
        assert metadata[name]["periods"] == dg.TextMetadataValue("2566-P4")
        assert metadata[name]["periods_unchanged"] == dg.TextMetadataValue(
            f"{P1.key}, {P2.key}, {P3.key}"
        )
    p4 = copied.reports / "2566-P4"
    assert (p4 / "executive_dashboard.html").is_file()
    pack = (p4 / "meetings" / "DDS.html").read_text(encoding="utf-8")
    assert 'data-change-type="target_raised"' in pack  # the P4 pack shows the new revision
    assert (p4 / "executive_reports" / "DDS.html").is_file()


def test_an_incremental_run_leaves_the_plan_models_as_they_are_until_a_plan_arrives(
    copied, tmp_path
):
    """dbt leaves the models of plans and reference data alone out of a run while what they
    read is unchanged (`bma_pipeline.unchanged_models`): Dagster still records them, their
    checks as passed, not run; a new plan builds them again, and the marts show it."""
    from bma_pipeline.unchanged_models import read_stamp

    DIMS = ("dim_unit", "dim_target")  # noqa: N806
    landing = tmp_path / "landing"
    shutil.copytree(copied.landing, landing)
    with connect(copied.warehouse, read_only=True) as wh:
        built = read_stamp(wh)  # the session's run built them all and stamped them
        dims = {t: wh.query(f"select * from marts.{t} order by all") for t in DIMS}
    assert built is not None and {"model.bma.dim_target", "model.bma.dim_unit"} <= built.nodes

    def run(as_of: str, period: str):  # noqa: ANN202
        result = run_pipeline(
            landing, copied.warehouse, copied.reports, as_of=as_of, quiet=True, period=period,
            incremental=True,
        )  # fmt: skip
        assert result.success, [e.message for e in result.all_events if e.is_step_failure]
        materialized = {
            e.asset_key.to_user_string(): e.event_specific_data.materialization.metadata
            for e in result.get_asset_materialization_events()
        }
        checks = {
            (c.asset_key.to_user_string(), c.check_name): c
            for c in result.get_asset_check_evaluations()
        }
        return materialized, checks

    materialized, checks = run(AS_OF, PERIOD_KEY)
    assert materialized["marts/dim_target"]["rebuilt"] == dg.BoolMetadataValue(False)
    assert materialized["staging/stg_plans__targets"]["rebuilt"] == dg.BoolMetadataValue(False)
    assert "rebuilt" not in materialized["marts/fct_kpi_progress"]  # built as every run does
    unique_unit = checks[("marts/dim_unit", "unique_dim_unit_unit_code")]
    assert unique_unit.passed and unique_unit.metadata["run"] == dg.BoolMetadataValue(False)
    # A test of a mart against a dim reads this run's mart: it ran.
    ran = [c for (asset, _), c in checks.items() if asset == "marts/fct_kpi_progress"]
    assert ran and all(c.passed and "run" not in c.metadata for c in ran)
    with connect(copied.warehouse, read_only=True) as wh:
        assert read_stamp(wh) == built
        for table, rows in dims.items():
            assert wh.query(f"select * from marts.{table} order by all").equals(rows), table

    _revise_from_p4(landing)
    materialized, checks = run(RERUN_AS_OF, "2566-P4")
    assert "rebuilt" not in materialized["marts/dim_target"]
    assert "run" not in checks[("marts/dim_unit", "unique_dim_unit_unit_code")].metadata
    with connect(copied.warehouse, read_only=True) as wh:
        revisions = wh.query(
            "select change_type from marts.mart_plan_revisions where effective_from = 4"
        )
        rebuilt = read_stamp(wh)
    assert list(revisions["change_type"]) == ["target_raised"]
    assert rebuilt is not None and rebuilt.fingerprint != built.fingerprint
