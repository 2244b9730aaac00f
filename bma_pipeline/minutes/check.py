"""Check a minutes workbook before sending it: what minutes intake and validation would say.

What belongs here: what `rules.judge_minutes` judges a minutes file against as if the H unit
had sent it — the plan in force for the meeting's period and the unit's commitments from its
other meetings, read from the warehouse (read-only). Reading, judging and reporting are the
generic workbook check's (`validation/workbook_check.py`); nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from bma_pipeline.columns import MINUTES
from bma_pipeline.fiscal import DEFAULT_DEADLINE_DAYS
from bma_pipeline.minutes.apply import commitments_made_elsewhere, minutes_context
from bma_pipeline.minutes.rules import DEFAULT_GRACE_DAYS, judge_minutes, meeting_period
from bma_pipeline.plans.store import read_plan_in_force
from bma_pipeline.validation.workbook_check import (
    WorkbookCheckResult,
    check_workbook,
    read_sheets,
)
from bma_pipeline.warehouse import Warehouse


def check_minutes_file(
    path: Path,
    unit_code: str,
    wh: Warehouse,
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
    grace_days: int = DEFAULT_GRACE_DAYS,
) -> WorkbookCheckResult:
    """Read and judge `path` as if `unit_code` had sent it to `landing/<unit>/meetings/`."""
    plan = read_plan_in_force(wh)
    sheets = read_sheets(path, MINUTES) or {}
    period = meeting_period(sheets.get("meeting"))
    others = commitments_made_elsewhere(wh, unit_code, period)
    context = minutes_context(unit_code, period, plan, others, deadline_days, grace_days)
    return check_workbook(path, MINUTES, unit_code, lambda parsed: judge_minutes(parsed, context))
