"""A unit's own plan template: the plan in force for the policies it leads, to revise and send.

What belongs here: choosing the rows — for `SED` every policy, for an H unit the policies it
leads in the plan in force at the chosen period — from the plan tables (`store.plan_tables`),
and handing them to `workbook.write_plan_workbook` with the fiscal year and `effective_from`
filled in. A revision is then "edit and send back" to `landing/<unit>/plans/`. What does not:
the workbook layout (`workbook.py`) or judging a plan (`rules.py`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bma_pipeline.plans.rules import revises_every_policy
from bma_pipeline.plans.versions import PlanTables
from bma_pipeline.plans.workbook import PlanContent, write_plan_workbook


def plan_in_force_content(
    tables: PlanTables, unit_code: str, fiscal_year: int, period: int
) -> PlanContent:
    """The rows of the plan in force at (fiscal year, period) for the policies `unit_code` may
    revise, as a plan effective from `period`."""
    in_force = tables.policy_in_force
    in_force = in_force[
        (in_force["fiscal_year"] == fiscal_year) & (in_force["period_no"] == period)
    ]
    if in_force.empty:
        raise ValueError(
            f"no plan is in force for fiscal year {fiscal_year} period {period}: "
            "SED's city plan for the year must be received first"
        )
    keys = in_force[["plan_version_id", "policy_code"]]
    assignments = tables.assignments.merge(keys)
    if not revises_every_policy(unit_code):
        led = assignments[(assignments["unit_code"] == unit_code) & (assignments["role"] == "H")]
        keys = keys.merge(led[["plan_version_id", "policy_code"]].drop_duplicates())
        if keys.empty:
            raise ValueError(
                f"unit {unit_code} leads no policy in the plan in force for fiscal year "
                f"{fiscal_year} period {period}; only SED and lead (H) units revise plans"
            )
        assignments = assignments.merge(keys)

    def of(frame: pd.DataFrame, order: list[str]) -> pd.DataFrame:
        return frame.merge(keys).sort_values(order, ignore_index=True)

    dimensions = (
        tables.policy_dimensions.merge(keys)
        .sort_values("position")
        .groupby(["plan_version_id", "policy_code"])["dimension_code"]
        .agg(list)
        .rename("dimensions")
        .reset_index()
    )
    policies = of(tables.policies.drop(columns=["dimensions"], errors="ignore"), ["policy_code"])
    policies = policies.merge(dimensions, on=["plan_version_id", "policy_code"], how="left")
    return PlanContent(
        fiscal_year=fiscal_year,
        effective_from=period,
        policies=policies,
        projects=of(tables.projects, ["project_code"]),
        kpis=of(tables.kpis, ["kpi_code"]),
        assignments=assignments.sort_values(
            ["policy_code", "role", "unit_code"], ignore_index=True
        ),
        targets=of(tables.targets, ["kpi_code", "unit_code"]),
    )


def write_plan_template(
    tables: PlanTables, unit_code: str, fiscal_year: int, period: int, out: Path
) -> Path:
    """Write the unit's plan template to `out` and return its path."""
    content = plan_in_force_content(tables, unit_code, fiscal_year, period)
    title = f"แผนปฏิบัติการ ปีงบประมาณ {fiscal_year} หน่วยงาน {unit_code} (มีผลตั้งแต่งวดที่ {period})"
    return write_plan_workbook(content, out, title)
