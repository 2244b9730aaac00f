"""Whether an earlier period's reports must be rendered again: a fingerprint of what they read.

A run renders its own period's dashboard and meeting packs, and the earlier periods of the
fiscal year only when what those reports read has changed since they were written (a late
file for period 2 changes period 2 and every later period: the year-to-date figures and the
trend accumulate). Nationwide a period has thousands of packs, so re-rendering unchanged
periods would make every run cost the whole year.

The fingerprint of period p hashes per-period aggregates of the marts of periods 1 … p of
the year, the names the reports show, and the report code and templates, so a change of data,
of names or of layout re-renders. Every period-partitioned report (dashboard, meeting packs,
reports to the executives) shares one fingerprint over what any of them reads (their dbt
exposures), report models included. It is stored beside the reports in
`<reports>/<period>/.<report>.fingerprint` once the reports are written.

Only what a period's reports show of that period counts towards it: plan-dependent dimensions
(assignments, policy, KPI and project names) are hashed per period for the rows in force or shown
then, commitments by their state at the period's end (never as of the run), plan revisions by the
period whose agenda they are on. So a revision in force from P4 re-renders P4 onwards and leaves
the reports of P1–P3 as they were; only the city's reference data (units, groups, dimensions) is
common to every period.

What does not belong here: rendering (`dashboard.py`, `meeting.py`).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from bma_pipeline.fiscal import Period
from bma_pipeline.reports.common import write_text
from bma_pipeline.warehouse import Warehouse

# Per-period aggregates (same SQL on DuckDB and PostgreSQL): counts and sums move when a row
# is added, removed or changes value or status.
_PER_PERIOD = {
    "fct_kpi_progress": """
        select period_no, status, count(*), count(period_value), sum(coalesce(actual_ytd, 0)),
               sum(coalesce(target_to_date, 0)), sum(coalesce(achievement_ratio, 0))
        from marts.fct_kpi_progress where fiscal_year = :fiscal_year group by period_no, status""",
    "mart_policy_progress": """
        select period_no, status, count(*), sum(coalesce(progress_pct, 0)), sum(n_pairs_with_data)
        from marts.mart_policy_progress where fiscal_year = :fiscal_year
        group by period_no, status""",
    "mart_submission_compliance": """
        select period_no, compliance_status, count(*), sum(coalesce(days_late, 0)),
               max(first_received_at)
        from marts.mart_submission_compliance where fiscal_year = :fiscal_year
        group by period_no, compliance_status""",
    "mart_obstacles": """
        select period_no, count(*), sum(length(obstacles)), max(received_at)
        from marts.mart_obstacles where fiscal_year = :fiscal_year group by period_no""",
    "rpt_most_lagging_policies": """
        select period_no, count(*), sum(lag_rank * progress_pct), sum(length(lead_units_th))
        from marts.rpt_most_lagging_policies where fiscal_year = :fiscal_year
        group by period_no""",
    "rpt_policy_lead_units": """
        select period_no, count(*), sum(n_lead_units), sum(length(lead_units_th))
        from marts.rpt_policy_lead_units where fiscal_year = :fiscal_year group by period_no""",
    "mart_project_progress": """
        select period_no, status, count(*), sum(coalesce(progress_pct, 0)), sum(n_pairs_with_data)
        from marts.mart_project_progress where fiscal_year = :fiscal_year
        group by period_no, status""",
    "mart_meetings": """
        select period_no, meeting_status, count(*), sum(n_present), sum(n_decisions),
               sum(n_commitments), max(meeting_date), max(received_at)
        from marts.mart_meetings where fiscal_year = :fiscal_year
        group by period_no, meeting_status""",
    "mart_meeting_attendance": """
        select period_no, is_present, count(*), sum(length(unit_code))
        from marts.mart_meeting_attendance where fiscal_year = :fiscal_year
        group by period_no, is_present""",
    "mart_meeting_decisions": """
        select period_no, count(*), sum(length(decision_text)), count(policy_code)
        from marts.mart_meeting_decisions where fiscal_year = :fiscal_year group by period_no""",
    # the state at the period's end only: status_now and days_overdue_now move every day
    "mart_commitments": """
        select period_no, status_at_period_end, count(*),
               sum(coalesce(days_overdue_at_period_end, 0)), max(due_date),
               sum(length(action) + length(owner_unit))
        from marts.mart_commitments where fiscal_year = :fiscal_year
        group by period_no, status_at_period_end""",
    "rpt_commitments_followed_up": """
        select period_no, status_at_period_end, count(*), sum(follow_up_rank),
               sum(length(coalesce(note_at_period_end, '')))
        from marts.rpt_commitments_followed_up where fiscal_year = :fiscal_year
        group by period_no, status_at_period_end""",
    "rpt_plan_revisions_on_agenda": """
        select period_no, change_type, count(*), sum(coalesce(old_value, 0)),
               sum(coalesce(new_value, 0)), max(received_at), max(effective_from)
        from marts.rpt_plan_revisions_on_agenda where fiscal_year = :fiscal_year
        group by period_no, change_type""",
    "rpt_meetings_by_group": """
        select period_no, group_code, n_lead_units, n_held, n_late, n_missing, n_pending
        from marts.rpt_meetings_by_group where fiscal_year = :fiscal_year""",
    # plan-dependent names and roles: those in force, or shown, at each period
    "dim_assignment": """
        select m.period_no, a.role, count(*), count(distinct a.policy_code),
               sum(length(a.unit_code))
        from marts.dim_assignment a
        join (select distinct fiscal_year, period_no from marts.mart_policy_progress
              where fiscal_year = :fiscal_year) m
          on m.fiscal_year = a.fiscal_year
         and m.period_no between a.valid_from_period and a.valid_to_period
        group by m.period_no, a.role""",
    "dim_policy": """
        select m.period_no, count(*), sum(length(p.title_th)), sum(length(p.title_en))
        from marts.dim_policy p
        join marts.mart_policy_progress m on m.policy_code = p.policy_code
        where m.fiscal_year = :fiscal_year group by m.period_no""",
    "dim_kpi": """
        select f.period_no, count(*), sum(length(k.name_th)), sum(length(k.measure_unit_th))
        from marts.dim_kpi k
        join (select distinct period_no, kpi_code from marts.fct_kpi_progress
              where fiscal_year = :fiscal_year) f on f.kpi_code = k.kpi_code
        group by f.period_no""",
    "dim_project": """
        select m.period_no, count(*), sum(length(coalesce(d.title_th, '')))
        from marts.dim_project d
        join marts.mart_project_progress m on m.project_code = d.project_code
        where m.fiscal_year = :fiscal_year group by m.period_no""",
}
_DIMENSIONS = {  # the city's reference data, the same in every period
    "dim_unit": "select count(*), sum(length(name_th)), sum(length(unit_type)) from marts.dim_unit",
    "dim_group": "select count(*), sum(length(name_th)) from marts.dim_group",
    "dim_dimension": "select count(*), sum(length(name_th)) from marts.dim_dimension",
}


def _rows(frame) -> list[str]:  # noqa: ANN001 - a DataFrame
    """Rows as sorted text; floats rounded so DuckDB and PostgreSQL sums agree."""
    out = []
    for row in frame.itertuples(index=False):
        cells = [f"{v:.6g}" if isinstance(v, float) else str(v) for v in row]
        out.append("|".join(cells))
    return sorted(out)


@functools.cache
def code_fingerprint() -> str:
    """The report code and templates: a new layout re-renders every period."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), *package.glob("templates/*")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprinted_models() -> set[str]:
    """The models a fingerprint reads."""
    return set(_PER_PERIOD) | set(_DIMENSIONS)


def period_fingerprints(wh: Warehouse, periods: list[Period]) -> dict[str, str]:
    """period key → fingerprint, for periods of one fiscal year."""
    if not periods:
        return {}
    year = periods[0].fiscal_year
    assert all(p.fiscal_year == year for p in periods), "periods of one fiscal year"
    common = hashlib.sha256(code_fingerprint().encode())
    for name, sql in _DIMENSIONS.items():
        common.update(f"{name}:{_rows(wh.query(sql))}".encode())
    by_period: dict[int, list[str]] = {}
    for name, sql in _PER_PERIOD.items():
        for row in _rows(wh.query(sql, {"fiscal_year": year})):
            period_no = int(float(row.split("|", 1)[0]))
            by_period.setdefault(period_no, []).append(f"{name}:{row}")
    fingerprints, running = {}, common
    for period_no in range(1, max(p.period_no for p in periods) + 1):
        running = running.copy()
        running.update("\n".join(sorted(by_period.get(period_no, []))).encode())
        fingerprints[Period(year, period_no).key] = running.hexdigest()
    return {p.key: fingerprints[p.key] for p in periods}


def _stamp(reports_dir: Path, period: Period, report: str) -> Path:
    return Path(reports_dir) / period.key / f".{report}.fingerprint"


def is_current(reports_dir: Path, period: Period, report: str, fingerprint: str) -> bool:
    """True when `report` of `period` was last rendered from `fingerprint` (its stamp says
    so; the report files themselves are not checked: delete the stamp to force a render)."""
    stamp = _stamp(reports_dir, period, report)
    return stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint


def record_rendered(reports_dir: Path, period: Period, report: str, fingerprint: str) -> None:
    """Remember what `report` of `period` was rendered from; called once it is written."""
    write_text(_stamp(reports_dir, period, report), fingerprint)


def forget_rendered(reports_dir: Path, period: Period, report: str) -> None:
    """Before rendering: a run that fails half-way leaves no stamp, so the next run renders."""
    _stamp(reports_dir, period, report).unlink(missing_ok=True)
