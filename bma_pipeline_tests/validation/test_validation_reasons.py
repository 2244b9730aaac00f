"""The reason table: stable codes, and messages that name the column and value."""

from __future__ import annotations

import pandas as pd
import pytest

from bma_pipeline.validation.reasons import (
    COLUMN_LABELS_TH,
    REASONS,
    SENTENCE_SEPARATOR,
    render_message,
    render_messages,
)

STABLE_CODES = {
    "missing_value",
    "not_a_number",
    "negative_value",
    "bad_fiscal_year",
    "ce_fiscal_year",
    "fiscal_year_out_of_range",
    "bad_period",
    "period_year_mismatch",
    "bad_status",
    "bad_date",
    "bad_code_format",
    "unknown_unit",
    "unit_mismatch",
    "unknown_kpi",
    "not_assigned",
    "duplicate_in_file",
}
FIELDS = {"value": "x", "folder": "1001", "policy": "P001", "years": "2567", "key_year": "2566"}


def test_reason_codes_are_the_stable_set() -> None:
    assert set(REASONS) == STABLE_CODES


@pytest.mark.parametrize("code", sorted(STABLE_CODES))
def test_every_template_names_column_and_value_without_the_separator(code: str) -> None:
    reason = REASONS[code]
    for template in (reason.message_th, reason.message_en):
        assert "{column}" in template and "'{value}'" in template
        assert SENTENCE_SEPARATOR not in template
    assert reason.message_th.startswith("คอลัมน์ {column}: ")
    assert reason.message_en.startswith("column {column}: ")
    assert reason.column in COLUMN_LABELS_TH


def test_thai_message_uses_the_thai_header() -> None:
    assert render_message("not_a_number", "actual_value", "th", value="สิบ") == (
        "คอลัมน์ ผลการดำเนินงาน: 'สิบ' ไม่ใช่ตัวเลข"
    )
    assert render_message("not_a_number", "actual_value", "en", value="สิบ") == (
        "column actual_value: 'สิบ' is not a number"
    )


def test_code_format_message_says_what_a_good_code_looks_like() -> None:
    message = render_message("bad_code_format", "kpi_code", "en", value="K12")

    assert message == "column kpi_code: 'K12' is not a valid code (K and four digits such as K0001)"


@pytest.mark.parametrize("code", sorted(STABLE_CODES))
@pytest.mark.parametrize("language", ["th", "en"])
def test_vectorised_rendering_equals_one_by_one(code: str, language: str) -> None:
    column = REASONS[code].column
    fields = {
        "value": pd.Series(["สิบ", "-1"]),
        "folder": pd.Series(["1001", "1002"]),
        "policy": pd.Series(["P001", "P002"]),
        "key_year": pd.Series(["2566", "2565"]),
        "fiscal_year": pd.Series(["2567", "2566"]),
        "years": "2567, 2568",
    }

    rendered = render_messages(code, column, language, fields).tolist()

    assert rendered == [
        render_message(
            code,
            column,
            language,
            **{k: v if isinstance(v, str) else v[i] for k, v in fields.items()},
        )
        for i in range(2)
    ]


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="language"):
        render_message("bad_date", "reported_on", "fr", value="x")
