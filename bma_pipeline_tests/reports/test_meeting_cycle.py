"""The H–R meeting cycle in the reports of 2566-P3: the pack opens with the commitments of earlier
meetings and the plan revisions since the last meeting and shows projects inside their policy;
each H unit's report to the executives shows its meeting, attendance, decisions and commitments;
the dashboard counts meetings per group, overdue commitments per unit and revised policies.

Every expected row is read from the marts by queries written here (mart_commitments,
mart_meetings, mart_plan_revisions, …), not from the report models the reports read, so a wrong
rule in either shows.
"""

from __future__ import annotations

import pandas as pd
import pytest

from . import expected
from .conftest import FISCAL_YEAR, PERIOD_KEY, PERIOD_NO, ReportRun, keep
from .html import Element, parse_html

COMMITMENT_TH = {
    "overdue": "เกินกำหนด",
    "open": "อยู่ระหว่างดำเนินการ",
    "done": "ดำเนินการแล้วเสร็จ",
    "dropped": "ยกเลิก",
}
PARAMS = {"fiscal_year": FISCAL_YEAR, "period_no": PERIOD_NO}


def followed_up_commitments(report_run: ReportRun) -> pd.DataFrame:
    """DOMAIN §7 by hand: commitments made at an earlier meeting that are open or overdue at the
    period's end, or were closed (done, dropped) at this period's meeting."""
    with report_run.read() as wh:
        rows = wh.query(
            "select h_unit_code, commitment_id, owner_unit, due_date, status_at_period_end, "
            "days_overdue_at_period_end, made_period_no, closed_period_no "
            "from marts.mart_commitments "
            "where fiscal_year = :fiscal_year and period_no = :period_no "
            "and made_fiscal_year = :fiscal_year and made_period_no < :period_no",
            PARAMS,
        )
    still_open = rows["status_at_period_end"].isin(["open", "overdue"])
    closed_now = rows["status_at_period_end"].isin(["done", "dropped"]) & (
        rows["closed_period_no"] == PERIOD_NO
    )
    return rows[still_open | closed_now]


@pytest.fixture(scope="module")
def commitments(report_run: ReportRun) -> pd.DataFrame:
    rows = followed_up_commitments(report_run)
    assert set(rows["status_at_period_end"]) >= {"overdue", "done"}, "the sample has both"
    return rows


@pytest.fixture(scope="module")
def busiest_unit(commitments: pd.DataFrame) -> str:
    """The H unit with the most commitments to follow up in the period (first code of equals)."""
    counts = commitments.groupby("h_unit_code").size()
    return str(counts[counts == counts.max()].sort_index().index[0])


def _pack(report_run: ReportRun, unit: str, period_key: str = PERIOD_KEY) -> Element:
    return parse_html(report_run.reports / period_key / "meetings" / f"{unit}.html")


def _executive(report_run: ReportRun, unit: str) -> Element:
    return parse_html(report_run.period_dir / "executive_reports" / f"{unit}.html")


def _sections(page: Element) -> list[str]:
    return [s.attrs["id"] for s in page.find("main").find_all("section") if "id" in s.attrs]


def test_pack_opens_with_the_commitments_of_earlier_meetings(report_run, commitments, busiest_unit):
    page = _pack(report_run, busiest_unit)
    sections = _sections(page)
    assert sections[:2] == ["followed-up", "revisions"], sections
    rows = page.by_id("followed-up").find_all("tr", data_commitment_id=True)
    mine = commitments[commitments["h_unit_code"] == busiest_unit]
    shown = {r.attrs["data-commitment-id"]: r for r in rows}
    assert sorted(shown) == sorted(mine["commitment_id"])
    for c in mine.itertuples():
        row = shown[c.commitment_id]
        assert row.attrs["data-status"] == c.status_at_period_end
        assert row.find(cls="status").text == COMMITMENT_TH[c.status_at_period_end]
        assert c.owner_unit in row.text
        assert pd.Timestamp(c.due_date).strftime("%Y-%m-%d") in row.text


def test_overdue_commitments_come_first_most_days_overdue_first(report_run, commitments):
    """In every pack: overdue rows first, by days overdue (most first), then the others."""
    for unit, mine in commitments.groupby("h_unit_code"):
        rows = _pack(report_run, unit).by_id("followed-up").find_all("tr", data_commitment_id=True)
        order = [r.attrs["data-commitment-id"] for r in rows]
        overdue = mine[mine["status_at_period_end"] == "overdue"]
        days = overdue.set_index("commitment_id")["days_overdue_at_period_end"].to_dict()
        head = order[: len(days)]
        assert set(head) == set(days), unit
        assert [days[c] for c in head] == sorted(days.values(), reverse=True), unit


