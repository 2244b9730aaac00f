"""Judge every plan file not judged yet and record its verdicts in the plan ledger.

What belongs here: taking the pending plan files in the order they were received (a later
revision is judged against the plan in force that includes the earlier ones), giving each the
authority it has (SED everything; an H unit the policies it leads in the plan in force for
the file's year and first period), running `rules.judge_plan`, and writing the quarantine rows
and the file's `validated_at` in one transaction. What does not: the rules themselves
(`rules.py`) or the versions (`versions.py`, `store.py`).
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from bma_pipeline.columns import PLAN
from bma_pipeline.intake.workbook_ledger import ensure_workbook_tables
from bma_pipeline.plans.rules import (
    PlanContext,
    judge_plan,
    plan_year_and_period,
    revises_every_policy,
)
from bma_pipeline.plans.store import plan_tables, reference_dimensions
from bma_pipeline.validation.workbook_verdicts import WorkbookValidationReport, record_verdicts
from bma_pipeline.warehouse import Warehouse


def led_policies_in(
    wh: Warehouse, sender: str, fiscal_year: int, period: int, before: datetime | None
) -> frozenset[str]:
    """The policies `sender` leads (H) in the plan in force for (fiscal year, period), counting
    only plan files received before `before` (None: every judged plan file)."""
    as_of = before or datetime(2200, 1, 1)  # every plan received (pandas stops at 2262)
    tables = plan_tables(wh, as_of=as_of, before=before, fiscal_year=fiscal_year)
    in_force = tables.policy_in_force
    now = (in_force["fiscal_year"] == fiscal_year) & (in_force["period_no"] == period)
    in_force = in_force[now]
    leads = in_force.merge(tables.assignments, on=["plan_version_id", "policy_code"])
    leads = leads[(leads["role"] == "H") & (leads["unit_code"] == sender)]
    return frozenset(leads["policy_code"])


def validate_pending_plans(wh: Warehouse) -> WorkbookValidationReport:
    """Judge every ingested plan file that has no verdict yet, oldest received first."""
    ensure_workbook_tables(wh, PLAN)
    pending = wh.query(
        f"select file_id, unit_folder, received_at from {PLAN.files.qualified} "
        "where outcome = 'ingested' and validated_at is null "
        "order by received_at, file_name, file_id"
    )
    units = frozenset(wh.query("select unit_code from reference.units")["unit_code"])
    groups = frozenset(wh.query("select group_code from reference.mission_groups")["group_code"])
    dimensions = reference_dimensions(wh)
    report = WorkbookValidationReport()
    for file in pending.itertuples(index=False):
        rows = wh.query(
            f"select * from {PLAN.rows.qualified} where file_id = :file order by sheet, row_number",
            {"file": int(file.file_id)},
        )
        sheets = {name: frame.reset_index(drop=True) for name, frame in rows.groupby("sheet")}
        plan = sheets.get("plan")
        year, period = plan_year_and_period(plan)
        received = pd.Timestamp(file.received_at).to_pydatetime()
        led = (
            led_policies_in(wh, file.unit_folder, year, period, received)
            if year is not None and not revises_every_policy(file.unit_folder)
            else frozenset()
        )
        context = PlanContext.of(file.unit_folder, units, groups, dimensions, led)
        verdicts = judge_plan(sheets, context)
        quarantine = record_verdicts(wh, PLAN, int(file.file_id), verdicts)
        report.add(len(rows), quarantine)
    return report
