"""Judge every minutes file not judged yet and record its verdicts in the minutes ledger.

What belongs here: taking the pending minutes files in the order they were received (in
rounds judged together, a sender's files in successive rounds), giving each what
`rules.judge_minutes` judges against — the plan in force for the meeting's period
(what the sender leads, its supporting units, who is assigned to what), the sender's
commitments from its other meetings, the meeting window — and writing the quarantine rows and
the files' `validated_at` in one transaction per round. What does not: the rules (`rules.py`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from bma_pipeline.columns import MINUTES
from bma_pipeline.fiscal import DEFAULT_DEADLINE_DAYS, Period
from bma_pipeline.intake.workbook_ledger import ensure_workbook_tables
from bma_pipeline.minutes.rules import (
    DEFAULT_GRACE_DAYS,
    MinutesContext,
    judge_minutes_many,
    meeting_period,
    meeting_window,
)
from bma_pipeline.plans.in_force import PlanInForce
from bma_pipeline.plans.store import read_plan_in_force
from bma_pipeline.validation.workbook_verdicts import (
    WorkbookValidationReport,
    record_verdicts_many,
)
from bma_pipeline.warehouse import Warehouse

# Files judged together at most (each sheet of the round is one frame).
ROUND_FILES = 200


def _sets_by(keys: pd.Series, values: pd.Series) -> dict[str, frozenset[str]]:
    """The values of each key (plain Python: a groupby costs more per group than the rows)."""
    sets: dict[str, set[str]] = defaultdict(set)
    keyed = keys.notna().to_numpy()
    for key, value in zip(keys[keyed], values[keyed], strict=True):
        sets[key].add(value)
    return {key: frozenset(members) for key, members in sets.items()}


@dataclass(frozen=True)
class PlanAtPeriod:
    """What the plan in force says at one period: the same for every sender's minutes of it."""

    assignments: pd.DataFrame  # policy_code, unit_code, role
    assigned: Mapping[str, frozenset[str]]  # policy → its H and R units
    kpis: Mapping[str, frozenset[str]]  # policy → its KPIs


def plan_at_period(plan: PlanInForce, period: Period) -> PlanAtPeriod:
    now = (plan.assignments["fiscal_year"] == period.fiscal_year) & (
        plan.assignments["period_no"] == period.period_no
    )
    assignments = plan.assignments[now]
    kpis = plan.kpis[
        (plan.kpis["fiscal_year"] == period.fiscal_year)
        & (plan.kpis["period_no"] == period.period_no)
    ]
    return PlanAtPeriod(
        assignments,
        _sets_by(assignments["policy_code"], assignments["unit_code"]),
        _sets_by(kpis["policy_code"], kpis["kpi_code"]),
    )


def minutes_context(
    sender: str,
    period: Period | None,
    plan: PlanInForce,
    other_commitments: frozenset[str],
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
    grace_days: int = DEFAULT_GRACE_DAYS,
    at_period: PlanAtPeriod | None = None,
) -> MinutesContext:
    """What a minutes file of `sender` for `period` is judged against; `at_period`, when given,
    is `plan_at_period(plan, period)`, computed once for the files of a period."""
    if period is None:
        return MinutesContext(sender, plan.units, None, None, other_commitments=other_commitments)
    at_period = at_period or plan_at_period(plan, period)
    assignments = at_period.assignments
    led = frozenset(
        assignments.loc[
            (assignments["unit_code"] == sender) & (assignments["role"] == "H"), "policy_code"
        ]
    )
    support = assignments[assignments["policy_code"].isin(list(led)) & (assignments["role"] == "R")]
    return MinutesContext(
        sender=sender,
        units=plan.units,
        period=period,
        window=meeting_window(period, deadline_days, grace_days),
        led_policies=led,
        support_units=frozenset(support["unit_code"]) - {sender},
        assigned=at_period.assigned,
        kpis=at_period.kpis,
        other_commitments=other_commitments,
    )


