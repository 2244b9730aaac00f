"""The report of each lead (H) unit's H–R meeting to the BMA executives (รายงานการประชุมเสนอ
ผู้บริหาร), per period: HTML, and the same document as PDF (WeasyPrint, A4 portrait).

What the executives read of a meeting (docs/DOMAIN.md §7): the period's figures for the policies the
unit leads; the meeting itself (held, late, missing; its date) and who of its supporting (R) units
was present; the decisions; the new commitments; and what became of the commitments of earlier
meetings (the same list, in the same order, as the meeting pack opens with:
`rpt_commitments_followed_up`). Figures come from the marts only, read once per period and split
per unit. What does not belong here: the meeting pack (`meeting.py`, whose policy and commitment
queries and PDF printing this module shares) and Dagster code.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from bma_pipeline.fiscal import Period
from bma_pipeline.reports.common import (
    period_label_en,
    period_label_th,
    render_template,
    write_text,
)
from bma_pipeline.reports.meeting import (
    MeetingResult,
    collect_followed_up,
    collect_lead_policies,
    default_workers,
    pdf_renderer_problem,
    rows_by,
    write_pdfs,
)
from bma_pipeline.warehouse import Warehouse

EXECUTIVE_DIR = "executive_reports"


@dataclass
class ExecutiveData:
    """The period's marts for every H unit's report, grouped once by unit."""

    period: Period
    units: pd.DataFrame  # dim_unit
    policies: pd.DataFrame  # H assignments × mart_policy_progress of the period
    meetings: pd.DataFrame  # mart_meetings of the period
    # mart_meeting_attendance of the period, the meetings with minutes only: the report names
    # who was present and absent there (nationwide the mart holds 12.7 M pairs a period)
    attendance: pd.DataFrame
    decisions: pd.DataFrame  # mart_meeting_decisions of the period
    new_commitments: pd.DataFrame  # mart_commitments made at the period's meetings
    followed_up: pd.DataFrame  # rpt_commitments_followed_up of the period

    @functools.cached_property
    def lead_units(self) -> list[str]:
        """H units with at least one policy in force this period (the meeting packs' units)."""
        return sorted(self.policies["lead_unit_code"].unique())

    @functools.cached_property
    def unit_by_code(self) -> dict[str, Any]:
        return {row.unit_code: row for row in self.units.itertuples()}

    @functools.cached_property
    def by_unit(self) -> dict[str, dict[str, list[Any]]]:
        """frame name → H unit → its rows, in each frame's order."""
        return {
            "policies": rows_by(self.policies, "lead_unit_code"),
            "meetings": rows_by(self.meetings, "h_unit_code"),
            "attendance": rows_by(self.attendance, "h_unit_code"),
            "decisions": rows_by(self.decisions, "h_unit_code"),
            "new_commitments": rows_by(self.new_commitments, "h_unit_code"),
            "followed_up": rows_by(self.followed_up, "h_unit_code"),
        }


def collect_executive(wh: Warehouse, period: Period) -> ExecutiveData:
    params = {"fiscal_year": period.fiscal_year, "period_no": period.period_no}
    units = wh.query("select unit_code, unit_type, name_th, name_en, abbrev_th from marts.dim_unit")
    meetings = wh.query(
        """
        select h_unit_code, period_key, due_date, meeting_status, meeting_date, received_at,
               n_minutes_versions, n_support_units, n_present, attendance_share, n_decisions,
               n_commitments
        from marts.mart_meetings
        where fiscal_year = :fiscal_year and period_no = :period_no
        """,
        params,
    )
    attendance = wh.query(
        """
        select a.h_unit_code, a.unit_code, u.name_th as unit_th, a.is_present
        from marts.mart_meeting_attendance a
        join marts.dim_unit u on u.unit_code = a.unit_code
        where a.fiscal_year = :fiscal_year and a.period_no = :period_no
          and a.is_present is not null
        order by a.h_unit_code, a.is_present desc, a.unit_code
        """,
        params,
    )
    decisions = wh.query(
        """
        select d.h_unit_code, d.decision_no, d.decision_text, d.policy_code,
               p.title_th as policy_th
        from marts.mart_meeting_decisions d
        left join marts.dim_policy p on p.policy_code = d.policy_code
        where d.fiscal_year = :fiscal_year and d.period_no = :period_no
        order by d.h_unit_code, d.decision_no
        """,
        params,
    )
    new_commitments = wh.query(
        """
        select c.h_unit_code, c.commitment_id, c.action, c.owner_unit, u.name_th as owner_th,
               c.policy_code, c.kpi_code, c.due_date, c.status_at_period_end
        from marts.mart_commitments c
        left join marts.dim_unit u on u.unit_code = c.owner_unit
        where c.fiscal_year = :fiscal_year and c.period_no = :period_no
          and c.made_fiscal_year = :fiscal_year and c.made_period_no = :period_no
        order by c.h_unit_code, c.due_date, c.commitment_id
        """,
        params,
    )
    return ExecutiveData(
        period,
        units,
        collect_lead_policies(wh, period),
        meetings,
        attendance,
        decisions,
        new_commitments,
        collect_followed_up(wh, period),
    )


def executive_context(data: ExecutiveData, unit_code: str) -> dict[str, Any]:
    """Everything one H unit's report shows, as plain rows for the template."""
    rows = {name: by_unit.get(unit_code, []) for name, by_unit in data.by_unit.items()}
    meeting = rows["meetings"][0] if rows["meetings"] else None
    present = [a for a in rows["attendance"] if bool(a.is_present)]
    absent = [a for a in rows["attendance"] if not bool(a.is_present)]
    followed_up = rows["followed_up"]
    return {
        "period": data.period,
        "period_th": period_label_th(data.period),
        "period_en": period_label_en(data.period),
        "unit": data.unit_by_code[unit_code],
        "policies": rows["policies"],
        "meeting": meeting,
        "present": present,
        "absent": absent,
        "decisions": rows["decisions"],
        "new_commitments": rows["new_commitments"],
        "followed_up": followed_up,
        "followed_up_counts": {
            status: sum(1 for c in followed_up if c.status_at_period_end == status)
            for status in ("overdue", "open", "done", "dropped")
        },
    }


def render_executive_html(
    data: ExecutiveData, unit_code: str, generated_at: str | None = None
) -> str:
    return render_template(
        "executive_report.html.j2", generated_at=generated_at, **executive_context(data, unit_code)
    )


def render_executive_reports(
    wh: Warehouse,
    period_key: str,
    reports_dir: Path,
    pdf: bool = True,
    pdf_units: Iterable[str] | None = None,
    workers: int | None = None,
    generated_at: str | None = None,
) -> MeetingResult:
    """Write `<reports>/<period_key>/executive_reports/<unit_code>.html` for every H unit, and
    `.pdf` for every H unit (or only `pdf_units`) when `pdf`."""
    period = Period.from_key(period_key)
    data = collect_executive(wh, period)
    out = Path(reports_dir) / period.key / EXECUTIVE_DIR
    result = MeetingResult()
    pdf_set = None if pdf_units is None else set(pdf_units)
    jobs: list[tuple[str, str]] = []
    for unit in data.lead_units:
        html = render_executive_html(data, unit, generated_at)
        path = write_text(out / f"{unit}.html", html)
        result.html.append(path)
        if pdf and (pdf_set is None or unit in pdf_set):
            jobs.append((html, str(path.with_suffix(".pdf"))))
    if jobs and (problem := pdf_renderer_problem()):
        result.pdf_unavailable = problem
        return result
    started = time.monotonic()
    result.pdf = write_pdfs(jobs, default_workers() if workers is None else workers)
    result.pdf_seconds = time.monotonic() - started
    return result
