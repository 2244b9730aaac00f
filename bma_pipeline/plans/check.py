"""Check a plan workbook before sending it: what plan intake and validation would say.

What belongs here: reading one plan file exactly as intake does (`read_workbook`, the sheet
parsers), judging it with `rules.judge_plan` as if the unit had sent it — against the
reference data and the plan in force read from the warehouse, read-only — and reporting every
quarantined row by sheet and row with its Thai and English messages. Nothing is written.
What does not: the rules (`rules.py`) or printing (`bma-pipeline check-plan` formats it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from bma_pipeline.columns import PLAN
from bma_pipeline.intake.readers import DEFAULT_MAX_BYTES, FileRejected
from bma_pipeline.intake.workbook_ledger import workbook_rows
from bma_pipeline.intake.workbooks import read_workbook
from bma_pipeline.plans.rules import PlanContext, judge_plan, plan_year_and_period
from bma_pipeline.warehouse import Warehouse


@dataclass(frozen=True)
class SheetProblem:
    """Why one row of one sheet would be quarantined (every reason of the row)."""

    sheet: str
    row_number: int
    codes: str
    message_th: str
    message_en: str


@dataclass
class PlanCheckResult:
    path: Path
    unit_code: str
    rejection: FileRejected | None = None
    rows_by_sheet: dict[str, int] = field(default_factory=dict)
    problems: list[SheetProblem] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return sum(self.rows_by_sheet.values())

    @property
    def accepted(self) -> bool:
        return self.rejection is None and not self.problems

    @property
    def verdict(self) -> str:
        if self.rejection is not None:
            return f"rejected: the file would not be ingested ({self.rejection.code})"
        if not self.problems:
            return f"accepted: {self.n_rows} rows"
        return (
            f"{self.n_rows - len(self.problems)} of {self.n_rows} rows would be accepted; "
            f"{len(self.problems)} quarantined"
        )


def check_plan(
    path: Path, context: PlanContext, max_bytes: int = DEFAULT_MAX_BYTES
) -> PlanCheckResult:
    """Read and judge `path` as if `context.sender` had sent it; write nothing."""
    result = PlanCheckResult(path=Path(path), unit_code=context.sender)
    try:
        tables = read_workbook(result.path, PLAN, max_bytes=max_bytes)
    except FileRejected as exc:
        result.rejection = exc
        return result
    result.ignored_sheets = tables.ignored
    rows = workbook_rows(tables, PLAN)
    sheets = {name: frame.reset_index(drop=True) for name, frame in rows.groupby("sheet")}
    result.rows_by_sheet = {name: len(frame) for name, frame in sheets.items()}
    verdicts = judge_plan(sheets, context)
    for sheet in (layout.name for layout in PLAN.sheets):
        quarantine = verdicts.get(sheet, pd.DataFrame())
        for entry in quarantine.itertuples(index=False):
            result.problems.append(
                SheetProblem(
                    sheet,
                    int(entry.row_number),
                    str(entry.reason_codes),
                    str(entry.message_th),
                    str(entry.message_en),
                )
            )
    return result


def format_plan_result(result: PlanCheckResult) -> str:
    """The report `bma-pipeline check-plan` prints: one block per problem, then the verdict."""
    labels = {layout.name: layout.label_th for layout in PLAN.sheets}
    lines: list[str] = []
    if result.rejection is not None:
        lines.append(f"{result.rejection.code}: {result.rejection.message_en}")
        lines.append(f"  {result.rejection.message_th}")
    for problem in result.problems:
        sheet = f"{problem.sheet} ({labels[problem.sheet]})"
        lines.append(f"{result.path.name} sheet {sheet} row {problem.row_number}: {problem.codes}")
        lines.append(f"  th: {problem.message_th}")
        lines.append(f"  en: {problem.message_en}")
    if result.ignored_sheets:
        lines.append(f"(sheets not part of a plan, left aside: {', '.join(result.ignored_sheets)})")
    if result.rows_by_sheet:
        counts = ", ".join(f"{name} {n}" for name, n in result.rows_by_sheet.items())
        lines.append(f"rows read: {counts}")
    lines.append(result.verdict)
    return "\n".join(lines)


def check_plan_file(path: Path, unit_code: str, wh: Warehouse | None) -> PlanCheckResult:
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
    if wh is not None:
        try:
            tables = read_workbook(Path(path), PLAN)
        except FileRejected:
            tables = None
        plan = tables.sheets.get("plan") if tables is not None else None
        if plan is not None and not plan.rows.empty:
            rows = workbook_rows(tables, PLAN)
            year, period = plan_year_and_period(rows[rows["sheet"] == "plan"])
            if year is not None:
                led = led_policies_in(wh, unit_code, year, period, before=None)
    return check_plan(path, PlanContext.of(unit_code, units, groups, dimensions, led))