def _accepted_commitments(wh: Warehouse, senders: Sequence[str]) -> pd.DataFrame:
    """The commitment ids each of `senders` made in accepted rows of judged minutes, with the
    file and the meeting's period: unit_folder, file_id, commitment_id, fiscal_year, period_no."""
    return wh.query(
        f"""
        select f.unit_folder, c.file_id, c.commitment_id,
               m.period_fiscal_year as fiscal_year, m.period_key as period_no
        from {MINUTES.rows.qualified} c
        join {MINUTES.files.qualified} f on f.file_id = c.file_id
        join {MINUTES.rows.qualified} m on m.file_id = c.file_id and m.sheet = 'meeting'
        where c.sheet = 'commitments' and f.unit_folder in :senders
          and f.outcome = 'ingested' and f.validated_at is not null
          and not exists (
              select 1 from {MINUTES.quarantine.qualified} q
              where q.file_id = c.file_id and q.sheet = c.sheet and q.row_number = c.row_number
          )
        """,
        {"senders": list(senders)},
    )


def _made_elsewhere(
    made: pd.DataFrame, sender: str, period: Period | None, file_id: int | None
) -> frozenset[str]:
    made = made[
        (made["unit_folder"] == sender) & (made["file_id"] != (-1 if file_id is None else file_id))
    ]
    if period is not None:
        same = (made["fiscal_year"] == period.fiscal_year) & (made["period_no"] == period.period_no)
        made = made[~same.fillna(False)]
    return frozenset(made["commitment_id"].dropna())


def commitments_made_elsewhere(
    wh: Warehouse, sender: str, period: Period | None, file_id: int | None = None
) -> frozenset[str]:
    """Commitment ids `sender` made in accepted rows of minutes for meetings other than
    `period`'s (and in files other than `file_id`)."""
    return _made_elsewhere(_accepted_commitments(wh, [sender]), sender, period, file_id)


def judging_rounds(pending: pd.DataFrame, size: int = ROUND_FILES) -> list[pd.DataFrame]:
    """The pending files (in received order) in rounds a sender appears in at most once: its
    n-th file in the n-th round. A file is judged against its sender's files judged before it,
    and only those, so judging round after round is judging file after file, with each round's
    files judged together (`judge_minutes_many`); rounds hold at most `size` files."""
    nth = pending.groupby("unit_folder", sort=False).cumcount()
    rounds = []
    for _, round_files in pending.groupby(nth.to_numpy(), sort=True):
        rounds += [round_files.iloc[i : i + size] for i in range(0, len(round_files), size)]
    return rounds


def validate_pending_minutes(
    wh: Warehouse,
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
    grace_days: int = DEFAULT_GRACE_DAYS,
    round_files: int = ROUND_FILES,
) -> WorkbookValidationReport:
    """Judge every ingested minutes file that has no verdict yet, oldest received first, in
    rounds of at most `round_files` files judged together (`judging_rounds`)."""
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
    at_periods: dict[Period, PlanAtPeriod] = {}
    for files_of_round in judging_rounds(pending, round_files):
        file_ids = [int(file_id) for file_id in files_of_round["file_id"]]
        rows = wh.query(
            f"select * from {MINUTES.rows.qualified} where file_id in :ids "
            "order by file_id, sheet, row_number",
            {"ids": file_ids},
        )
        made = _accepted_commitments(wh, list(files_of_round["unit_folder"]))
        of_file = dict(tuple(rows.groupby("file_id", sort=False)))
        files = []
        for file_id, sender in zip(file_ids, files_of_round["unit_folder"], strict=True):
            file_rows = of_file.get(file_id, rows.iloc[:0])
            sheets = {
                name: frame.reset_index(drop=True) for name, frame in file_rows.groupby("sheet")
            }
            period = meeting_period(sheets.get("meeting"))
            others = _made_elsewhere(made, sender, period, file_id)
            if period is not None and period not in at_periods:
                at_periods[period] = plan_at_period(plan, period)
            context = minutes_context(
                sender, period, plan, others, deadline_days, grace_days, at_periods.get(period)
            )
            files.append((sheets, context))
        verdicts = judge_minutes_many(files)
        written = record_verdicts_many(wh, MINUTES, list(zip(file_ids, verdicts, strict=True)))
        for (sheets, _), quarantine in zip(files, written, strict=True):
            report.add(sum(len(frame) for frame in sheets.values()), quarantine)
    return report
