"""The H–R meeting pack of one lead unit for 2566-P3 lists what the marts say about its
policies: KPIs by assigned unit, supporting units late or missing, obstacles, decisions."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from . import expected
from .conftest import FISCAL_YEAR, PERIOD_KEY, PERIOD_NO, ReportRun, keep
from .html import Element, parse_html


@pytest.fixture(scope="module")
def pack(report_run: ReportRun, output_dir) -> Element:
    path = report_run.period_dir / "meetings" / f"{report_run.meeting_unit}.html"
    keep(path, output_dir, f"meeting_{report_run.meeting_unit}_{PERIOD_KEY}.html")
    return parse_html(path)


@pytest.fixture(scope="module")
def marts(report_run: ReportRun) -> dict[str, pd.DataFrame]:
    """The unit's policies and what the marts hold on them for the period."""
    unit = report_run.meeting_unit
    with report_run.read() as wh:
        policies = expected.lead_policies(wh, unit, PERIOD_KEY)
        codes = list(policies["policy_code"])
        kpis = wh.query(
            "select policy_code, kpi_code, unit_code, role, achievement_ratio, status "
            "from marts.fct_kpi_progress where period_key = :period and policy_code in :codes",
            {"period": PERIOD_KEY, "codes": codes},
        )
        support = wh.query(
            "select distinct unit_code from marts.dim_assignment where role = 'R' "
            "and policy_code in :codes and unit_code <> :unit",
            {"codes": codes, "unit": unit},
        )
        compliance = wh.query(
            "select unit_code, period_no, period_key, compliance_status "
            "from marts.mart_submission_compliance "
            "where fiscal_year = :fiscal_year and period_no <= :period_no",
            {"fiscal_year": FISCAL_YEAR, "period_no": PERIOD_NO},
        )
        obstacles = wh.query(
            "select unit_code, kpi_code, obstacles from marts.mart_obstacles "
            "where period_key = :period and policy_code in :codes",
            {"period": PERIOD_KEY, "codes": codes},
        )
    compliance = compliance[compliance["unit_code"].isin(support["unit_code"])]
    return {"policies": policies, "kpis": kpis, "compliance": compliance, "obstacles": obstacles}


def test_one_pack_per_lead_unit_with_policies(report_run):
    with report_run.read() as wh:
        leads = wh.query(
            "select distinct a.unit_code from marts.dim_assignment a "
            "join marts.mart_policy_progress m on m.policy_code = a.policy_code "
            "where a.role = 'H' and m.period_key = :period",
            {"period": PERIOD_KEY},
        )
    packs = sorted(p.stem for p in (report_run.period_dir / "meetings").glob("*.html"))
    assert packs == sorted(leads["unit_code"])


def test_pack_lists_the_units_policies_with_their_status(pack, marts):
    rows = pack.by_id("policies").find_all("tr", data_policy_code=True)
    policies = marts["policies"]
    assert [r.attrs["data-policy-code"] for r in rows] == list(policies["policy_code"])
    for row, policy in zip(rows, policies.itertuples(), strict=True):
        assert row.find(cls="status").text == expected.STATUS_TH[policy.status]
        assert expected.pct(policy.progress_pct) in row.text


def test_annex_has_every_kpi_of_every_assigned_unit(pack, marts):
    rows = pack.by_id("annex").find_all("tr", data_unit_code=True)
    shown = {(r.attrs["data-kpi-code"], r.attrs["data-unit-code"]): r for r in rows}
    kpis = marts["kpis"]
    assert sorted(shown) == sorted(zip(kpis["kpi_code"], kpis["unit_code"], strict=True))
    for kpi in kpis.itertuples():
        row = shown[(kpi.kpi_code, kpi.unit_code)]
        assert row.attrs["data-status"] == kpi.status
        cells = [td.text for td in row.find_all("td")]
        assert cells[1] == kpi.role
        ratio = "–" if pd.isna(kpi.achievement_ratio) else f"{100 * kpi.achievement_ratio:,.0f} %"
        assert cells[4] == ratio


def test_supporting_units_late_or_missing_are_listed(pack, marts):
    compliance = marts["compliance"]
    now = compliance[compliance["period_key"] == PERIOD_KEY]
    expected_units = dict(
        now.loc[now["compliance_status"] != "on_time", ["unit_code", "compliance_status"]].values
    )
    assert expected_units, "the generated data has supporting units late or missing"
    rows = pack.by_id("compliance").find_all("tr", data_unit_code=True)
    assert {r.attrs["data-unit-code"]: r.attrs["data-status"] for r in rows} == expected_units


def test_every_obstacle_on_the_units_policies_is_listed(pack, marts):
    rows = pack.by_id("obstacles").find_all("tr", data_unit_code=True)
    shown = {(r.attrs["data-unit-code"], r.attrs["data-kpi-code"]): r.text for r in rows}
    obstacles = marts["obstacles"]
    assert not obstacles.empty, "the generated data reports obstacles"
    assert sorted(shown) == sorted(zip(obstacles["unit_code"], obstacles["kpi_code"], strict=True))
    for row in obstacles.itertuples():
        assert " ".join(row.obstacles.split()) in shown[(row.unit_code, row.kpi_code)]


def test_decision_items_are_off_track_kpis_and_repeated_missing(pack, marts):
    kpis = marts["kpis"]
    off = sorted(kpis.loc[kpis["status"] == "off_track", "kpi_code"].unique())
    assert off, "the generated data has off-track KPIs"
    decisions = pack.by_id("decisions")
    shown = [r.attrs["data-kpi-code"] for r in decisions.find_all("tr", data_kpi_code=True)]
    assert sorted(shown) == off
    compliance = marts["compliance"]
    missing = compliance[compliance["compliance_status"] == "missing"]
    repeated = sorted(u for u, n in missing["unit_code"].value_counts().items() if n >= 2)
    units = [r.attrs["data-unit-code"] for r in decisions.find_all("tr", data_unit_code=True)]
    assert sorted(units) == repeated


def test_pdf_is_printed_with_thai_text(report_run, output_dir):
    from pypdf import PdfReader

    unit = report_run.meeting_unit
    path = report_run.period_dir / "meetings" / f"{unit}.pdf"
    keep(path, output_dir, f"meeting_{unit}_{PERIOD_KEY}.pdf")
    reader = PdfReader(path)
    assert len(reader.pages) >= 2
    text = "".join(page.extract_text() for page in reader.pages[:2])
    assert "ระเบียบวาระ" in text  # Agenda, in Thai: the Thai font is embedded with its text
    assert re.search(rf"\({unit}\)", text)
    # Only the chosen unit's pack was asked for as PDF in this run.
    assert [p.stem for p in path.parent.glob("*.pdf")] == [unit]
