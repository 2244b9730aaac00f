"""The executive dashboard of 2566-P3 shows what the marts hold, and opens offline."""

from __future__ import annotations

import re

import pytest

from . import expected
from .conftest import PERIOD_KEY, PERIOD_NO, ReportRun, keep
from .html import Element, parse_html


@pytest.fixture(scope="module")
def dashboard(report_run: ReportRun, output_dir) -> Element:
    path = report_run.period_dir / "executive_dashboard.html"
    keep(path, output_dir, f"executive_dashboard_{PERIOD_KEY}.html")
    return parse_html(path)


def test_city_and_group_cards_show_the_mart_progress(report_run, dashboard):
    with report_run.read() as wh:
        groups = expected.group_progress(wh, PERIOD_KEY)
    cards = dashboard.by_id("progress").find_all(cls="card")
    shown = {c.attrs["data-group-code"]: c for c in cards}
    assert sorted(shown) == sorted(groups["group_code"])  # G1–G3 and CITY
    for row in groups.itertuples():
        card = shown[row.group_code]
        assert card.find(cls="value").text == expected.pct(row.progress_pct)
        assert card.attrs["data-status"] == row.status
        assert expected.STATUS_TH[row.status] in card.text
        assert f"{row.n_policies_with_data}/{row.n_policies}" in card.text


def test_policies_by_status_per_dimension_count_the_mart(report_run, dashboard):
    with report_run.read() as wh:
        counts = expected.status_by_dimension(wh, PERIOD_KEY)
        policies = expected.policies(wh, PERIOD_KEY)
    section = dashboard.by_id("status")
    rows = {
        r.attrs["data-dimension-code"]: r for r in section.find_all("tr", data_dimension_code=True)
    }
    assert sorted(rows) == sorted(counts)  # all nine dimensions
    for code, by_status in counts.items():
        cells = [td.text for td in rows[code].find_all("td")][1:]
        assert cells == [str(by_status[s]) for s in expected.STATUS_TH] + [
            str(sum(by_status.values()))
        ]
    chips = {c.attrs["data-status"]: c.find("b").text for c in section.find_all(cls="status")}
    assert chips == {s: str(int((policies["status"] == s).sum())) for s in expected.STATUS_TH}


def test_every_policy_is_listed_with_its_mart_status(report_run, dashboard):
    with report_run.read() as wh:
        policies = expected.policies(wh, PERIOD_KEY)
    rows = dashboard.by_id("policy-table").find_all("tr", data_policy_code=True)
    assert [r.attrs["data-policy-code"] for r in rows] == list(policies["policy_code"])
    for row, policy in zip(rows, policies.itertuples(), strict=True):
        assert row.find(cls="status-text").text == expected.STATUS_TH[policy.status]
        assert expected.pct(policy.progress_pct) in row.text


def test_key_projects_are_shown_apart(report_run, dashboard):
    with report_run.read() as wh:
        policies = expected.policies(wh, PERIOD_KEY)
    keys = policies[policies["is_key_project"].astype(bool)]
    assert not keys.empty, "the catalogue flags key projects for FY2566"
    rows = dashboard.by_id("key-projects").find_all("tr", data_policy_code=True)
    assert [r.attrs["data-policy-code"] for r in rows] == list(keys["policy_code"])
    assert [r.attrs["data-status"] for r in rows] == list(keys["status"])


def test_the_fifty_districts_show_their_submission_status(report_run, dashboard):
    with report_run.read() as wh:
        compliance = expected.district_compliance(wh, PERIOD_KEY)
    tiles = dashboard.by_id("districts").find_all(cls="tile")
    assert len(tiles) == 50
    assert {t.attrs["data-unit-code"] for t in tiles} == {str(c) for c in range(1001, 1051)}
    assert {t.attrs["data-unit-code"]: t.attrs["data-status"] for t in tiles} == compliance
    for tile in tiles:
        status = tile.attrs["data-status"]
        if status in expected.COMPLIANCE_TH:
            assert expected.COMPLIANCE_TH[status] in tile.text
    chips = dashboard.by_id("districts").find_all(cls="status", data_status=True)
    for chip in chips:
        n = sum(s == chip.attrs["data-status"] for s in compliance.values())
        assert chip.find("b").text == str(n)


def test_most_lagging_policies_are_the_lowest_with_their_lead_units(report_run, dashboard):
    with report_run.read() as wh:
        policies = expected.policies(wh, PERIOD_KEY)
        leads = wh.query(
            "select a.policy_code, u.name_th from marts.dim_assignment a "
            "join marts.dim_unit u using (unit_code) where a.role = 'H'"
        )
    lagging = policies[policies["status"].isin(["off_track", "at_risk"])]
    lagging = lagging.sort_values(["progress_pct", "policy_code"]).head(15)
    rows = dashboard.by_id("lagging").find_all("tr", data_policy_code=True)
    assert [r.attrs["data-policy-code"] for r in rows] == list(lagging["policy_code"])
    for row in rows:
        names = leads.loc[leads["policy_code"] == row.attrs["data-policy-code"], "name_th"]
        assert all(name in row.text for name in names)


def test_trend_has_every_period_up_to_this_one(dashboard):
    assert dashboard.find("div", id="chart-trend")
    html = "".join(
        c for e in dashboard.iter() if e.tag == "script" for c in e.children if "chart-trend" in c
    )
    assert all(f'"2566-P{n}"' in html for n in range(1, PERIOD_NO + 1))
    assert f'"2566-P{PERIOD_NO + 1}"' not in html


def test_dashboard_is_self_contained_and_in_thai(dashboard):
    scripts = dashboard.find_all("script")
    assert scripts and not any("src" in s.attrs for s in scripts), "scripts are inlined"
    assert any("Plotly" in "".join(map(str, s.children)) for s in scripts), "plotly is inlined"
    links = [e.attrs.get("href", "") + e.attrs.get("src", "") for e in dashboard.iter()]
    assert not [u for u in links if re.match(r"(https?:)?//", u)], "nothing loads from the web"
    assert not dashboard.find_all("link", rel="stylesheet")
    assert dashboard.find("html").attrs["lang"] == "th"
    assert re.search(f"[{expected.THAI}]", dashboard.find("h1").text)
