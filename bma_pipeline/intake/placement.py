"""Which reporting period a received file belongs to.

A file belongs to the period its rows report: the most common (fiscal year,
period) among rows whose year and period parse. When no row says (an unreadable
or rejected file), the file belongs to the period whose submission window it
arrived in: the latest period that had ended before it was received. So every
file is placed, and a placement by received time is reported as such.

A plan or minutes workbook touches the periods it changes (`place_workbook`): a plan, every
period of its fiscal year from the one it takes effect in; minutes, the meeting's period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from bma_pipeline.columns import Workbook
from bma_pipeline.fiscal import PERIODS_PER_YEAR, Period
from bma_pipeline.warehouse import Warehouse

BY_CONTENT = "content"
BY_RECEIVED_TIME = "received_time"
PLAUSIBLE_YEARS = (2400, 2800)  # BE fiscal years a row may report; others place nothing


@dataclass(frozen=True)
class Placement:
    period: Period
    how: str  # BY_CONTENT or BY_RECEIVED_TIME

    @property
    def key(self) -> str:
        return self.period.key


def reporting_period_on(day: date) -> Period:
    """The latest period that ended before `day`: the one being reported on that day."""
    return Period.containing(day).previous()


def period_of_rows(rows: pd.DataFrame) -> Period | None:
    """The most common plausible (fiscal_year, period_no) of parsed rows, if any."""
    if rows.empty or not {"fiscal_year", "period_no"} <= set(rows.columns):
        return None
    years = pd.to_numeric(rows["fiscal_year"], errors="coerce")
    periods = pd.to_numeric(rows["period_no"], errors="coerce")
    plausible = years.between(*PLAUSIBLE_YEARS) & periods.between(1, PERIODS_PER_YEAR)
    if not plausible.any():
        return None
    pairs = pd.DataFrame({"y": years[plausible], "p": periods[plausible]}).astype(int)
    counts = pairs.value_counts()
    # Most rows win; a tie goes to the latest period.
    best = max(counts.items(), key=lambda item: (item[1], item[0]))[0]
    return Period(int(best[0]), int(best[1]))


# Stored submission rows that report a plausible period (`period_of_rows`' rule, in SQL).
_PLAUSIBLE_ROWS = (
    f"raw.submission_rows where fiscal_year between {PLAUSIBLE_YEARS[0]} and {PLAUSIBLE_YEARS[1]} "
    f"and period_no between 1 and {PERIODS_PER_YEAR}"
)

# `period_of_rows` for every ingested file at once, in SQL (DuckDB and PostgreSQL).
_PERIODS_OF_FILES = f"""
    with counted as (
        select file_id, fiscal_year, period_no, count(*) as n_rows
        from {_PLAUSIBLE_ROWS}
        group by file_id, fiscal_year, period_no
    ),
    ranked as (
        select file_id, fiscal_year, period_no,
               row_number() over (
                   partition by file_id
                   order by n_rows desc, fiscal_year desc, period_no desc
               ) as rank_in_file
        from counted
    )
    select file_id, fiscal_year, period_no from ranked where rank_in_file = 1
"""


def periods_of_files(wh: Warehouse) -> dict[int, Period]:
    """file_id → the period its stored rows report, by the rule of `period_of_rows`; files
    whose rows place nothing are absent."""
    found = wh.query(_PERIODS_OF_FILES)
    return {
        int(f): Period(int(y), int(p))
        for f, y, p in zip(found["file_id"], found["fiscal_year"], found["period_no"], strict=True)
    }


def reported_period_keys(wh: Warehouse) -> frozenset[str]:
    """The period keys that stored submission rows report (plausible ones only)."""
    if not wh.table_exists("raw", "submission_rows"):
        return frozenset()
    found = wh.query(f"select distinct fiscal_year, period_no from {_PLAUSIBLE_ROWS}")
    return frozenset(
        Period(int(y), int(p)).key
        for y, p in zip(found["fiscal_year"], found["period_no"], strict=True)
    )


def place(rows: pd.DataFrame | None, received_at: datetime) -> Placement:
    period = period_of_rows(rows) if rows is not None else None
    if period is not None:
        return Placement(period, BY_CONTENT)
    return Placement(reporting_period_on(received_at.date()), BY_RECEIVED_TIME)


def place_file(path: Path, unit_folder: str, received_at: datetime, max_bytes: int) -> Placement:
    """Read a file as intake would (without writing anything) and place it."""
    from bma_pipeline.intake.parse import parse_submission_rows
    from bma_pipeline.intake.readers import FileRejected, read_submission

    try:
        rows = parse_submission_rows(read_submission(path, max_bytes=max_bytes), unit_folder)
    except FileRejected:
        rows = None
    return place(rows, received_at)


def place_workbook(
    path: Path, kind: Workbook, received_at: datetime, max_bytes: int
) -> list[Placement]:
    """The periods a plan or minutes workbook changes, read as intake would (nothing written);
    the reporting period of its received time when it names none."""
    from bma_pipeline.intake.readers import FileRejected
    from bma_pipeline.intake.workbook_ledger import workbook_rows
    from bma_pipeline.intake.workbooks import read_workbook

    try:
        rows = workbook_rows(read_workbook(path, kind, max_bytes=max_bytes), kind)
    except FileRejected:
        rows = None
    header = rows[rows["sheet"] == kind.header_sheet.name] if rows is not None else None
    periods: list[Period] = []
    if header is not None and not header.empty:
        if kind.name == "plan":
            from bma_pipeline.plans.rules import plan_year_and_period

            year, first = plan_year_and_period(header.reset_index(drop=True))
            if year is not None and PLAUSIBLE_YEARS[0] <= year <= PLAUSIBLE_YEARS[1]:
                periods = [Period(year, n) for n in range(first, PERIODS_PER_YEAR + 1)]
        else:
            from bma_pipeline.minutes.rules import meeting_period

            period = meeting_period(header.reset_index(drop=True))
            periods = [period] if period is not None else []
    if periods:
        return [Placement(period, BY_CONTENT) for period in periods]
    return [Placement(reporting_period_on(received_at.date()), BY_RECEIVED_TIME)]
