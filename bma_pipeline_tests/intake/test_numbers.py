"""Cell text → numbers: Thai digits, separators, percent signs and missing markers."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bma_pipeline.intake.numbers import (
    is_missing_marker,
    normalise_thai_digits,
    parse_integers,
    parse_numbers,
)

ARABIC_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12.0),
        ("12.5", 12.5),
        ("316,050,200.00", 316_050_200.0),
        ("๓๑๖,๐๕๐,๒๐๐.๐๐", 316_050_200.0),
        ("  7  ", 7.0),
        ("\u200b7", 7.0),
        ("45%", 45.0),
        ("% 45", 45.0),
        ("0.5", 0.5),
        (".5", 0.5),
        ("-3", -3.0),
        ("−3", -3.0),
        ("(1,200)", -1200.0),
        ("1e-05", 1e-05),
        ("", math.nan),
        ("-", math.nan),
        ("—", math.nan),
        ("#N/A", math.nan),
        ("N/A", math.nan),
        ("สิบ", math.nan),
        ("1,2,3", math.nan),
        ("12 กม.", math.nan),
        ("inf", math.nan),
        (None, math.nan),
    ],
)
def test_parse_numbers_reads_what_districts_write(text: str | None, expected: float) -> None:
    result = parse_numbers(pd.Series([text], dtype=object))
    assert result.dtype == "float64"
    if math.isnan(expected):
        assert math.isnan(result.iloc[0])
    else:
        assert result.iloc[0] == pytest.approx(expected)


def test_parse_numbers_keeps_index_and_accepts_non_text_input() -> None:
    values = pd.Series([12, 2.5, None, "๔"], index=[10, 11, 12, 13], dtype=object)
    result = parse_numbers(values)
    assert list(result.index) == [10, 11, 12, 13]
    assert result.tolist()[:2] == [12.0, 2.5]
    assert math.isnan(result.iloc[2])
    assert result.iloc[3] == 4.0


def test_negative_numbers_stay_negative_for_validation_to_reject() -> None:
    assert parse_numbers(pd.Series(["-1,000.5"])).iloc[0] == -1000.5


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2566", 2566), ("2566.0", 2566), ("๒๕๖๖", 2566), ("2,566", 2566), ("2566.5", None)]
    + [("", None), ("-", None), ("สองพัน", None), ("1e30", None)],
)
def test_parse_integers_accepts_whole_numbers_only(text: str, expected: int | None) -> None:
    result = parse_integers(pd.Series([text], dtype=object))
    assert str(result.dtype) == "Int64"
    if expected is None:
        assert result.isna().iloc[0]
    else:
        assert result.iloc[0] == expected


def test_missing_markers_are_recognised() -> None:
    cells = pd.Series(["#N/A", " - ", "n/a", "", None, "0", "สิบ"], dtype=object)
    assert is_missing_marker(cells).tolist() == [True, True, True, True, True, False, False]


def test_normalise_thai_digits_keeps_other_text_and_missing() -> None:
    result = normalise_thai_digits(pd.Series(["งวดที่ ๒", None, "K๐๐๐๑"], dtype=object))
    assert result.tolist() == ["งวดที่ 2", None, "K0001"]


@given(st.text(alphabet="0123456789", min_size=1, max_size=20))
def test_thai_digit_round_trip(digits: str) -> None:
    thai = digits.translate(ARABIC_TO_THAI)
    assert normalise_thai_digits(pd.Series([thai])).iloc[0] == digits


amounts = st.tuples(st.integers(min_value=0, max_value=10**12), st.integers(0, 99))


@settings(max_examples=50, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=40), st.booleans(), st.booleans())
def test_numbers_parse_the_same_in_thai_and_arabic_digits(
    values: list[tuple[int, int]], grouped: bool, thai: bool
) -> None:
    texts = [f"{w:,}.{c:02d}" if grouped else f"{w}.{c:02d}" for w, c in values]
    if thai:
        texts = [text.translate(ARABIC_TO_THAI) for text in texts]
    expected = [w + c / 100 for w, c in values]
    assert parse_numbers(pd.Series(texts)).tolist() == pytest.approx(expected)
