"""The run summary: what came in, what was kept, who was on time, how far each group is.

Read from the warehouse after a run; printed by `bma-pipeline run` and written by
the `run_summary` asset. Figures come from the marts only: files and rows from
`rpt_submission_file_row_counts`, whose accepted rows are the compliance mart's (a row of a file
not validated yet is pending, not accepted), so the summary never counts differently from them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from bma_pipeline.columns import MINUTES, PLAN, Workbook
from bma_pipeline.minutes.overdue import overdue_commitments
from bma_pipeline.warehouse import Warehouse


@dataclass
class RunSummary:
    warehouse: str
    files: dict[str, int]  # by outcome
    rows_received: int
    rows_accepted: int
    rows_quarantined: int
    rows_pending_validation: int  # rows of ingested files validation has not run on yet
    rows_superseded: int  # rows of partial files their whole version replaced
    latest_period: str | None  # the latest period with any accepted value
    compliance: dict[str, dict[str, int]]  # period_key → status → units
    group_progress: dict[str, float | None]  # group_code (and CITY) → progress_pct, latest period
    plans: dict[str, int] = field(default_factory=dict)  # plan files, versions, rows
    minutes: dict[str, int] = field(default_factory=dict)  # minutes files, rows
    meetings: dict[str, int] = field(default_factory=dict)  # status → H units, latest period
    commitments_overdue: int = 0  # open past their due date as of the run
    reports: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def collect_summary(wh: Warehouse) -> RunSummary:
    files = wh.query(
        "select outcome, count(*) as n from marts.rpt_submission_file_row_counts "
        "group by outcome order by outcome"
    )
    rows = wh.query(
        """
        select coalesce(sum(n_rows_received), 0) as received,
               coalesce(sum(n_rows_accepted), 0) as accepted,
               coalesce(sum(n_rows_quarantined), 0) as quarantined,
               coalesce(sum(n_rows_pending_validation), 0) as pending,
               coalesce(sum(n_rows_superseded), 0) as superseded
        from marts.rpt_submission_file_row_counts
        """
    ).iloc[0]
    latest = wh.query(
        "select fiscal_year, period_no, period_key from marts.fct_kpi_progress "
        "where period_value is not null "
        "order by fiscal_year desc, period_no desc limit 1"
    )
    compliance: dict[str, dict[str, int]] = {}
    group_progress: dict[str, float | None] = {}
    meetings: dict[str, int] = {}
    latest_key = None
    if not latest.empty:
        fiscal_year, period_no, latest_key = latest.iloc[0]
        status_counts = wh.query(
            "select period_key, compliance_status, count(*) as n "
            "from marts.mart_submission_compliance "
            "where fiscal_year = :fiscal_year and period_no <= :period_no "
            "group by period_key, compliance_status order by period_key, compliance_status",
            {"fiscal_year": int(fiscal_year), "period_no": int(period_no)},
        )
        for item in status_counts.itertuples():
            compliance.setdefault(item.period_key, {})[item.compliance_status] = int(item.n)
        groups = wh.query(
            "select group_code, progress_pct from marts.mart_group_progress "
            "where fiscal_year = :fiscal_year and period_no = :period_no "
            "order by is_city, group_code",
            {"fiscal_year": int(fiscal_year), "period_no": int(period_no)},
        )
        group_progress = {
            g.group_code: (None if g.progress_pct is None else round(float(g.progress_pct), 1))
            for g in groups.itertuples()
        }
        held = wh.query(
            "select meeting_status, count(*) as n from marts.mart_meetings "
            "where fiscal_year = :fiscal_year and period_no = :period_no group by meeting_status",
            {"fiscal_year": int(fiscal_year), "period_no": int(period_no)},
        )
        meetings = {str(m.meeting_status): int(m.n) for m in held.itertuples()}
    return RunSummary(
        plans=_plan_counts(wh),
        minutes=_workbook_counts(wh, MINUTES),
        meetings=meetings,
        commitments_overdue=len(overdue_commitments(wh)),
        warehouse=wh.location.display,
        files={str(o): int(n) for o, n in zip(files["outcome"], files["n"], strict=True)},
        rows_received=int(rows["received"]),
        rows_accepted=int(rows["accepted"]),
        rows_quarantined=int(rows["quarantined"]),
        rows_pending_validation=int(rows["pending"]),
        rows_superseded=int(rows["superseded"]),
        latest_period=latest_key,
        compliance=compliance,
        group_progress=group_progress,
    )


def _workbook_counts(wh: Warehouse, kind: Workbook) -> dict[str, int]:
    """A workbook kind's files (incomplete ones aside) and rows accepted and quarantined."""
    if not wh.table_exists(kind.files.schema, kind.files.name):
        return {}
    counts = wh.query(
        f"""
        select
            (select count(*) from {kind.files.qualified} where outcome <> 'incomplete') as files,
            (select count(*) from {kind.rows.qualified}) as rows_received,
            (select count(*) from {kind.quarantine.qualified}) as rows_quarantined
        """
    ).iloc[0]
    received, quarantined = int(counts["rows_received"]), int(counts["rows_quarantined"])
    return {
        "files": int(counts["files"]),
        "rows_received": received,
        "rows_accepted": received - quarantined,
        "rows_quarantined": quarantined,
    }


