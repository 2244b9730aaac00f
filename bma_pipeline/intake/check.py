"""Check a submission file before sending it: what intake and validation would say.

What belongs here: reading one file exactly as intake does (``read_submission``, then
``parse_submission_rows``), judging its rows with validation's contract as if they came
from the unit's landing folder, and reporting every problem by row and column with the
Thai and English messages the quarantine would store. Nothing is written: no warehouse,
no ledger. What does not belong here: the rules (``bma_pipeline.validation``) or printing
(the ``bma-pipeline check`` command formats a ``CheckResult``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from bma_pipeline.columns import SUBMISSION
from bma_pipeline.intake.parse import parse_submission_rows
from bma_pipeline.intake.readers import DEFAULT_MAX_BYTES, FileRejected, SheetTable, read_submission
from bma_pipeline.plans.in_force import PlanInForce
from bma_pipeline.reference.catalog import Catalog
from bma_pipeline.validation.quarantine import (
    build_quarantine,
    find_failures,
    validate_submission_rows,
)
from bma_pipeline.validation.schemas import prepare_submission_rows

CHECK_FILE_ID = 0
_COLUMN_RANK = {column: rank for rank, column in enumerate(SUBMISSION.names)}


@dataclass(frozen=True)
class Problem:
    """One reason one row would be quarantined."""

    row_number: int  # 1-based row in the file or sheet, as Excel shows it
    column: str | None  # canonical column, e.g. actual_value
    header: str | None  # that column's header text in the file, e.g. ผลการดำเนินงาน
    code: str  # reason code, e.g. not_a_number
    message_th: str
    message_en: str


@dataclass
class CheckResult:
    """What intake and validation would make of one file sent by one unit."""

    path: Path
    unit_code: str
    rejection: FileRejected | None = None
    n_rows: int = 0
    n_quarantined: int = 0
    n_skipped_rows: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def n_accepted(self) -> int:
        return self.n_rows - self.n_quarantined

    @property
    def accepted(self) -> bool:
        """True when the file would be ingested and every row accepted."""
        return self.rejection is None and self.n_quarantined == 0

    @property
    def verdict(self) -> str:
        if self.rejection is not None:
            return f"rejected: the file would not be ingested ({self.rejection.code})"
        if self.n_quarantined == 0:
            return f"accepted: {self.n_rows} rows"
        return (
            f"{self.n_accepted} of {self.n_rows} rows would be accepted; "
            f"{self.n_quarantined} quarantined"
        )


def check_file(
    path: Path,
    unit_code: str,
    catalog: PlanInForce | Catalog,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> CheckResult:
    """Read, parse and validate `path` as if unit `unit_code` had sent it, against the plan in
    force (`plans.store.read_plan_in_force`, read-only); write nothing."""
    result = CheckResult(path=Path(path), unit_code=unit_code)
    try:
        table = read_submission(result.path, max_bytes=max_bytes)
    except FileRejected as exc:
        result.rejection = exc
        return result
    rows = parse_submission_rows(table, unit_code)
    rows.insert(0, "file_id", CHECK_FILE_ID)
    rows["file_id"] = rows["file_id"].astype("Int64")
    quarantine = validate_submission_rows(rows, catalog)
    result.n_rows = len(rows)
    result.n_quarantined = len(quarantine)
    result.n_skipped_rows = table.n_skipped_rows
    result.problems = _problems(rows, quarantine, table, catalog)
    return result


def _problems(
    rows: pd.DataFrame,
    quarantine: pd.DataFrame,
    table: SheetTable,
    catalog: PlanInForce | Catalog,
) -> list[Problem]:
    """Every (row, column, reason) of the quarantined rows, each with its own messages.

    The quarantine joins a row's sentences into one message; here each failure is rendered
    alone by giving the contract's quarantine builder one copy of the row per failure.
    """
    if quarantine.empty:
        return []
    prepared = prepare_submission_rows(rows, catalog)
    failures = find_failures(prepared, catalog)
    positions = failures["position"].to_numpy()
    one_each = build_quarantine(
        rows.iloc[positions].reset_index(drop=True),
        prepared.iloc[positions].reset_index(drop=True),
        failures.assign(position=range(len(failures))),
        catalog,
    ).sort_index()
    headers = {}
    for header, column in zip(table.headers, table.columns, strict=True):
        if column is not None:
            headers.setdefault(column, header)
    problems = [
        Problem(
            row_number=int(entry.row_number),
            column=column,
            header=headers.get(column),
            code=str(entry.reason_codes),
            message_th=str(entry.message_th),
            message_en=str(entry.message_en),
        )
        for entry, column in zip(
            one_each.itertuples(index=False), failures["column"].tolist(), strict=True
        )
    ]
    # Rows the quarantine holds but no single failure explains keep the joined message.
    explained = {problem.row_number for problem in problems}
    for entry in quarantine.itertuples(index=False):
        if int(entry.row_number) not in explained:
            problems.append(
                Problem(
                    int(entry.row_number),
                    None,
                    None,
                    str(entry.reason_codes),
                    str(entry.message_th),
                    str(entry.message_en),
                )
            )
    return sorted(
        problems,
        key=lambda p: (p.row_number, _COLUMN_RANK.get(p.column or "", 99), p.code),
    )


def format_result(result: CheckResult) -> str:
    """The report `bma-pipeline check` prints: one block per problem, then the verdict."""
    name = result.path.name
    lines: list[str] = []
    if result.rejection is not None:
        lines.append(f"{result.rejection.code}: {result.rejection.message_en}")
        lines.append(f"  {result.rejection.message_th}")
    for problem in result.problems:
        where = f"{name} row {problem.row_number}"
        if problem.column:
            header = f" ({problem.header})" if problem.header else ""
            where += f", column {problem.column}{header}"
        lines.append(f"{where}: {problem.code}")
        lines.append(f"  th: {problem.message_th}")
        lines.append(f"  en: {problem.message_en}")
    if result.n_skipped_rows:
        lines.append(
            f"({result.n_skipped_rows} blank, description or TOTAL rows skipped, as intake does)"
        )
    lines.append(result.verdict)
    return "\n".join(lines)
