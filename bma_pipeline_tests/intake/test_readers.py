"""Reading submission files: one fixture per real-world shape and per rejection."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from bma_pipeline.intake.readers import (
    FileRejected,
    SheetTable,
    check_zip_bomb,
    detect_encoding,
    format_number,
    is_unrecognised_date_format,
    read_submission,
    serial_to_iso,
)
from bma_pipeline.intake.readers import _cell_text as cell_text

FIXTURES = Path(__file__).parent / "fixtures"
THAI_HEADERS = [
    "รหัสหน่วยงาน",
    "ปีงบประมาณ",
    "งวดที่",
    "รหัสตัวชี้วัด",
    "ผลการดำเนินงาน",
    "งบประมาณที่ใช้ (บาท)",
    "สถานะ",
    "ปัญหาอุปสรรค",
    "วันที่รายงาน",
    "ผู้รายงาน",
]
ALL_CANONICAL = [
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
]


def records(table: SheetTable) -> list[dict[str, object]]:
    return table.rows.to_dict(orient="records")


# ------------------------------------------------------------------ CSV shapes


def test_utf8_csv_with_thai_headers() -> None:
    table = read_submission(FIXTURES / "utf8_thai_headers.csv")
    assert table.encoding == "utf-8"
    assert table.sheet_name is None
    assert table.headers == THAI_HEADERS
    assert table.columns == ALL_CANONICAL
    assert table.header_row_number == 1
    assert table.n_skipped_rows == 0
    assert list(table.rows.columns) == [*THAI_HEADERS, "row_number"]
    first, second = records(table)
    assert first["row_number"] == 2
    assert first["งบประมาณที่ใช้ (บาท)"] == "316,050,200.00"
    assert first["ผู้รายงาน"] == "สมชาย ใจดี"
    assert second["ผลการดำเนินงาน"] == "80%"
    assert second["ปัญหาอุปสรรค"] is None
    assert second["row_number"] == 3


def test_utf8_bom_csv_with_english_header_variants() -> None:
    table = read_submission(FIXTURES / "utf8_bom_english.csv")
    assert table.encoding == "utf-8-sig"
    assert table.headers[0] == "Unit Code"  # the BOM is not part of the header
    assert table.columns == ALL_CANONICAL
    assert records(table)[0]["Period"] == "2566-P3"


def test_cp874_file_is_not_mojibake() -> None:
    table = read_submission(FIXTURES / "cp874_thai.csv")
    assert table.encoding == "cp874"
    assert table.headers == THAI_HEADERS
    first, second = records(table)
    assert first["สถานะ"] == "ยังไม่เริ่ม"
    assert first["ปัญหาอุปสรรค"] == "รอจัดซื้อจัดจ้าง"
    assert first["วันที่รายงาน"] == "30 พ.ย. 2565"
    assert first["ผู้รายงาน"] == "นางสาวใจดี มีสุข"
    assert second["สถานะ"] == "ล่าช้า"
    assert second["ผู้รายงาน"] is None


def test_thai_digits_and_separators_are_kept_as_written() -> None:
    first, second = records(read_submission(FIXTURES / "thai_digits_separators.csv"))
    assert first["รหัสหน่วยงาน"] == "๑๐๐๔"
    assert first["ผลการดำเนินงาน"] == "๑,๒๓๔.๕๐"
    assert first["วันที่รายงาน"] == "๑๕ ธ.ค. ๒๕๖๕"
    assert second["ผลการดำเนินงาน"] == "#N/A"
    assert second["งบประมาณที่ใช้ (บาท)"] == "-"


def test_title_rows_description_row_total_row_and_blank_rows_are_skipped() -> None:
    table = read_submission(FIXTURES / "title_description_total.csv")
    assert table.header_row_number == 4
    # Skipped: description (5), blank (7), 'รวม' (9), blank (10), empty line (11).
    assert table.n_skipped_rows == 5
    assert table.rows["row_number"].tolist() == [6, 8]
    assert table.rows["รหัสตัวชี้วัด"].tolist() == ["K0001", "K0002"]


def test_first_data_row_with_codes_is_not_taken_for_a_description(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "unit_code,fiscal_year,period_no,kpi_code,actual_value,obstacles\n"
        "1001,สองห้าหกหก,สอง,K0001,สิบ,ไม่มี\n",
        encoding="utf-8",
    )
    table = read_submission(path)
    assert table.n_skipped_rows == 0
    assert table.rows["row_number"].tolist() == [2]


def test_semicolon_delimited_csv(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("unit_code;fiscal_year;period_no;kpi_code\n1001;2566;2;K0001\n")
    table = read_submission(path)
    assert records(table)[0]["kpi_code"] == "K0001"


def test_repeated_blank_and_reserved_headers_get_unique_names(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "unit_code,fiscal_year,period_no,kpi_code,สถานะ,สถานะ,,row_number\n"
        "1001,2566,2,K0001,a,b,c,d,extra\n",
        encoding="utf-8",
    )
    table = read_submission(path)
    assert table.headers[4:] == ["สถานะ", "สถานะ_2", "column_7", "row_number_2", "column_9"]
    assert table.columns[4:] == ["status", "status", None, None, None]
    row = records(table)[0]
    assert (row["สถานะ_2"], row["column_7"], row["row_number_2"], row["column_9"]) == (
        "b",
        "c",
        "d",
        "extra",
    )
    assert row["row_number"] == 2


def test_quoted_multiline_cell_keeps_record_numbers(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        'unit_code,fiscal_year,period_no,kpi_code,obstacles\n1001,2566,2,K0001,"บรรทัด 1\nบรรทัด 2"\n'
        "1001,2566,2,K0002,\n",
        encoding="utf-8",
    )
    table = read_submission(path)
    assert records(table)[0]["obstacles"] == "บรรทัด 1\nบรรทัด 2"
    assert table.rows["row_number"].tolist() == [2, 3]


def test_detect_encoding() -> None:
    assert detect_encoding("ก".encode("utf-8-sig")) == "utf-8-sig"
    assert detect_encoding("ก".encode()) == "utf-8"
    assert detect_encoding("ก".encode("cp874")) == "cp874"


# ------------------------------------------------------------------ XLSX shapes


def test_xlsx_template_sheet_with_title_rows_and_merged_banner() -> None:
    table = read_submission(FIXTURES / "title_banner.xlsx")
    assert table.encoding is None
    assert table.sheet_name == "แบบรายงาน ผลการดำเนินงาน"  # not the instructions sheet
    assert table.header_row_number == 5
    assert table.headers == THAI_HEADERS
    # Skipped: description (6), blank (10), 'รวม' (11), styled empty rows (12, 13).
    assert table.n_skipped_rows == 5
    assert table.rows["row_number"].tolist() == [7, 8, 9]
    first, second, third = records(table)
    assert first["รหัสหน่วยงาน"] == "1001"
    assert first["ปีงบประมาณ"] == "2566"
    assert second["ปีงบประมาณ"] == "2566"  # a float 2566.0 in the sheet: no spurious '.0'
    assert first["ผลการดำเนินงาน"] == "12.5"
    assert first["งบประมาณที่ใช้ (บาท)"] == "316050200"
    assert first["วันที่รายงาน"] == "2022-12-15"
    assert second["ปัญหาอุปสรรค"] == '=HYPERLINK("x")'
    assert third["งบประมาณที่ใช้ (บาท)"] is None


def test_xlsx_formula_cells_give_their_cached_values() -> None:
    table = read_submission(FIXTURES / "formula_cached.xlsx")
    first, second = records(table)
    assert first["actual_value"] == "42"
    # A formula saved without a computed value (never opened in Excel) reads as blank.
    assert second["actual_value"] is None
    assert table.columns[-1] is None  # the 'part' helper column is kept, unmapped


def test_xlsx_be_date_formats_hold_ce_dates() -> None:
    table = read_submission(FIXTURES / "be_date_format.xlsx")
    assert table.sheet_name == "submission"
    dates = table.rows["reported_on"].tolist()
    # Shown as 15/12/2565, ๒๕๖๕ and 31 ม.ค. 66 in Thai Excel; stored as CE serials.
    assert dates == ["2022-12-15", "2022-12-15", "2023-01-31"]
    # A cell formatted '0%' shows 45%: the figure the unit typed, not the fraction.
    assert table.rows["actual_value"].tolist() == ["5", "6", "45%"]


def test_serials_follow_the_workbook_date_system() -> None:
    assert serial_to_iso(44910) == "2022-12-15"
    assert serial_to_iso(1) == "1900-01-01"
    assert serial_to_iso(61) == "1900-03-01"  # after Excel's phantom 29 Feb 1900
    assert serial_to_iso(43448, datetime(1904, 1, 1)) == "2022-12-15"
    assert serial_to_iso(0) is None


def test_thai_builtin_date_format_id_is_a_ce_date() -> None:
    cell = SimpleNamespace(
        value=44910, number_format="General", style_array=SimpleNamespace(numFmtId=71)
    )
    assert cell_text(cell) == "2022-12-15"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("  ", None),
        ("ข้อความ", "ข้อความ"),
        (True, "TRUE"),
        (2566, "2566"),
        (2566.0, "2566"),
        (0.1, "0.1"),
        (datetime(2022, 12, 15), "2022-12-15"),
        (datetime(2022, 12, 15, 9, 30), "2022-12-15 09:30:00"),
    ],
)
def test_cell_text(value: object, expected: str | None) -> None:
    cell = SimpleNamespace(value=value, number_format="General")
    assert cell_text(cell) == expected


@pytest.mark.parametrize(
    ("number_format", "expected"),
    [
        ("bbbb", True),
        ("[$-107041E]bbbb", True),
        ("[$-1070000]#,##0", False),
        ("#,##0.00", False),
        ("0%", False),
        ('"bb"0', False),
        (None, False),
    ],
)
def test_unrecognised_thai_date_formats(number_format: str | None, expected: bool) -> None:
    assert is_unrecognised_date_format(number_format) is expected


def test_format_number() -> None:
    assert [format_number(v) for v in (2566.0, 12.5, 7, 316050200.0)] == [
        "2566",
        "12.5",
        "7",
        "316050200",
    ]


# ------------------------------------------------------------------ rejections


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("report.pdf", "unsupported_extension"),
        ("empty.csv", "empty_file"),
        ("header_only.csv", "empty_file"),
        ("no_header.csv", "no_header"),
        ("corrupt.xlsx", "corrupt_xlsx"),
        ("password_protected.xlsx", "corrupt_xlsx"),
        ("zip_bomb.xlsx", "zip_bomb"),
    ],
)
def test_unreadable_files_are_rejected_with_a_reason(name: str, code: str) -> None:
    with pytest.raises(FileRejected) as caught:
        read_submission(FIXTURES / name)
    assert caught.value.code == code
    assert name in caught.value.message_en
    assert name in caught.value.message_th
    assert caught.value.message_en in str(caught.value)
    assert caught.value.message_th in str(caught.value)


@pytest.mark.parametrize("name", ["plan.doc", "plan.xls", "plan", "plan.txt"])
def test_other_extensions_are_rejected(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("unit_code,fiscal_year,period_no\n")
    with pytest.raises(FileRejected, match="unsupported_extension"):
        read_submission(path)


def test_upper_case_extension_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "P2.CSV"
    path.write_bytes((FIXTURES / "utf8_thai_headers.csv").read_bytes())
    assert len(read_submission(path).rows) == 2


def test_file_larger_than_the_limit_is_rejected() -> None:
    with pytest.raises(FileRejected) as caught:
        read_submission(FIXTURES / "utf8_thai_headers.csv", max_bytes=100)
    assert caught.value.code == "file_too_large"


def test_whitespace_only_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(" \n,,,\n\n")
    with pytest.raises(FileRejected, match="empty_file"):
        read_submission(path)


@pytest.mark.parametrize(
    "content",
    [b"unit_code,kpi_code\x00\x00", "รหัสหน่วยงาน".encode("cp874") + b"\xfc\xfd\xfe"],
)
def test_bytes_that_are_not_text_are_unreadable(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(content)
    with pytest.raises(FileRejected, match="unreadable_file"):
        read_submission(path)


def test_zip_bomb_total_size_is_checked_before_opening(tmp_path: Path) -> None:
    workbook = FIXTURES / "formula_cached.xlsx"
    check_zip_bomb(workbook)  # a normal workbook passes
    with zipfile.ZipFile(workbook) as archive:
        total = sum(member.file_size for member in archive.infolist())
    with pytest.raises(FileRejected, match="zip_bomb"):
        check_zip_bomb(workbook, max_uncompressed=total - 1)
