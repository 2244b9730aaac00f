"""Judge every minutes file not judged yet and record its verdicts in the minutes ledger.

What belongs here: taking the pending minutes files in the order they were received, giving
each what `rules.judge_minutes` judges against — the plan in force for the meeting's period
(what the sender leads, its supporting units, who is assigned to what), the sender's
commitments from its other meetings, the meeting window — and writing the quarantine rows and
the file's `validated_at` in one transaction. What does not: the rules (`rules.py`).
"""

from __future__ import annotations

from bma_pipeline.columns import MINUTES
from bma_pipeline.fiscal import DEFAULT_DEADLINE_DAYS, Period
from bma_pipeline.intake.workbook_ledger import ensure_workbook_tables
from bma_pipeline.minutes.rules import (
    DEFAULT_GRACE_DAYS,
    MinutesContext,
    judge_minutes,
    meeting_period,
    meeting_window,
)
from bma_pipeline.plans.in_force import PlanInForce
from bma_pipeline.plans.store import read_plan_in_force
from bma_pipeline.validation.workbook_verdicts import WorkbookValidationReport, record_verdicts
from bma_pipeline.warehouse import Warehouse


def minutes_context(
    sender: str,
    period: Period | None,
    plan: PlanInForce,
    other_commitments: frozenset[str],
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
    grace_days: int = DEFAULT_GRACE_DAYS,
) -> MinutesContext:
    """What a minutes file of `sender` for `period` is judged against."""
    if period is None:
        return MinutesContext(sender, plan.units, None, None, other_commitments=other_commitments)
    now = (plan.assignments["fiscal_year"] == period.fiscal_year) & (
        plan.assignments["period_no"] == period.period_no
    )
    assignments = plan.assignments[now]
    led = frozenset(
        assignments.loc[
            (assignments["unit_code"] == sender) & (assignments["role"] == "H"), "policy_code"
        ]
    )
    support = assignments[assignments["policy_code"].isin(list(led)) & (assignments["role"] == "R")]
    kpis = plan.kpis[
        (plan.kpis["fiscal_year"] == period.fiscal_year)
        & (plan.kpis["period_no"] == period.period_no)
    ]
    return MinutesContext(
        sender=sender,
        units=plan.units,
        period=period,
        window=meeting_window(period, deadline_days, grace_days),
        led_policies=led,
        support_units=frozenset(support["unit_code"]) - {sender},
        assigned={
            policy: frozenset(units)
            for policy, units in assignments.groupby("policy_code")["unit_code"]
        },
        kpis={
            policy: frozenset(codes) for policy, codes in kpis.groupby("policy_code")["kpi_code"]
        },
        other_commitments=other_commitments,
    )


def commitments_made_elsewhere(
    wh: Warehouse, sender: str, period: Period | None, file_id: int | None = None
) -> frozenset[str]:
    """Commitment ids `sender` made in accepted rows of minutes for meetings other than
    `period`'s (and in files other than `file_id`)."""
    made = wh.query(
        f"""
        select c.commitment_id, m.period_fiscal_year as fiscal_year, m.period_key as period_no
        from {MINUTES.rows.qualified} c
        join {MINUTES.files.qualified} f on f.file_id = c.file_id
        join {MINUTES.rows.qualified} m on m.file_id = c.file_id and m.sheet = 'meeting'
        where c.sheet = 'commitments' and f.unit_folder = :sender and c.file_id <> :file
          and f.outcome = 'ingested' and f.validated_at is not null
          and not exists (
              select 1 from {MINUTES.quarantine.qualified} q
              where q.file_id = c.file_id and q.sheet = c.sheet and q.row_number = c.row_number
          )
        """,
        {"sender": sender, "file": -1 if file_id is None else file_id},
    )
    if period is not None:
        same = (made["fiscal_year"] == period.fiscal_year) & (made["period_no"] == period.period_no)
        made = made[~same.fillna(False)]
    return frozenset(made["commitment_id"].dropna())


def validate_pending_minutes(
    wh: Warehouse,
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
    grace_days: int = DEFAULT_GRACE_DAYS,
) -> WorkbookValidationReport:
    """Judge every ingested minutes file that has no verdict yet, oldest received first."""
    ensure_workbook_tables(wh, MINUTES)
    pending = wh.query(
        f"select file_id, unit_folder, received_at from {MINUTES.files.qualified} "
        "where outcome = 'ingested' and validated_at is null "
        "order by received_at, file_name, file_id"
    )
    report = WorkbookValidationReport()
    if pending.empty:
        return report
    plan = read_plan_in_force(wh)
    for file in pending.itertuples(index=False):
        file_id = int(file.file_id)
        rows = wh.query(
            f"select * from {MINUTES.rows.qualified} where file_id = :file "
            "order by sheet, row_number",
            {"file": file_id},
        )
        sheets = {name: frame.reset_index(drop=True) for name, frame in rows.groupby("sheet")}
        period = meeting_period(sheets.get("meeting"))
        others = commitments_made_elsewhere(wh, file.unit_folder, period, file_id)
        context = minutes_context(file.unit_folder, period, plan, others, deadline_days, grace_days)
        verdicts = judge_minutes(sheets, context)
        report.add(len(rows), record_verdicts(wh, MINUTES, file_id, verdicts))
    return report
