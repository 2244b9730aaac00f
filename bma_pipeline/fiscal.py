"""Fiscal-year and bi-monthly period arithmetic.

The BMA fiscal year runs 1 October – 30 September and is named by the
Buddhist-Era year in which it ends (FY2566 = 2022-10-01 … 2023-09-30). Each year
has six bi-monthly periods: P1 Oct–Nov, P2 Dec–Jan, …, P6 Aug–Sep. Everything
here is plain calendar arithmetic; no I/O and no time zones (all dates are
Asia/Bangkok calendar dates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

BE_OFFSET = 543
PERIODS_PER_YEAR = 6
# Days after a period ends until its submission is due. The one definition: the settings
# resource, the schedules, the CLI and the generator take it from here; dbt_project.yml's
# deadline_days default equals it (a test holds the two equal).
DEFAULT_DEADLINE_DAYS = 10

# Abbreviated Thai month names (ม.ค. … ธ.ค.), January first, as on BMA documents.
THAI_MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)

_PERIOD_KEY = re.compile(r"^\s*(\d{4})\s*-\s*[Pp]\s*([1-6])\s*$")


def be_to_ce(year_be: int) -> int:
    return year_be - BE_OFFSET


def ce_to_be(year_ce: int) -> int:
    return year_ce + BE_OFFSET


@dataclass(frozen=True, order=True)
class Period:
    """One bi-monthly reporting period of a fiscal year."""

    fiscal_year: int  # BE
    period_no: int  # 1..6

    def __post_init__(self) -> None:
        if not 1 <= self.period_no <= PERIODS_PER_YEAR:
            raise ValueError(f"period_no must be 1–6, got {self.period_no}")

    @property
    def key(self) -> str:
        return f"{self.fiscal_year}-P{self.period_no}"

    @property
    def start_date(self) -> date:
        # P1 starts on 1 October of the CE year before the fiscal year ends.
        month_index = 9 + 2 * (self.period_no - 1)  # 0-based months from January of start year
        year_ce = be_to_ce(self.fiscal_year) - 1 + month_index // 12
        return date(year_ce, month_index % 12 + 1, 1)

    @property
    def end_date(self) -> date:
        return self.next().start_date - timedelta(days=1)

    def due_date(self, deadline_days: int = DEFAULT_DEADLINE_DAYS) -> date:
        """Last calendar day (Bangkok) on which a submission counts as on time."""
        return self.end_date + timedelta(days=deadline_days)

    def previous(self) -> Period:
        if self.period_no == 1:
            return Period(self.fiscal_year - 1, PERIODS_PER_YEAR)
        return Period(self.fiscal_year, self.period_no - 1)

    def next(self) -> Period:
        if self.period_no == PERIODS_PER_YEAR:
            return Period(self.fiscal_year + 1, 1)
        return Period(self.fiscal_year, self.period_no + 1)

    @classmethod
    def from_key(cls, key: str) -> Period:
        match = _PERIOD_KEY.match(key)
        if not match:
            raise ValueError(f"not a period key like '2566-P2': {key!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Period:
        """The period whose months contain a calendar date."""
        fiscal_year_ce = day.year + 1 if day.month >= 10 else day.year
        months_into_year = (day.month - 10) % 12
        return cls(ce_to_be(fiscal_year_ce), months_into_year // 2 + 1)


def periods_of_year(fiscal_year: int) -> list[Period]:
    return [Period(fiscal_year, p) for p in range(1, PERIODS_PER_YEAR + 1)]


def parse_period_range(text: str) -> list[int]:
    """'1-3' → [1, 2, 3]; '2' → [2]; '1,3,5' → [1, 3, 5]."""
    numbers: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            low, high = (int(x) for x in part.split("-", 1))
            numbers.update(range(low, high + 1))
        elif part:
            numbers.add(int(part))
    bad = sorted(n for n in numbers if not 1 <= n <= PERIODS_PER_YEAR)
    if bad or not numbers:
        raise ValueError(f"periods must be within 1–6, got {text!r}")
    return sorted(numbers)
