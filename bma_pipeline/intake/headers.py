"""The one alias table from header text to canonical column, and header-row detection.

What belongs here: every spelling of a submission header we accept (the Thai
headers of the template, the canonical English names and their natural
variants), the normalisation that makes matching insensitive to case, spaces,
underscores, punctuation and a UTF-8 BOM, and finding the header row below title
rows and merged banners. What does not: reading files (``readers.py``) or cell
values (``parse.py``). Add a new spelling here and nowhere else.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

CANONICAL_COLUMNS: tuple[str, ...] = (
    "unit_code",
    "fiscal_year",
    "period_no",
    "kpi_code",
    "actual_value",
    "budget_spent_baht",
    "status",
    "obstacles",
    "reported_on",
    "reporter",
)
REQUIRED_COLUMNS: tuple[str, ...] = (
    "unit_code",
    "fiscal_year",
    "period_no",
    "kpi_code",
    "actual_value",
)
# A row is the header when it names at least this many required columns.
MIN_REQUIRED_IN_HEADER = 3

# Canonical column → accepted header spellings (matched after normalise_header).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "unit_code": (
        "รหัสหน่วยงาน",
        "รหัสหน่วย",
        "รหัสสำนักงานเขต",
        "รหัสเขต",
        "unit_code",
        "unit code",
        "unit id",
    ),
    "fiscal_year": (
        "ปีงบประมาณ",
        "ปีงบประมาณ พ.ศ.",
        "ปีงบ",
        "ปี งปม.",
        "fiscal_year",
        "fiscal year",
        "fiscal year (BE)",
        "FY",
    ),
    "period_no": (
        "งวดที่",
        "งวด",
        "งวดการรายงาน",
        "รอบการรายงาน",
        "period_no",
        "period no",
        "period number",
        "period",
        "period key",
    ),
    "kpi_code": (
        "รหัสตัวชี้วัด",
        "รหัส KPI",
        "kpi_code",
        "KPI code",
        "KPI id",
        "indicator code",
    ),
    "actual_value": (
        "ผลการดำเนินงาน",
        "ผลดำเนินงาน",
        "ผลการดำเนินการ",
        "ผลงาน",
        "actual_value",
        "actual value",
        "actual",
        "result",
    ),
    "budget_spent_baht": (
        "งบประมาณที่ใช้ (บาท)",
        "งบประมาณที่ใช้",
        "งบประมาณที่ใช้ไป (บาท)",
        "งบประมาณที่ใช้ไป",
        "งบที่ใช้ (บาท)",
        "budget_spent_baht",
        "budget spent (baht)",
        "budget spent",
        "budget_spent",
        "budget (baht)",
    ),
    "status": (
        "สถานะ",
        "สถานะการดำเนินงาน",
        "status",
    ),
    "obstacles": (
        "ปัญหาอุปสรรค",
        "ปัญหา/อุปสรรค",
        "ปัญหาและอุปสรรค",
        "obstacles",
        "obstacle",
        "issues",
    ),
    "reported_on": (
        "วันที่รายงาน",
        "reported_on",
        "reported on",
        "report date",
        "date reported",
    ),
    "reporter": (
        "ผู้รายงาน",
        "ชื่อผู้รายงาน",
        "reporter",
        "reported by",
    ),
}


def normalise_header(header: str) -> str:
    """Letters, digits and Thai vowel/tone marks only, case-folded: 'Budget spent (baht)' →
    'budgetspentbaht', '\\ufeffรหัส หน่วยงาน' → 'รหัสหน่วยงาน'."""
    # NFKC also unifies the two spellings of sara am (ำ and ํา) and full-width letters.
    text = unicodedata.normalize("NFKC", header).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LNM")


_ALIAS_INDEX: dict[str, str] = {}
for _column, _aliases in HEADER_ALIASES.items():
    for _alias in (_column, *_aliases):
        _key = normalise_header(_alias)
        if _ALIAS_INDEX.setdefault(_key, _column) != _column:
            raise ValueError(f"header alias {_alias!r} maps to two columns")


def canonical_column(header: str | None) -> str | None:
    """The canonical column a header text names, or None when it names none."""
    if header is None:
        return None
    return _ALIAS_INDEX.get(normalise_header(str(header)))


def find_header_row(rows: Sequence[Sequence[str | None]], max_scan: int = 30) -> int | None:
    """Index of the first row (within max_scan) naming at least three required columns."""
    required = set(REQUIRED_COLUMNS)
    for index, row in enumerate(rows[:max_scan]):
        named = {canonical_column(cell) for cell in row if cell is not None}
        if len(named & required) >= MIN_REQUIRED_IN_HEADER:
            return index
    return None