def test_commitments_closed_before_this_period_are_not_followed_up(report_run):
    with report_run.read() as wh:
        closed_earlier = wh.query(
            "select h_unit_code, commitment_id from marts.mart_commitments "
            "where fiscal_year = :fiscal_year and period_no = :period_no "
            "and status_at_period_end in ('done', 'dropped') and closed_period_no < :period_no",
            PARAMS,
        )
    assert not closed_earlier.empty, "the sample closes commitments in earlier periods"
    for c in closed_earlier.itertuples():
        rows = _pack(report_run, c.h_unit_code).by_id("followed-up")
        assert not rows.find_all("tr", data_commitment_id=c.commitment_id)


def test_the_revising_units_pack_shows_the_sample_revision(report_run):
    with report_run.read() as wh:
        revisions = wh.query(
            "select r.policy_code, r.change_type, r.sender_unit, r.effective_from "
            "from marts.mart_plan_revisions r where r.fiscal_year = :fiscal_year "
            "and r.effective_from = :period_no",
            PARAMS,
        )
    assert set(revisions["change_type"]) == {"target_raised", "unit_added", "kpi_retired"}
    [sender] = set(revisions["sender_unit"])
    rows = _pack(report_run, sender).by_id("revisions").find_all("tr", data_change_type=True)
    shown = sorted((r.attrs["data-policy-code"], r.attrs["data-change-type"]) for r in rows)
    assert shown == sorted(zip(revisions["policy_code"], revisions["change_type"], strict=True))
    # P2's pack was rendered before the revision arrived (and it is in force from P3 only).
    earlier = _pack(report_run, sender, f"{FISCAL_YEAR}-P{PERIOD_NO - 1}").by_id("revisions")
    assert not earlier.find_all("tr", data_change_type=True)


def test_projects_are_shown_inside_their_policy(report_run, busiest_unit):
    with report_run.read() as wh:
        projects = wh.query(
            "select m.policy_code, m.project_code, m.status from marts.mart_project_progress m "
            "where m.period_key = :period and m.policy_code in (select policy_code "
            "  from marts.dim_assignment where role = 'H' and unit_code = :unit "
            "  and :period_no between valid_from_period and valid_to_period)",
            {"period": PERIOD_KEY, "unit": busiest_unit, "period_no": PERIOD_NO},
        )
        kpis = wh.query(
            "select kpi_code, project_code from marts.fct_kpi_progress f "
            "where period_key = :period and role = 'H' and unit_code = :unit",
            {"period": PERIOD_KEY, "unit": busiest_unit},
        )
    table = _pack(report_run, busiest_unit).by_id("policies")
    current_policy, seen = None, []
    for row in table.find_all("tr"):
        if "data-policy-code" in row.attrs:
            current_policy = row.attrs["data-policy-code"]
        elif "data-project-code" in row.attrs:
            seen.append((current_policy, row.attrs["data-project-code"], row.attrs["data-status"]))
    assert sorted(seen) == sorted(projects.itertuples(index=False, name=None))
    summary = _pack(report_run, busiest_unit).by_id("kpis")
    for k in kpis.itertuples():
        row = summary.find("tr", data_kpi_code=k.kpi_code)
        project = k.project_code if isinstance(k.project_code, str) else None
        assert row.attrs.get("data-project-code") == project


