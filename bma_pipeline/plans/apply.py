"""Judge every plan file not judged yet and record its verdicts in the plan ledger.

What belongs here: taking the pending plan files in the order they were received (a later
revision is judged against the plan in force that includes the earlier ones), giving each the
authority it has (SED everything; an H unit the policies it leads in the plan in force for
the file's year and first period), running `rules.judge_plan`, and writing the quarantine rows
and the file's `validated_at` in one transaction. What does not: the rules themselves
(`rules.py`) or the versions (`versions.py`, `store.py`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd

from bma_pipeline.columns import PLAN
from bma_pipeline.intake.workbook_ledger import ensure_workbook_tables
from bma_pipeline.plans.rules import PlanContext, judge_plan, plan_year_and_period
from bma_pipeline.plans.store import plan_tables, reference_dimensions
from bma_pipeline.warehouse import Warehouse


@dataclass
class PlanValidationReport:
    files_validated: int = 0
    rows_validated: int = 0
    rows_quarantined: int = 0
    reason_counts: dict[str, int] = field(default_factory=dict)

    @property
    def rows_accepted(self) -> int:
        return self.rows_validated - self.rows_quarantined


def led_policies_in(
    wh: Warehouse, sender: str, fiscal_year: int, period: int, before: datetime | None
) -> frozenset[str]:
    """The policies `sender` leads (H) in the plan in force for (fiscal year, period), counting
    only plan files received before `before` (None: every judged plan file)."""
    as_of = before or datetime(2200, 1, 1)  # every plan received (pandas stops at 2262)
    tables = plan_tables(wh, as_of=as_of, before=before)
    in_force = tables.policy_in_force
    now = (in_force["fiscal_year"] == fiscal_year) & (in_force["period_no"] == period)
    in_force = in_force[now]
    leads = in_force.merge(tables.assignments, on=["plan_version_id", "policy_code"])
    leads = leads[(leads["role"] == "H") & (leads["unit_code"] == sender)]
    return frozenset(leads["policy_code"])


def validate_pending_plans(wh: Warehouse) -> PlanValidationReport:
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
    report = PlanValidationReport()
    reasons: Counter[str] = Counter()
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
            if year is not None
            else frozenset()
        )
        context = PlanContext.of(file.unit_folder, units, groups, dimensions, led)
        verdicts = judge_plan(sheets, context)
        quarantine = pd.concat(
            [frame.assign(sheet=name) for name, frame in verdicts.items()], ignore_index=True
        )
        now = datetime.now(ZoneInfo("Asia/Bangkok")).replace(tzinfo=None, microsecond=0)
        quarantine = quarantine.assign(file_id=int(file.file_id), quarantined_at=pd.Timestamp(now))
        with wh.transaction():
            wh.execute(
                f"delete from {PLAN.quarantine.qualified} where file_id = :file",
                {"file": int(file.file_id)},
            )
            if not quarantine.empty:
                wh.append(
                    PLAN.quarantine.schema,
                    PLAN.quarantine.name,
                    quarantine[list(PLAN.quarantine.names)],
                )
            wh.execute(
                f"update {PLAN.files.qualified} set validated_at = :now where file_id = :file",
                {"now": now, "file": int(file.file_id)},
            )
        report.files_validated += 1
        report.rows_validated += len(rows)
        report.rows_quarantined += len(quarantine)
        reasons.update(quarantine["reason_codes"].str.split(",").explode().dropna())
    report.reason_counts = dict(sorted(reasons.items()))
    return report
