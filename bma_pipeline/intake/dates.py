"""Cell text → calendar dates, vectorised over a whole column.

What belongs here: the date spellings found in submissions — ISO
``2022-12-15``, ``15/12/2565`` and ``15-12-2022`` (a year ≥ 2400 is Buddhist
Era, BE = CE + 543), Thai month names and abbreviations (``15 ธ.ค. 2565``,
``15 ธันวาคม พ.ศ. 2565``, ``ส.ค. 69``), Thai digits, and Excel serial numbers
that reached us as text (``44910``). A serial is a count of days, so it is CE
already: adding 543 to it is the classic Excel BE-date bug. Each shape is
recognised by one regular expression and converted with vector operations.
What does not belong: reading Excel date cells (``readers.py`` turns them into
ISO text) and judging a date (validation).
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from bma_pipeline.intake.numbers import clean_text

BE_OFFSET = 543
# A four-digit year at or above this is Buddhist Era; below it, Common Era.
BE_THRESHOLD = 2400
# Excel serials accepted in text cells: 1954-10-03 … 2119-01-10.
SERIAL_MIN, SERIAL_MAX = 20_000, 80_000
# Excel's day 0; serial 1 is 1900-01-01 because Excel counts a 29 Feb 1900 that never was.
EXCEL_ORIGIN = pd.Timestamp("1899-12-30")

_MONTHS_TH = (
    ("มกราคม", "มค"),
    ("กุมภาพันธ์", "กพ"),
    ("มีนาคม", "มีค"),
    ("เมษายน", "เมย"),
    ("พฤษภาคม", "พค"),
    ("มิถุนายน", "มิย"),
    ("กรกฎาคม", "กค"),
    ("สิงหาคม", "สค"),
    ("กันยายน", "กย"),
    ("ตุลาคม", "ตค"),
    ("พฤศจิกายน", "พย"),
    ("ธันวาคม", "ธค"),
)
_MONTHS_EN = (
    "january february march april may june july august september october november december"
).split()
# Month token (dots and spaces removed, case-folded) → month number.
MONTH_TOKENS: dict[str, int] = {
    **{full: n for n, (full, _) in enumerate(_MONTHS_TH, start=1)},
    **{abbr: n for n, (_, abbr) in enumerate(_MONTHS_TH, start=1)},
    "กรกฏาคม": 7,  # common misspelling (ฏ for ฎ)
    **{name: n for n, name in enumerate(_MONTHS_EN, start=1)},
    **{name[:3]: n for n, name in enumerate(_MONTHS_EN, start=1)},
    "sept": 9,
}
MONTH_ABBREVIATIONS_TH: dict[int, str] = {
    n: f"{abbr[:-1]}.{abbr[-1]}." for n, (_, abbr) in enumerate(_MONTHS_TH, start=1)
}
MONTH_NAMES_TH: dict[int, str] = {n: full for n, (full, _) in enumerate(_MONTHS_TH, start=1)}

_TIME = r"(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?(?:\s*(?:น\.?|[AaPp][Mm]))?)?"
_ISO = re.compile(rf"^(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}}){_TIME}$")
_DMY = re.compile(
    rf"^(?P<d>\d{{1,2}})\s*[/\-.]\s*(?P<m>\d{{1,2}})\s*[/\-.]\s*(?P<y>\d{{4}}|\d{{2}}){_TIME}$"
)
# Day (optional), a month word with any dots/spaces, optional era, year.
_WORDY = re.compile(
    r"^(?:(?P<d>\d{1,2})\s*)?(?P<m>[^\d\s][^\d]*?)\s*"
    r"(?P<era>พ\s*\.?\s*ศ\s*\.?|ค\s*\.?\s*ศ\s*\.?|B\.?E\.?|C\.?E\.?|A\.?D\.?)?\s*"
    rf"(?P<y>\d{{4}}|\d{{2}}){_TIME}$",
    re.IGNORECASE,
)
_SERIAL = re.compile(r"^(?P<serial>\d{5})(?:\.\d+)?$")


def be_year_to_ce(year: int) -> int:
    """A four-digit year as written → CE: ≥ 2400 is BE (2565 → 2022); below is already CE."""
    return year - BE_OFFSET if year >= BE_THRESHOLD else year


def two_digit_be_year_to_ce(year: int) -> int:
    """A two-digit year is BE (Thai usage: 'ส.ค. 69' is 2569 BE) → CE (2026)."""
    return 2500 + year - BE_OFFSET


def _years_to_ce(years: pd.Series, ce_era: pd.Series | None = None) -> pd.Series:
    """Vector version of the year rules; ce_era marks years explicitly written as CE (ค.ศ.)."""
    y = pd.to_numeric(years, errors="coerce")
    two_digit = years.str.len() == 2
    explicit_ce = ce_era if ce_era is not None else pd.Series(False, index=years.index)
    four = y.where(y < BE_THRESHOLD, y - BE_OFFSET)
    two = (2000 + y).where(explicit_ce, 2500 + y - BE_OFFSET)
    return four.where(~two_digit, two)


def _assemble(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    """Build timestamps; an impossible date (31/02, month 13) becomes NaT."""
    parts = pd.DataFrame(
        {
            "year": pd.to_numeric(year, errors="coerce"),
            "month": pd.to_numeric(month, errors="coerce"),
            "day": pd.to_numeric(day, errors="coerce"),
        }
    )
    ok = parts.notna().all(axis=1) & parts["year"].between(1700, 2200)
    result = pd.Series(pd.NaT, index=parts.index, dtype="datetime64[ns]")
    if ok.any():
        result[ok] = pd.to_datetime(parts[ok].astype("int64"), errors="coerce")
    return result


def _numeric_dates(text: pd.Series, shape: re.Pattern[str]) -> pd.Series:
    parts = text.str.extract(shape)
    rows = parts[parts["y"].notna()]
    if rows.empty:
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    return _assemble(_years_to_ce(rows["y"]), rows["m"], rows["d"]).reindex(text.index)


def _serial_dates(text: pd.Series) -> pd.Series:
    days = pd.to_numeric(text.str.extract(_SERIAL)["serial"], errors="coerce")
    days = days[days.between(SERIAL_MIN, SERIAL_MAX)]
    # Serials are CE day counts: no BE correction, ever.
    return (EXCEL_ORIGIN + pd.to_timedelta(days, unit="D")).reindex(text.index)


def _worded_dates(text: pd.Series) -> pd.Series:
    parts = text.str.extract(_WORDY)
    month = parts["m"].str.replace(r"[.\s]", "", regex=True).str.casefold().map(MONTH_TOKENS)
    hit = parts["y"].notna() & month.notna()
    rows = parts[hit]
    if rows.empty:
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    era = rows["era"].fillna("").str.replace(r"[.\s]", "", regex=True).str.upper()
    years = _years_to_ce(rows["y"], era.isin(["คศ", "CE", "AD"]))
    # A bare month and year ('ส.ค. 69') is dated the first of that month.
    return _assemble(years, month[hit], rows["d"].fillna("1")).reindex(text.index)


def parse_dates(s: pd.Series) -> pd.Series:
    """Parse cell text to ``datetime.date`` (CE) per cell, or None when blank or unparseable."""
    text = clean_text(s.reset_index(drop=True)).str.replace(r"\s+", " ", regex=True)
    stamps = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    todo = text.notna() & (text != "")
    stages = (
        lambda part: _numeric_dates(part, _ISO),
        lambda part: _numeric_dates(part, _DMY),
        _serial_dates,
        _worded_dates,
    )
    for stage in stages:
        if not todo.any():
            break
        found = stage(text[todo])
        found = found[found.notna()]
        stamps[found.index] = found
        todo[found.index] = False
    dates = stamps.dt.date.astype(object).where(stamps.notna(), None)
    return dates.set_axis(s.index)


def format_be_date(day: date) -> str:
    """'15/12/2565': the dd/mm/BE spelling units use (for templates and tests)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year + BE_OFFSET}"


def format_thai_date(day: date, abbreviated: bool = True) -> str:
    """'15 ธ.ค. 2565' or '15 ธันวาคม 2565'."""
    names = MONTH_ABBREVIATIONS_TH if abbreviated else MONTH_NAMES_TH
    return f"{day.day} {names[day.month]} {day.year + BE_OFFSET}"