def test_report_to_the_executives_shows_the_meeting(
    report_run, commitments, busiest_unit, output_dir
):
    unit = busiest_unit
    with report_run.read() as wh:
        meeting = wh.query(
            "select meeting_status, n_present, n_support_units from marts.mart_meetings "
            "where period_key = :period and h_unit_code = :unit",
            {"period": PERIOD_KEY, "unit": unit},
        ).iloc[0]
        attendance = wh.query(
            "select unit_code, is_present from marts.mart_meeting_attendance "
            "where period_key = :period and h_unit_code = :unit",
            {"period": PERIOD_KEY, "unit": unit},
        )
        decisions = wh.query(
            "select decision_no, decision_text from marts.mart_meeting_decisions "
            "where period_key = :period and h_unit_code = :unit order by decision_no",
            {"period": PERIOD_KEY, "unit": unit},
        )
        made = wh.query(
            "select commitment_id from marts.mart_commitments where period_key = :period "
            "and h_unit_code = :unit and made_fiscal_year = :fy and made_period_no = :period_no",
            {"period": PERIOD_KEY, "unit": unit, "fy": FISCAL_YEAR, "period_no": PERIOD_NO},
        )
        policies = expected.lead_policies(wh, unit, PERIOD_KEY)
    page = _executive(report_run, unit)
    keep(report_run.period_dir / "executive_reports" / f"{unit}.html", output_dir)
    assert page.by_id("meeting").find("dl").attrs["data-status"] == meeting["meeting_status"]
    if meeting["meeting_status"] in ("held", "late"):
        text = page.by_id("meeting").text
        assert f"{meeting['n_present']} จาก {meeting['n_support_units']}" in text
        present = sorted(attendance.loc[attendance["is_present"] == True, "unit_code"])  # noqa: E712
        shown = [li.attrs["data-unit-code"] for li in page.by_id("present").find_all("li")]
        assert sorted(shown) == present
    rows = page.by_id("decisions").find_all("tr", data_decision_no=True)
    assert [r.find_all("td")[1].text for r in rows] == [
        " ".join(t.split()) for t in decisions["decision_text"]
    ]
    new = page.by_id("new-commitments").find_all("tr", data_commitment_id=True)
    assert sorted(r.attrs["data-commitment-id"] for r in new) == sorted(made["commitment_id"])
    earlier = page.by_id("followed-up").find_all("tr", data_commitment_id=True)
    mine = commitments[commitments["h_unit_code"] == unit]
    assert {r.attrs["data-commitment-id"]: r.attrs["data-status"] for r in earlier} == dict(
        zip(mine["commitment_id"], mine["status_at_period_end"], strict=True)
    )
    shown = [r.attrs["data-policy-code"] for r in page.by_id("policies").find_all("tr")[1:]]
    assert shown == list(policies["policy_code"])


def test_every_lead_unit_gets_a_report_to_the_executives(report_run):
    packs = {p.stem for p in (report_run.period_dir / "meetings").glob("*.html")}
    reports = {p.stem for p in (report_run.period_dir / "executive_reports").glob("*.html")}
    assert reports == packs
    with report_run.read() as wh:
        missing = wh.query(
            "select h_unit_code from marts.mart_meetings "
            "where period_key = :period and meeting_status = 'missing'",
            {"period": PERIOD_KEY},
        )
    assert not missing.empty, "the sample has a unit that never meets"
    for unit in missing["h_unit_code"]:
        page = _executive(report_run, unit)
        assert page.by_id("meeting").find("dl").attrs["data-status"] == "missing"
        assert not page.by_id("decisions").find_all("tr", data_decision_no=True)


def test_report_to_the_executives_is_printed_with_thai_text(report_run):
    from pypdf import PdfReader

    path = report_run.period_dir / "executive_reports" / f"{report_run.meeting_unit}.pdf"
    text = "".join(page.extract_text() for page in PdfReader(path).pages[:1])
    assert "รายงานการประชุมเสนอผู้บริหาร" in text
    assert [p.stem for p in path.parent.glob("*.pdf")] == [report_run.meeting_unit]


def test_decisions_and_attendance_marts_agree_with_mart_meetings(report_run):
    with report_run.read() as wh:
        meetings = wh.query(
            "select m.period_key, m.h_unit_code, m.n_decisions, m.n_present, m.n_support_units, "
            "  (select count(*) from marts.mart_meeting_decisions d where d.period_key = "
            "   m.period_key and d.h_unit_code = m.h_unit_code) as decisions, "
            "  (select count(*) from marts.mart_meeting_attendance a where a.period_key = "
            "   m.period_key and a.h_unit_code = m.h_unit_code and a.is_present) as present, "
            "  (select count(*) from marts.mart_meeting_attendance a where a.period_key = "
            "   m.period_key and a.h_unit_code = m.h_unit_code) as support "
            "from marts.mart_meetings m where m.fiscal_year = :fiscal_year "
            "and m.period_no <= :period_no",
            PARAMS,
        )
    assert meetings["n_decisions"].sum() > 0
    assert list(meetings["decisions"]) == list(meetings["n_decisions"])
    assert list(meetings["present"]) == list(meetings["n_present"])
    assert list(meetings["support"]) == list(meetings["n_support_units"])


