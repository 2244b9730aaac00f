"""Cell text → dates: BE/CE years, Thai month names, two-digit BE years, Excel serials."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bma_pipeline.intake.dates import (
    be_year_to_ce,
    format_be_date,
    format_thai_date,
    parse_dates,
    two_digit_be_year_to_ce,
)

ARABIC_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
DEC_15_2022 = date(2022, 12, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-12-15", DEC_15_2022),
        ("2022-12-15 10:30:00", DEC_15_2022),
        ("2022-12-15T10:30", DEC_15_2022),
        ("2565-12-15", DEC_15_2022),
        ("15/12/2565", DEC_15_2022),
        ("15/12/2022", DEC_15_2022),
        ("15-12-2565", DEC_15_2022),
        ("5-1-2566", date(2023, 1, 5)),
        ("15/12/65", DEC_15_2022),
        ("15/12/2565 14:30 น.", DEC_15_2022),
        ("15 ธ.ค. 2565", DEC_15_2022),
        ("15 ธ.ค.2565", DEC_15_2022),
        ("15ธค2565", DEC_15_2022),
        ("15 ธ. ค. 65", DEC_15_2022),
        ("15 ธันวาคม 2565", DEC_15_2022),
        ("15 ธันวาคม พ.ศ. 2565", DEC_15_2022),
        ("๑๕ ธ.ค. ๒๕๖๕", DEC_15_2022),
        ("๑๕/๑๒/๒๕๖๕", DEC_15_2022),
        ("15 ธ.ค. 2022", DEC_15_2022),
        ("15 Dec 2022", DEC_15_2022),
        ("1 ม.ค. ค.ศ. 2023", date(2023, 1, 1)),
        ("ส.ค. 69", date(2026, 8, 1)),
        ("29/02/2567", date(2024, 2, 29)),
        ("44910", DEC_15_2022),
        ("44910.0", DEC_15_2022),
        ("  44910 ", DEC_15_2022),
    ],
)
def test_parse_dates_reads_thai_and_excel_spellings(text: str, expected: date) -> None:
    assert parse_dates(pd.Series([text], dtype=object)).iloc[0] == expected


@pytest.mark.parametrize(
    "text",
    ["", "-", "#N/A", None, "hello", "31/02/2565", "15/13/2565", "1234", "99999", "15 ฟฟ 2565"],
)
def test_unparseable_dates_are_none(text: str | None) -> None:
    assert parse_dates(pd.Series([text], dtype=object)).iloc[0] is None


def test_excel_serial_is_already_ce_and_never_shifted_by_543() -> None:
    # 44910 is 2022-12-15 in Excel's 1900 system; the BE display 15/12/2565 is only a format.
    result = parse_dates(pd.Series(["44910", "1", "60"], dtype=object))
    assert result.iloc[0] == DEC_15_2022
    assert result.iloc[0].year == 2022
    # Serials outside the plausible range are not dates at all.
    assert result.iloc[1] is None and result.iloc[2] is None


def test_parse_dates_returns_python_dates_and_keeps_the_index() -> None:
    result = parse_dates(pd.Series(["15/12/2565", None], index=["a", "b"], dtype=object))
    assert list(result.index) == ["a", "b"]
    assert type(result.iloc[0]) is date
    assert result.iloc[1] is None


def test_parse_dates_of_an_empty_column() -> None:
    assert parse_dates(pd.Series([], dtype=object)).empty


@pytest.mark.parametrize(("year", "expected"), [(2565, 2022), (2400, 1857), (2399, 2399)])
def test_be_year_to_ce(year: int, expected: int) -> None:
    assert be_year_to_ce(year) == expected


def test_two_digit_years_are_be() -> None:
    assert two_digit_be_year_to_ce(69) == 2026


dates_in_range = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))
# Each example is a whole column, so a few dozen examples cover thousands of dates quickly.
columns_of_dates = st.lists(dates_in_range, min_size=1, max_size=60)
few_examples = settings(max_examples=25, deadline=None)


@few_examples
@given(columns_of_dates, st.booleans())
def test_be_slash_dates_round_trip(days: list[date], thai_digits: bool) -> None:
    texts = [format_be_date(day) for day in days]
    if thai_digits:
        texts = [text.translate(ARABIC_TO_THAI) for text in texts]
    assert parse_dates(pd.Series(texts)).tolist() == days


@few_examples
@given(columns_of_dates, st.booleans(), st.booleans())
def test_thai_month_dates_round_trip(
    days: list[date], abbreviated: bool, thai_digits: bool
) -> None:
    texts = [format_thai_date(day, abbreviated=abbreviated) for day in days]
    if thai_digits:
        texts = [text.translate(ARABIC_TO_THAI) for text in texts]
    assert parse_dates(pd.Series(texts)).tolist() == days


@few_examples
@given(st.lists(st.dates(min_value=date(1957, 1, 1), max_value=date(2056, 12, 31)), min_size=1))
def test_two_digit_be_years_round_trip(days: list[date]) -> None:
    texts = [format_thai_date(day)[:-4] + str(day.year + 543)[-2:] for day in days]
    assert parse_dates(pd.Series(texts)).tolist() == days


@few_examples
@given(columns_of_dates)
def test_a_mixed_column_parses_each_shape(days: list[date]) -> None:
    shapes = [format_be_date, format_thai_date, date.isoformat]
    texts = [shapes[i % 3](day) for i, day in enumerate(days)]
    assert parse_dates(pd.Series(texts)).tolist() == days
