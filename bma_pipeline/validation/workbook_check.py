"""Check a plan or minutes workbook before sending it: what intake and validation would say.

What belongs here: reading one file exactly as intake does (`read_workbook`, the sheet
parsers), handing its sheets to the kind's judge, and reporting every quarantined row by sheet
and row with its Thai and English messages (`format_workbook_check`). Nothing is written.
What does not: the rules (`plans/rules.py`, `minutes/rules.py`) or what they are judged
against (`plans/check.py`, `minutes/check.py` build that from the warehouse).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from bma_pipeline.columns import Workbook
from bma_pipeline.intake.readers import DEFAULT_MAX_BYTES, FileRejected
from bma_pipeline.intake.workbook_ledger import workbook_rows
from bma_pipeline.intake.workbooks import read_workbook

# sheets (canonical name → parsed rows) → per sheet, its quarantine rows
SheetJudge = Callable[[Mapping[str, pd.DataFrame]], Mapping[str, pd.DataFrame]]


@dataclass(frozen=True)
class SheetProblem:
    """Why one row of one sheet would be quarantined (every reason of the row)."""

    sheet: str
    row_number: int
    codes: str
    message_th: str
    message_en: str


@dataclass
class WorkbookCheckResult:
    path: Path
    kind: Workbook
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


def read_sheets(path: Path, kind: Workbook) -> dict[str, pd.DataFrame] | None:
    """The parsed rows of each sheet as intake stores them, or None when intake would reject
    the file."""
    try:
        tables = read_workbook(Path(path), kind)
    except FileRejected:
        return None
    rows = workbook_rows(tables, kind)
    return {name: frame.reset_index(drop=True) for name, frame in rows.groupby("sheet")}


def check_workbook(
    path: Path,
    kind: Workbook,
    unit_code: str,
    judge: SheetJudge,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> WorkbookCheckResult:
    """Read `path` as a workbook of `kind` and judge it with `judge`; write nothing."""
    result = WorkbookCheckResult(path=Path(path), kind=kind, unit_code=unit_code)
    try:
        tables = read_workbook(result.path, kind, max_bytes=max_bytes)
    except FileRejected as exc:
        result.rejection = exc
        return result
    result.ignored_sheets = tables.ignored
    rows = workbook_rows(tables, kind)
    sheets = {name: frame.reset_index(drop=True) for name, frame in rows.groupby("sheet")}
    result.rows_by_sheet = {name: len(frame) for name, frame in sheets.items()}
    verdicts = judge(sheets)
    for sheet in (layout.name for layout in kind.sheets):
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


def format_workbook_check(result: WorkbookCheckResult) -> str:
    """What `check-plan` and `check-minutes` print: one block per problem, then the verdict."""
    labels = {layout.name: layout.label_th for layout in result.kind.sheets}
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
        lines.append(
            f"(sheets not part of {result.kind.name}, left aside: "
            f"{', '.join(result.ignored_sheets)})"
        )
    if result.rows_by_sheet:
        counts = ", ".join(f"{name} {n}" for name, n in result.rows_by_sheet.items())
        lines.append(f"rows read: {counts}")
    lines.append(result.verdict)
    return "\n".join(lines)
