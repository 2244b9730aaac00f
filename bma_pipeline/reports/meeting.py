"""The agenda pack of each lead (H) unit's meeting with its supporting (R) units, per period.

One HTML file per H unit, and the same document as PDF (WeasyPrint, A4 landscape): the unit's
policies and their status; items needing a decision (off-track KPIs, R units missing two or
more periods this year); R units that sent late or not at all; every obstacle (ปัญหาอุปสรรค)
reported on the unit's policies; and, as the annex, each KPI with every assigned unit's actual
to date, target to date, ratio and status. The marts are read once per period and split per
unit in pandas.

What does not belong here: the executive dashboard (`dashboard.py`) and Dagster code.
"""

from __future__ import annotations

import functools
import os
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from bma_pipeline.fiscal import Period
from bma_pipeline.reports.common import (
    PROGRESS_STATUS,
    fmt_ratio,
    period_label_en,
    period_label_th,
    render_template,
    short_unit_name,
    write_text,
)
from bma_pipeline.warehouse import Warehouse

MEETINGS_DIR = "meetings"
MISSING_PERIODS_FOR_DECISION = 2  # an R unit missing this many periods so far goes on the agenda


@dataclass
class MeetingData:
    """The period's marts, read once for every H unit."""

    period: Period
    units: pd.DataFrame  # dim_unit
    policies: pd.DataFrame  # H assignments × mart_policy_progress of the period
    kpi_rows: pd.DataFrame  # fct_kpi_progress of the period × dim_kpi × dim_unit
    assignments: pd.DataFrame  # dim_assignment
    compliance: pd.DataFrame  # mart_submission_compliance of the year up to the period
    obstacles: pd.DataFrame  # mart_obstacles of the period

    @property
    def lead_units(self) -> list[str]:
        """H units with at least one in-scope policy this year."""
        return sorted(self.policies["lead_unit_code"].unique())

    @functools.cached_property
    def kpis_by_policy(self) -> dict[str, dict[str, list[Any]]]:
        """policy → KPI → its rows (H first, then by unit), built once for every pack."""
        grouped: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for row in self.kpi_rows.itertuples():
            grouped[row.policy_code][row.kpi_code].append(row)
        return grouped


@dataclass
class MeetingResult:
    html: list[Path] = field(default_factory=list)
    pdf: list[Path] = field(default_factory=list)
    pdf_seconds: float = 0.0
    pdf_unavailable: str | None = None  # why no PDF was printed, when WeasyPrint cannot load