def _plan_counts(wh: Warehouse) -> dict[str, int]:
    """Plan files and versions, and plan rows accepted and quarantined (docs/DOMAIN.md §6)."""
    counts = _workbook_counts(wh, PLAN)
    if not counts:
        return {}
    versions = (
        int(wh.scalar("select count(*) from plans.versions"))
        if wh.table_exists("plans", "versions")
        else 0
    )
    return {**counts, "versions": versions}


def format_summary(summary: RunSummary) -> str:
    files = summary.files
    plans = summary.plans
    lines = [
        "BMA Digital Plans — run summary",
        f"  plan files         {plans.get('files', 0):>7}   versions {plans.get('versions', 0)}",
        f"  plan rows          {plans.get('rows_received', 0):>7}   accepted "
        f"{plans.get('rows_accepted', 0)}, quarantined {plans.get('rows_quarantined', 0)}",
        f"  minutes files      {summary.minutes.get('files', 0):>7}",
        f"  minutes rows       {summary.minutes.get('rows_received', 0):>7}   accepted "
        f"{summary.minutes.get('rows_accepted', 0)}, quarantined "
        f"{summary.minutes.get('rows_quarantined', 0)}",
        f"  files received     {sum(files.values()):>7}   "
        + ", ".join(f"{k} {v}" for k, v in sorted(files.items())),
        f"  rows received      {summary.rows_received:>7}",
        f"  rows accepted      {summary.rows_accepted:>7}",
        f"  rows quarantined   {summary.rows_quarantined:>7}",
    ]
    if summary.rows_pending_validation:
        lines.append(f"  rows not validated {summary.rows_pending_validation:>7}")
    if summary.rows_superseded:
        lines.append(
            f"  rows superseded    {summary.rows_superseded:>7}   (partial files replaced)"
        )
    lines.append("  submissions (units per period):")
    for period_key, counts in summary.compliance.items():
        statuses = ("on_time", "late", "missing", "pending")
        lines.append(
            f"    {period_key}  " + "  ".join(f"{s} {counts.get(s, 0):>3}" for s in statuses)
        )
    lines.append(f"  progress at {summary.latest_period or '—'} (% of target to date):")
    for group, pct in summary.group_progress.items():
        label = "city" if group == "CITY" else group
        lines.append(f"    {label:<5} {'no data' if pct is None else f'{pct:6.1f} %'}")
    meetings = summary.meetings
    lines.append(
        f"  H–R meetings at {summary.latest_period or '—'} (lead units): "
        + "  ".join(f"{s} {meetings.get(s, 0)}" for s in ("held", "late", "missing", "pending"))
    )
    lines.append(f"  commitments overdue {summary.commitments_overdue:>6}")
    lines.append(f"  warehouse: {summary.warehouse}")
    for report in summary.reports:
        lines.append(f"  report:    {report}")
    return "\n".join(lines)
