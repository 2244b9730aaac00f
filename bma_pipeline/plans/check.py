"""Check a plan workbook before sending it: what plan intake and validation would say.

What belongs here: what `rules.judge_plan` judges a plan file against as if the unit had sent
it — the reference data and the plan in force read from the warehouse, read-only, or the
shipped reference data when there is no warehouse yet. Reading, judging and reporting are the
generic workbook check's (`validation/workbook_check.py`); nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from bma_pipeline.columns import PLAN
from bma_pipeline.plans.rules import PlanContext, judge_plan, plan_year_and_period
from bma_pipeline.validation.workbook_check import (
    WorkbookCheckResult,
    check_workbook,
    read_sheets,
)
from bma_pipeline.warehouse import Warehouse


def check_plan(path: Path, context: PlanContext) -> WorkbookCheckResult:
    """Read and judge `path` as if `context.sender` had sent it; write nothing."""
    return check_workbook(path, PLAN, context.sender, lambda sheets: judge_plan(sheets, context))


def check_plan_file(path: Path, unit_code: str, wh: Warehouse | None) -> WorkbookCheckResult:
    """`check_plan` with what intake would judge against: the warehouse's reference data and
    plan in force (read-only) or, with no warehouse yet, the shipped reference data and no
    plan in force (only SED may then send a plan)."""
    from bma_pipeline.plans.apply import led_policies_in
    from bma_pipeline.plans.store import reference_dimensions
    from bma_pipeline.reference.catalog import read_city_reference

    if wh is not None:
        units = frozenset(wh.query("select unit_code from reference.units")["unit_code"])
        groups = frozenset(
            wh.query("select group_code from reference.mission_groups")["group_code"]
        )
        dimensions = reference_dimensions(wh)
    else:
        city = read_city_reference()
        units = frozenset(city["units"]["unit_code"])
        groups = frozenset(city["mission_groups"]["group_code"])
        dimensions = city["dimensions"]
    led: frozenset[str] = frozenset()
    sheets = read_sheets(path, PLAN) if wh is not None else None
    if sheets is not None and "plan" in sheets:
        year, period = plan_year_and_period(sheets["plan"])
        if year is not None:
            led = led_policies_in(wh, unit_code, year, period, before=None)
    return check_plan(path, PlanContext.of(unit_code, units, groups, dimensions, led))