def pdf_renderer_problem() -> str | None:
    """None when WeasyPrint loads; else the reason (it needs Pango from the system)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"WeasyPrint cannot load ({type(exc).__name__}: {exc}); HTML only"
    return None


def collect_meetings(wh: Warehouse, period: Period) -> MeetingData:
    year, number = period.fiscal_year, period.period_no
    units = wh.query("select unit_code, unit_type, name_th, name_en, abbrev_th from marts.dim_unit")
    policies = wh.query(
        """
        select a.unit_code as lead_unit_code, m.policy_code, p.title_th, p.title_en,
               d.name_th as dimension_th, m.is_key_project, m.n_pairs, m.n_pairs_with_data,
               m.progress_pct, m.h_progress_pct, m.r_progress_pct, m.status,
               m.n_on_track, m.n_at_risk, m.n_off_track, m.n_no_data
        from marts.dim_assignment a
        join marts.mart_policy_progress m on m.policy_code = a.policy_code
        join marts.dim_policy p on p.policy_code = m.policy_code
        left join marts.dim_dimension d on d.dimension_code = m.dimension_code
        where a.role = 'H' and m.fiscal_year = ? and m.period_no = ?
        order by a.unit_code, m.policy_code
        """,
        [year, number],
    )
    kpi_rows = wh.query(
        """
        select f.policy_code, f.kpi_code, k.name_th as kpi_th, k.name_en as kpi_en,
               k.measure_unit_th, f.direction, f.aggregation, f.unit_code,
               u.name_th as unit_th, f.role, f.annual_target, f.period_value, f.actual_ytd,
               f.target_to_date, f.achievement_ratio, f.status
        from marts.fct_kpi_progress f
        join marts.dim_kpi k on k.kpi_code = f.kpi_code
        join marts.dim_unit u on u.unit_code = f.unit_code
        where f.fiscal_year = ? and f.period_no = ?
        order by f.policy_code, f.kpi_code, case when f.role = 'H' then 0 else 1 end,
                 f.unit_code
        """,
        [year, number],
    )
    assignments = wh.query("select policy_code, unit_code, role from marts.dim_assignment")
    compliance = wh.query(
        """
        select c.unit_code, u.name_th as unit_th, c.period_no, c.period_key, c.due_date,
               c.first_received_at, c.compliance_status, c.days_late
        from marts.mart_submission_compliance c
        join marts.dim_unit u on u.unit_code = c.unit_code
        where c.fiscal_year = ? and c.period_no <= ?
        order by c.unit_code, c.period_no
        """,
        [year, number],
    )
    obstacles = wh.query(
        """
        select o.policy_code, o.kpi_code, k.name_th as kpi_th, o.unit_code,
               u.name_th as unit_th, o.role, o.obstacles, o.reported_status, o.received_at
        from marts.mart_obstacles o
        join marts.dim_unit u on u.unit_code = o.unit_code
        left join marts.dim_kpi k on k.kpi_code = o.kpi_code
        where o.fiscal_year = ? and o.period_no = ?
        order by o.policy_code, o.kpi_code, o.unit_code
        """,
        [year, number],
    )
    return MeetingData(period, units, policies, kpi_rows, assignments, compliance, obstacles)


def _ratio_key(row: Any) -> float:
    return float("inf") if pd.isna(row.achievement_ratio) else float(row.achievement_ratio)


def kpi_summary(rows: list[Any]) -> dict[str, Any]:
    """One KPI on one line: the lead units' figures, and the supporting units by status."""
    support = [r for r in rows if r.role != "H"]
    worst = sorted((r for r in support if r.status == "off_track"), key=_ratio_key)
    return {
        "lead": [r for r in rows if r.role == "H"],
        "n_support": len(support),
        "support_counts": {s: sum(r.status == s for r in support) for s in PROGRESS_STATUS},
        "lowest": ", ".join(
            f"{short_unit_name(r.unit_th, r.unit_code)} {fmt_ratio(r.achievement_ratio)}"
            for r in worst[:3]
        )
        + (f" และอีก {len(worst) - 3}" if len(worst) > 3 else ""),
    }


def off_track_item(rows: list[Any]) -> dict[str, Any] | None:
    """A KPI with at least one off-track unit, as an item for decision."""
    off = sorted((r for r in rows if r.status == "off_track"), key=_ratio_key)
    if not off:
        return None
    return {
        "policy_code": off[0].policy_code,
        "kpi_code": off[0].kpi_code,
        "kpi_th": off[0].kpi_th,
        "n_units": len(off),
        "n_pairs": len(rows),
        "units": ", ".join(short_unit_name(r.unit_th, r.unit_code) for r in off[:5])
        + (f" และอีก {len(off) - 5} หน่วยงาน" if len(off) > 5 else ""),
        "worst_ratio": off[0].achievement_ratio,
    }


