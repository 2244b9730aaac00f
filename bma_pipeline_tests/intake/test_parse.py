"""Original cell texts → the raw.submission_rows frame."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bma_pipeline.intake.headers import canonical_column
from bma_pipeline.intake.parse import (
    parse_periods,
    parse_status,
    parse_submission_rows,
    raw_cells_json,
)
from bma_pipeline.intake.readers import SheetTable, read_submission

FIXTURES = Path(__file__).parent / "fixtures"

# docs/ARCHITECTURE.md, raw.submission_rows, without file_id (the ledger adds it).
EXPECTED_COLUMNS = [
    "row_number",
    "unit_folder",
    "raw_cells",
    "raw_unit_code",
    "raw_fiscal_year",
    "raw_period_no",
    "raw_kpi_code",
    "raw_actual_value",
    "raw_budget_spent_baht",
    "raw_status",
    "raw_obstacles",
    "raw_reported_on",
    "raw_reporter",
    "unit_code",
    "fiscal_year",
    "period_no",
    "period_key_fiscal_year",
    "kpi_code",
    "actual_value",
    "budget_spent_baht",
    "status",
    "obstacles",
    "reported_on",
    "reporter",
]


def table_of(headers: list[str], rows: list[list[str | None]]) -> SheetTable:
    frame = pd.DataFrame(rows, columns=headers, dtype=object)
    frame = frame.astype(object).where(frame.notna(), None)
    frame["row_number"] = list(range(2, len(rows) + 2))
    return SheetTable(
        headers=headers,
        columns=[canonical_column(h) for h in headers],
        header_row_number=1,
        rows=frame,
        n_skipped_rows=0,
        encoding="utf-8",
        sheet_name=None,
    )


def one_row(**cells: str | None) -> pd.Series:
    return parse_submission_rows(table_of(list(cells), [list(cells.values())]), "1001").iloc[0]


def test_columns_are_exactly_those_of_raw_submission_rows() -> None:
    frame = parse_submission_rows(read_submission(FIXTURES / "utf8_thai_headers.csv"), "1001")
    assert list(frame.columns) == EXPECTED_COLUMNS
    assert str(frame["fiscal_year"].dtype) == "Int64"
    assert str(frame["period_no"].dtype) == "Int64"
    assert str(frame["period_key_fiscal_year"].dtype) == "Int64"
    assert frame["actual_value"].dtype == "float64"
    assert frame["row_number"].dtype == "int64"


def test_utf8_fixture_parses_to_the_expected_values() -> None:
    frame = parse_submission_rows(read_submission(FIXTURES / "utf8_thai_headers.csv"), "1001")
    first = frame.iloc[0]
    assert first["unit_folder"] == "1001"
    assert first["raw_budget_spent_baht"] == "316,050,200.00"
    assert first["budget_spent_baht"] == 316_050_200.0
    assert (first["unit_code"], first["fiscal_year"], first["period_no"]) == ("1001", 2566, 2)
    assert first["kpi_code"] == "K0001"
    assert first["actual_value"] == 12.5
    assert first["status"] == "in_progress"
    assert first["reported_on"] == date(2022, 12, 15)
    assert first["reporter"] == "สมชาย ใจดี"
    assert pd.isna(first["period_key_fiscal_year"])
    second = frame.iloc[1]
    assert second["actual_value"] == 80.0
    assert second["status"] == "completed"
    assert second["obstacles"] is None and second["raw_obstacles"] is None


def test_thai_digit_fixture_parses_to_arabic_values() -> None:
    frame = parse_submission_rows(read_submission(FIXTURES / "thai_digits_separators.csv"), "1004")
    first, second = frame.iloc[0], frame.iloc[1]
    assert first["raw_unit_code"] == "๑๐๐๔"
    assert (first["unit_code"], first["fiscal_year"], first["period_no"]) == ("1004", 2566, 2)
    assert first["kpi_code"] == "K0007"
    assert first["actual_value"] == 1234.5
    assert first["reported_on"] == date(2022, 12, 15)
    # '#N/A' and '-' keep their text and parse to null: validation decides what they mean.
    assert second["raw_actual_value"] == "#N/A" and math.isnan(second["actual_value"])
    assert second["raw_budget_spent_baht"] == "-" and math.isnan(second["budget_spent_baht"])
    assert second["reported_on"] == date(2026, 8, 1)


def test_xlsx_be_formatted_dates_stay_ce_through_parsing() -> None:
    frame = parse_submission_rows(read_submission(FIXTURES / "be_date_format.xlsx"), "1006")
    assert frame["reported_on"].tolist() == [
        date(2022, 12, 15),
        date(2022, 12, 15),
        date(2023, 1, 31),
    ]
    assert frame["actual_value"].tolist() == [5.0, 6.0, 45.0]


def test_english_headers_and_a_ce_year_made_unambiguous_by_the_period_key() -> None:
    frame = parse_submission_rows(read_submission(FIXTURES / "utf8_bom_english.csv"), "1002")
    first = frame.iloc[0]
    assert first["raw_fiscal_year"] == "2023"
    assert first["fiscal_year"] == 2566
    assert first["period_no"] == 3 and first["period_key_fiscal_year"] == 2566
    assert first["kpi_code"] == "K0003"
    assert frame.iloc[1]["status"] == "delayed"


@pytest.mark.parametrize(
    ("fiscal_year", "period", "expected_year", "expected_key_year"),
    [
        ("2023", "2566-P2", 2566, 2566),  # CE, and the key says which BE year: unambiguous
        ("2023", "2", 2023, None),  # CE without a key: kept, validation rejects it
        ("2022", "2566-P2", 2022, 2566),  # CE that disagrees with the key: kept as given
        ("2566", "2567-P1", 2566, 2567),  # BE that disagrees: kept as given
        (None, "2566-P2", None, 2566),  # blank year stays blank (missing_value)
        ("๒๕๖๖", "๒๕๖๖-P๑", 2566, 2566),
        ("พ.ศ. 2566", "1", 2566, None),
    ],
)
def test_fiscal_year_rules(
    fiscal_year: str | None,
    period: str,
    expected_year: int | None,
    expected_key_year: int | None,
) -> None:
    row = one_row(fiscal_year=fiscal_year, period_no=period)
    assert (None if pd.isna(row["fiscal_year"]) else row["fiscal_year"]) == expected_year
    key_year = row["period_key_fiscal_year"]
    assert (None if pd.isna(key_year) else key_year) == expected_key_year


@pytest.mark.parametrize(
    ("text", "period_no", "key_year"),
    [
        ("1", 1, None),
        ("๖", 6, None),
        ("2.0", 2, None),
        ("P2", 2, None),
        ("p 2", 2, None),
        ("งวดที่ 2", 2, None),
        ("งวด ๓", 3, None),
        ("2566-P2", 2, 2566),
        ("2566P4", 4, 2566),
        ("2/2566", 2, 2566),
        ("งวดที่ 2/2566", 2, 2566),
        ("7", 7, None),  # out of range: kept for validation to reject
        ("2566-P7", 7, 2566),
        ("สอง", None, None),
        ("2.5", None, None),
        (None, None, None),
    ],
)
def test_period_spellings(text: str | None, period_no: int | None, key_year: int | None) -> None:
    parsed = parse_periods(pd.Series([text], dtype=object)).iloc[0]
    assert (None if pd.isna(parsed["period_no"]) else parsed["period_no"]) == period_no
    found_year = parsed["period_key_fiscal_year"]
    assert (None if pd.isna(found_year) else found_year) == key_year


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("ยังไม่เริ่ม", "not_started"),
        ("กำลังดำเนินการ", "in_progress"),
        ("อยู่ระหว่างดำเนินการ", "in_progress"),
        ("แล้วเสร็จ", "completed"),
        ("ล่าช้า", "delayed"),
        ("Not started", "not_started"),
        ("IN_PROGRESS", "in_progress"),
        (" completed ", "completed"),
        ("Delayed", "delayed"),
        ("ไม่แน่ใจ", None),
        ("", None),
        (None, None),
    ],
)
def test_status_words(text: str | None, status: str | None) -> None:
    assert parse_status(pd.Series([text], dtype=object)).iloc[0] == status


def test_codes_are_normalised() -> None:
    row = one_row(unit_code=" ๑๐๐๑ ", kpi_code="k0001")
    assert (row["raw_unit_code"], row["unit_code"], row["kpi_code"]) == (" ๑๐๐๑ ", "1001", "K0001")
    assert one_row(unit_code="1001.0", kpi_code="K1")["unit_code"] == "1001"
    assert one_row(unit_code="pwd", kpi_code="K1")["unit_code"] == "PWD"


def test_absent_optional_columns_are_null() -> None:
    row = one_row(unit_code="1001", fiscal_year="2566", period_no="2", kpi_code="K0001")
    for column in ("raw_actual_value", "raw_status", "raw_reporter", "status", "reporter"):
        assert row[column] is None
    assert math.isnan(row["actual_value"])
    assert row["reported_on"] is None


def test_two_headers_for_one_column_take_the_first_non_blank() -> None:
    frame = parse_submission_rows(
        table_of(["งวด", "งวดที่", "kpi_code"], [[None, "3", "K1"], ["2", "5", "K2"]]), "1001"
    )
    assert frame["period_no"].tolist() == [3, 2]


HOSTILE = [
    '=HYPERLINK("http://example.com","คลิก")',
    "'; DROP TABLE raw.submission_rows; --",
    "ก" * 10_000,
    'quote " backslash \\ tab \t newline \n nul \x00 end',
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_cell_text_is_kept_verbatim(text: str) -> None:
    row = one_row(unit_code="1001", kpi_code="K1", obstacles=text, reporter=text)
    assert row["raw_obstacles"] == text
    assert json.loads(row["raw_cells"])["obstacles"] == text


def test_raw_cells_is_a_json_object_of_every_original_cell() -> None:
    table = read_submission(FIXTURES / "formula_cached.xlsx")
    frame = parse_submission_rows(table, "1005")
    assert json.loads(frame["raw_cells"].iloc[1]) == {
        "unit_code": "1005",
        "fiscal_year": "2566",
        "period_no": "4",
        "kpi_code": "K0010",
        "actual_value": None,
        "part": "5",
    }
    thai = parse_submission_rows(read_submission(FIXTURES / "cp874_thai.csv"), "1003")
    # Thai stays Thai in the ledger (ensure_ascii=False), so operators can read it.
    assert "ยังไม่เริ่ม" in thai["raw_cells"].iloc[0]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(min_size=1), st.one_of(st.none(), st.text())), min_size=1, max_size=20
    )
)
def test_raw_cells_round_trips_any_text(cells: list[tuple[str, str | None]]) -> None:
    by_header = dict(cells)
    rows = pd.DataFrame([list(by_header.values())], columns=list(by_header), dtype=object)
    encoded = raw_cells_json(rows, list(by_header)).iloc[0]
    assert json.loads(encoded) == by_header


def test_parsing_many_files_at_once_gives_each_file_its_own_rows() -> None:
    from bma_pipeline.intake.parse import parse_many

    fixtures = [
        ("utf8_thai_headers.csv", "1001"),
        ("utf8_bom_english.csv", "1002"),
        ("cp874_thai.csv", "1003"),
        ("thai_digits_separators.csv", "1004"),
        ("be_date_format.xlsx", "1006"),
        ("formula_cached.xlsx", "1005"),
    ]
    items = [(read_submission(FIXTURES / name), folder) for name, folder in fixtures]
    # Two hand-made files that share some cell texts and differ in headers.
    items.append((table_of(["period", "kpi_code", "status"], [["2566-P2", "K1", "done"]]), "A"))
    items.append(
        (
            table_of(
                ["งวดที่", "ปีงบประมาณ", "ผลการดำเนินงาน"],
                [["2566-P2", "2023", "1,200"], ["๓", "2566", "-"]],
            ),
            "B",
        )
    )
    batch = parse_many(items)
    assert len(batch) == len(items)
    for (table, folder), frame in zip(items, batch, strict=True):
        alone = parse_submission_rows(table, folder)
        pd.testing.assert_frame_equal(frame, alone)
        assert list(frame.columns) == EXPECTED_COLUMNS
        assert frame.index.tolist() == list(range(len(table.rows)))
        assert set(frame["unit_folder"]) == {folder}
    a, b = batch[-2], batch[-1]
    assert (a.at[0, "period_no"], a.at[0, "status"]) == (2, "completed")
    assert a.at[0, "fiscal_year"] is pd.NA
    # A CE year beside a BE period key is read as that BE year; '๓' is period 3.
    assert b["fiscal_year"].tolist() == [2566, 2566]
    assert b["period_no"].tolist() == [2, 3]
    assert b["actual_value"].iloc[0] == 1200.0 and math.isnan(b["actual_value"].iloc[1])
    assert parse_many([]) == []