# -- the executive dashboard ------------------------------------------------------------------


@pytest.fixture(scope="module")
def dashboard(report_run: ReportRun) -> Element:
    return parse_html(report_run.period_dir / "executive_dashboard.html")


def test_dashboard_counts_meetings_per_group_through_the_policies_led(report_run, dashboard):
    with report_run.read() as wh:
        meetings = wh.query(
            "select h_unit_code, meeting_status from marts.mart_meetings where period_key = :p",
            {"p": PERIOD_KEY},
        )
        groups = wh.query(
            "select distinct a.unit_code as h_unit_code, m.group_code "
            "from marts.dim_assignment a join marts.mart_policy_progress m "
            "  on m.policy_code = a.policy_code and m.fiscal_year = a.fiscal_year "
            "where a.role = 'H' and m.period_key = :p "
            "and m.period_no between a.valid_from_period and a.valid_to_period",
            {"p": PERIOD_KEY},
        )
    by_group = meetings.merge(groups, on="h_unit_code")
    city = meetings.assign(group_code="CITY")
    counts = pd.concat([by_group, city]).groupby(["group_code", "meeting_status"]).size().to_dict()
    table = dashboard.by_id("meetings-by-group")
    rows = table.find_all("tr", data_group_code=True)
    assert {r.attrs["data-group-code"] for r in rows} == {"G1", "G2", "G3", "CITY"}
    for row in rows:
        code = row.attrs["data-group-code"]
        for status in ("held", "late", "missing", "pending"):
            cell = row.find("td", data_status=status)
            assert int(cell.text) == counts.get((code, status), 0), (code, status)
    assert "ทุกนโยบายที่เป็นหน่วยงานหลัก" in dashboard.by_id("meetings").text  # the rule, said


def test_dashboard_lists_the_units_with_the_most_overdue_commitments(report_run, dashboard):
    with report_run.read() as wh:
        overdue = wh.query(
            "select owner_unit, days_overdue_at_period_end as days from marts.mart_commitments "
            "where period_key = :p and status_at_period_end = 'overdue'",
            {"p": PERIOD_KEY},
        )
    assert not overdue.empty, "the sample leaves commitments overdue"
    per_unit = overdue.groupby("owner_unit").agg(n=("days", "size"), most=("days", "max"))
    ranked = per_unit.reset_index().sort_values(
        ["n", "most", "owner_unit"], ascending=[False, False, True]
    )
    rows = dashboard.by_id("overdue-units").find_all("tr", data_unit_code=True)
    assert [r.attrs["data-unit-code"] for r in rows] == list(ranked["owner_unit"][:10])
    for row, unit in zip(rows, ranked.itertuples(), strict=False):
        assert int(row.find_all("td")[1].text) == unit.n


def test_dashboard_counts_policies_revised_per_group_this_year(report_run, dashboard):
    with report_run.read() as wh:
        revised = wh.query(
            "select p.group_code, count(distinct r.policy_code) as n "
            "from marts.mart_plan_revisions r join marts.dim_policy p "
            "  on p.policy_code = r.policy_code "
            "join marts.dim_period d on d.fiscal_year = r.fiscal_year "
            "  and d.period_no = :period_no "
            "where r.fiscal_year = :fiscal_year and r.effective_from <= :period_no "
            "and cast(r.received_at as date) <= d.due_date group by p.group_code",
            PARAMS,
        )
    assert not revised.empty, "the sample revises a policy from P3"
    rows = dashboard.by_id("revised-by-group").find_all("tr", data_group_code=True)
    shown = {r.attrs["data-group-code"]: int(r.find_all("td")[1].text) for r in rows}
    assert shown == dict(zip(revised["group_code"], revised["n"], strict=True))


def test_dashboard_says_it_counts_policies_under_their_primary_dimension(dashboard):
    assert "primary dimension (the first its plan lists)" in dashboard.by_id("status").text


def test_key_projects_show_their_projects(report_run, dashboard):
    with report_run.read() as wh:
        projects = wh.query(
            "select policy_code, project_code from marts.mart_project_progress "
            "where period_key = :p and is_key_project",
            {"p": PERIOD_KEY},
        )
    assert not projects.empty
    rows = dashboard.by_id("key-projects").find_all("tr", data_project_code=True)
    assert sorted(r.attrs["data-project-code"] for r in rows) == sorted(projects["project_code"])