def meeting_context(data: MeetingData, unit_code: str) -> dict[str, Any]:
    """Everything one H unit's pack shows, as plain rows for the template."""
    period = data.period
    unit = next(data.units[data.units["unit_code"] == unit_code].itertuples())
    policies = data.policies[data.policies["lead_unit_code"] == unit_code]
    codes = set(policies["policy_code"])
    on_policies = data.assignments[data.assignments["policy_code"].isin(codes)]
    support = set(on_policies.loc[on_policies["role"] == "R", "unit_code"]) - {unit_code}

    compliance = data.compliance[data.compliance["unit_code"].isin(support)]
    this_period = compliance[compliance["period_no"] == period.period_no]
    not_on_time = this_period[this_period["compliance_status"] != "on_time"].sort_values(
        ["compliance_status", "unit_code"]
    )
    not_on_time = not_on_time.assign(
        received=[
            "–" if pd.isna(t) else pd.Timestamp(t).strftime("%Y-%m-%d %H:%M")
            for t in not_on_time["first_received_at"]
        ]
    )
    missing = compliance[compliance["compliance_status"] == "missing"]
    repeat_missing = [
        {
            "unit_code": code,
            "unit_th": rows["unit_th"].iloc[0],
            "periods": ", ".join(rows["period_key"]),
            "n": len(rows),
        }
        for code, rows in missing.groupby("unit_code")
        if len(rows) >= MISSING_PERIODS_FOR_DECISION
    ]

    policy_blocks, off_track = [], []
    for policy in policies.itertuples():
        by_kpi = data.kpis_by_policy.get(policy.policy_code, {})
        blocks = []
        for kpi_code in sorted(by_kpi):
            rows = by_kpi[kpi_code]
            blocks.append({"kpi": rows[0], "rows": rows, "summary": kpi_summary(rows)})
            if item := off_track_item(rows):
                off_track.append(item)
        policy_blocks.append({"policy": policy, "kpis": blocks})
    obstacles = data.obstacles[data.obstacles["policy_code"].isin(codes)]

    return {
        "period": period,
        "period_th": period_label_th(period),
        "period_en": period_label_en(period),
        "unit": unit,
        "policies": list(policies.itertuples()),
        "policy_blocks": policy_blocks,
        "n_support_units": len(support),
        "not_on_time": list(not_on_time.itertuples()),
        "repeat_missing": repeat_missing,
        "off_track": off_track,
        "obstacles": list(obstacles.itertuples()),
        "missing_threshold": MISSING_PERIODS_FOR_DECISION,
    }


def render_meeting_html(data: MeetingData, unit_code: str, generated_at: str | None = None) -> str:
    """The pack as HTML; the PDF is the same document printed (A4 landscape, see the template)."""
    return render_template(
        "meeting.html.j2", generated_at=generated_at, **meeting_context(data, unit_code)
    )


def _write_pdf(job: tuple[str, str]) -> str:
    from weasyprint import HTML  # imported in the worker: fonts load once per process

    html, path = job
    tmp = Path(path).with_name(f".{Path(path).name}.tmp")
    HTML(string=html).write_pdf(tmp)
    tmp.replace(path)
    return path


def write_pdfs(jobs: Sequence[tuple[str, str]], workers: int) -> list[Path]:
    """HTML → PDF with WeasyPrint; several processes when there are several jobs and CPUs."""
    if workers <= 1 or len(jobs) <= 1:
        return [Path(_write_pdf(job)) for job in jobs]
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        return [Path(p) for p in pool.map(_write_pdf, jobs)]


def default_pdf_workers() -> int:
    return max(1, min(4, (os.cpu_count() or 1)))


def render_meeting_reports(
    wh: Warehouse,
    period_key: str,
    reports_dir: Path,
    pdf: bool = True,
    pdf_units: Iterable[str] | None = None,
    workers: int | None = None,
    generated_at: str | None = None,
) -> MeetingResult:
    """Write `<reports>/<period_key>/meetings/<unit_code>.html` for every H unit, and `.pdf`
    for every H unit (or only `pdf_units`) when `pdf`."""
    period = Period.from_key(period_key)
    data = collect_meetings(wh, period)
    out = Path(reports_dir) / period.key / MEETINGS_DIR
    result = MeetingResult()
    pdf_set = None if pdf_units is None else set(pdf_units)
    jobs: list[tuple[str, str]] = []
    for unit_code in data.lead_units:
        html = render_meeting_html(data, unit_code, generated_at)
        result.html.append(write_text(out / f"{unit_code}.html", html))
        if pdf and (pdf_set is None or unit_code in pdf_set):
            jobs.append((html, str(out / f"{unit_code}.pdf")))
    if jobs and (problem := pdf_renderer_problem()):
        result.pdf_unavailable = problem
        return result
    started = time.monotonic()
    result.pdf = write_pdfs(jobs, default_pdf_workers() if workers is None else workers)
    result.pdf_seconds = time.monotonic() - started
    return result
