"""The submission contract: every reason code on a minimal bad row, and what is kept."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from bma_pipeline.reference.catalog import Catalog
from bma_pipeline.validation import (
    QUARANTINE_COLUMNS,
    REASONS,
    ContractError,
    QuarantineSummary,
    accepted_rows,
    validate_submission_rows,
)


def small_catalog() -> Catalog:
    """Two districts and a department; K0001/K0003 under P001, K0002 under P002."""
    text = "string"
    return Catalog(
        mission_groups=pd.DataFrame(
            {"group_code": ["G3"], "name_th": ["โครงสร้างพื้นฐาน"], "name_en": ["Infra"]},
            dtype=text,
        ),
        dimensions=pd.DataFrame(
            {"dimension_code": ["travel"], "name_th": ["เดินทางดี"], "name_en": ["travel"]},
            dtype=text,
        ),
        units=pd.DataFrame(
            {
                "unit_code": ["1001", "1002", "DDS"],
                "unit_type": ["district", "district", "department"],
                "name_th": ["เขตพระนคร", "เขตดุสิต", "สำนักการระบายน้ำ"],
                "name_en": ["Phra Nakhon", "Dusit", "Drainage and Sewerage"],
                "abbrev_th": [None, None, "สนน."],
                "group_code": [None, None, "G3"],
            },
            dtype=text,
        ),
        policies=pd.DataFrame(
            {
                "policy_code": ["P001", "P002"],
                "title_th": ["ทางเท้าดี", "ลอกคลอง"],
                "title_en": ["Footpaths", "Canal dredging"],
                "dimension_code": ["travel", "travel"],
                "group_code": ["G3", "G3"],
            },
            dtype=text,
        ),
        kpis=pd.DataFrame(
            {
                "kpi_code": ["K0001", "K0002", "K0003"],
                "policy_code": ["P001", "P002", "P001"],
                "name_th": ["ทางเท้าที่ซ่อม", "คลองที่ลอก", "ไฟส่องสว่างที่ใช้งานได้"],
                "name_en": ["Footpath repaired", "Canals dredged", "Street lights working"],
                "measure_unit_th": ["กม.", "คลอง", "%"],
                "measure_unit_en": ["km", "canals", "%"],
                "direction": ["increase", "increase", "increase"],
                "aggregation": ["sum", "sum", "last"],
                "is_percentage": pd.array([False, False, True], dtype="boolean"),
            }
        ).astype({c: text for c in ("kpi_code", "policy_code", "name_th", "name_en")}),
        assignments=pd.DataFrame(
            {
                "policy_code": ["P001", "P001", "P001", "P002"],
                "unit_code": ["DDS", "1001", "1002", "DDS"],
                "role": ["H", "R", "R", "H"],
            },
            dtype=text,
        ),
        targets=pd.DataFrame(
            {
                "fiscal_year": [2567, 2568],
                "kpi_code": pd.array(["K0001", "K0001"], dtype=text),
                "unit_code": pd.array(["1001", "1001"], dtype=text),
                "annual_target": [12.0, 14.0],
            }
        ),
        key_projects=pd.DataFrame({"fiscal_year": [2567], "policy_code": ["P001"]}),
    )


CATALOG = small_catalog()

GOOD_ROW: dict[str, object] = {
    "file_id": 7,
    "row_number": 3,
    "unit_folder": "1001",
    "raw_cells": "{}",
    "raw_unit_code": "1001",
    "raw_fiscal_year": "2567",
    "raw_period_no": "2",
    "raw_kpi_code": "K0001",
    "raw_actual_value": "1,250.5",
    "raw_budget_spent_baht": "316,050.00",
    "raw_status": "กำลังดำเนินการ",
    "raw_obstacles": "ฝนตกหนัก",
    "raw_reported_on": "15/12/2566",
    "raw_reporter": "สมชาย 081-234-5678",
    "unit_code": "1001",
    "fiscal_year": 2567,
    "period_no": 2,
    "period_key_fiscal_year": None,
    "kpi_code": "K0001",
    "actual_value": 1250.5,
    "budget_spent_baht": 316050.0,
    "status": "in_progress",
    "obstacles": "ฝนตกหนัก",
    "reported_on": date(2023, 12, 15),
    "reporter": "สมชาย 081-234-5678",
}


def submission(*rows: dict[str, object]) -> pd.DataFrame:
    """raw.submission_rows as intake hands them over, one dict of overrides per row."""
    frame = pd.DataFrame([{**GOOD_ROW, "row_number": 3 + i, **row} for i, row in enumerate(rows)])
    return frame.astype(
        {
            "file_id": "Int64",
            "row_number": "Int64",
            "fiscal_year": "Int64",
            "period_no": "Int64",
            "period_key_fiscal_year": "Int64",
            "actual_value": "float64",
            "budget_spent_baht": "float64",
        }
    )


# code, overrides of a good row, the column the message names, its Thai header, the value.
BAD_ROWS = [
    (
        "missing_value",
        {"raw_kpi_code": None, "kpi_code": None},
        "kpi_code",
        "รหัสตัวชี้วัด",
        "''",
    ),
    (
        "not_a_number",
        {"raw_actual_value": "สิบ", "actual_value": None},
        "actual_value",
        "ผลการดำเนินงาน",
        "'สิบ'",
    ),
    (
        "negative_value",
        {"raw_budget_spent_baht": "-500", "budget_spent_baht": -500.0},
        "budget_spent_baht",
        "งบประมาณที่ใช้ (บาท)",
        "'-500'",
    ),
    (
        "bad_fiscal_year",
        {"raw_fiscal_year": "ปีนี้", "fiscal_year": None},
        "fiscal_year",
        "ปีงบประมาณ",
        "'ปีนี้'",
    ),
    (
        "ce_fiscal_year",
        {"raw_fiscal_year": "2024", "fiscal_year": 2024},
        "fiscal_year",
        "ปีงบประมาณ",
        "'2024'",
    ),
    (
        "fiscal_year_out_of_range",
        {"raw_fiscal_year": "2575", "fiscal_year": 2575},
        "fiscal_year",
        "ปีงบประมาณ",
        "'2575'",
    ),
    (
        "bad_period",
        {"raw_period_no": "7", "period_no": 7},
        "period_no",
        "งวดที่",
        "'7'",
    ),
    (
        "period_year_mismatch",
        {"raw_period_no": "2566-P2", "period_no": 2, "period_key_fiscal_year": 2566},
        "period_no",
        "งวดที่",
        "'2566-P2'",
    ),
    (
        "bad_status",
        {"raw_status": "เกือบเสร็จ", "status": None},
        "status",
        "สถานะ",
        "'เกือบเสร็จ'",
    ),
    (
        "bad_date",
        {"raw_reported_on": "31/02/2566", "reported_on": None},
        "reported_on",
        "วันที่รายงาน",
        "'31/02/2566'",
    ),
    (
        "bad_code_format",
        {"raw_kpi_code": "K12", "kpi_code": "K12"},
        "kpi_code",
        "รหัสตัวชี้วัด",
        "'K12'",
    ),
    (
        "unknown_unit",
        {"unit_folder": "XYZ", "raw_unit_code": "XYZ", "unit_code": "XYZ"},
        "unit_code",
        "รหัสหน่วยงาน",
        "'XYZ'",
    ),
    (
        "unit_mismatch",
        {"raw_unit_code": "1002", "unit_code": "1002"},
        "unit_code",
        "รหัสหน่วยงาน",
        "'1002'",
    ),
    (
        "unknown_kpi",
        {"raw_kpi_code": "K9999", "kpi_code": "K9999"},
        "kpi_code",
        "รหัสตัวชี้วัด",
        "'K9999'",
    ),
    (
        "not_assigned",
        {"raw_kpi_code": "K0002", "kpi_code": "K0002"},
        "kpi_code",
        "รหัสตัวชี้วัด",
        "'K0002'",
    ),
]


def test_every_reason_code_has_a_test() -> None:
    assert {code for code, *_ in BAD_ROWS} | {"duplicate_in_file"} == set(REASONS)


@pytest.mark.parametrize(("code", "overrides", "column", "label_th", "value"), BAD_ROWS)
def test_bad_row_is_quarantined_with_its_reason(
    code: str, overrides: dict[str, object], column: str, label_th: str, value: str
) -> None:
    quarantine = validate_submission_rows(submission(overrides), CATALOG)

    assert len(quarantine) == 1
    row = quarantine.iloc[0]
    expected_codes = {code}
    if code == "unknown_unit":  # the folder XYZ is not assigned to P001 either
        expected_codes.add("not_assigned")
    assert set(row["reason_codes"].split(",")) == expected_codes
    assert f"column {column}: {value}" in row["message_en"]
    assert f"คอลัมน์ {label_th}: " in row["message_th"]
    assert value in row["message_th"]


def test_unassigned_kpi_message_names_policy_and_unit() -> None:
    quarantine = validate_submission_rows(
        submission({"raw_kpi_code": "K0002", "kpi_code": "K0002"}), CATALOG
    )

    assert quarantine.iloc[0]["message_en"] == (
        "column kpi_code: 'K0002' belongs to policy P002, which does not assign unit 1001 (H or R)"
    )


def test_same_kpi_twice_in_a_file_quarantines_both_rows() -> None:
    rows = submission({}, {"raw_actual_value": "3", "actual_value": 3.0}, {"kpi_code": "K0003"})

    quarantine = validate_submission_rows(rows, CATALOG)

    assert quarantine["row_number"].tolist() == [3, 4]
    assert quarantine["reason_codes"].tolist() == ["duplicate_in_file"] * 2
    assert "column kpi_code: 'K0001' appears more than once" in quarantine.iloc[0]["message_en"]
    assert "รหัสตัวชี้วัด: 'K0001' ซ้ำกัน" in quarantine.iloc[1]["message_th"]


def test_same_kpi_in_two_files_or_two_periods_is_not_a_duplicate() -> None:
    rows = submission({}, {"file_id": 8}, {"raw_period_no": "3", "period_no": 3})

    assert validate_submission_rows(rows, CATALOG).empty


def test_row_with_several_problems_gets_every_reason() -> None:
    rows = submission(
        {
            "raw_unit_code": "1002",
            "unit_code": "1002",
            "raw_fiscal_year": "2023",
            "fiscal_year": 2023,
            "raw_actual_value": "สิบ",
            "actual_value": None,
            "raw_budget_spent_baht": "-1",
            "budget_spent_baht": -1.0,
            "raw_status": "?",
            "status": None,
        }
    )

    row = validate_submission_rows(rows, CATALOG).iloc[0]

    assert row["reason_codes"] == (
        "bad_status,ce_fiscal_year,negative_value,not_a_number,unit_mismatch"
    )
    sentences = row["message_en"].split("; ")
    assert len(sentences) == 5
    assert sentences[0].startswith("column status: '?'")
    assert len(row["message_th"].split("; ")) == 5


def test_blank_required_cells_each_get_a_sentence() -> None:
    rows = submission(
        {"raw_unit_code": " ", "unit_code": None, "raw_actual_value": "-", "actual_value": None}
    )

    row = validate_submission_rows(rows, CATALOG).iloc[0]

    # The folder still identifies the sender; a blank code is missing, not a mismatch.
    assert row["reason_codes"] == "missing_value"
    assert row["message_en"] == (
        "column unit_code: '' is blank, but a value is required; "
        "column actual_value: '-' is blank, but a value is required"
    )


def test_missing_marker_in_an_optional_column_is_blank_not_bad() -> None:
    rows = submission({"raw_budget_spent_baht": "#N/A", "budget_spent_baht": None})

    assert validate_submission_rows(rows, CATALOG).empty


def test_code_intake_could_not_normalise_fails_its_format() -> None:
    rows = submission({"raw_unit_code": "เขต 1", "unit_code": None})

    row = validate_submission_rows(rows, CATALOG).iloc[0]

    assert row["reason_codes"] == "bad_code_format,unit_mismatch"
    assert "column unit_code: 'เขต 1' is not a valid code" in row["message_en"]


def test_mixed_file_keeps_its_good_rows() -> None:
    rows = submission(
        {},
        {"raw_kpi_code": "K9999", "kpi_code": "K9999"},
        {"kpi_code": "K0003", "raw_kpi_code": "K0003"},
        {"raw_period_no": "0", "period_no": 0, "kpi_code": "K0003", "file_id": 9},
    )
    rows.index = pd.Index([10, 11, 12, 13])

    quarantine = validate_submission_rows(rows, CATALOG)

    assert quarantine.index.tolist() == [11, 13]
    assert quarantine["reason_codes"].tolist() == ["unknown_kpi", "bad_period"]
    assert accepted_rows(rows, quarantine)["row_number"].tolist() == [3, 5]
    summary = QuarantineSummary.of(rows, quarantine)
    assert (summary.n_rows, summary.n_accepted, summary.n_quarantined) == (4, 2, 2)
    assert summary.rows_by_reason == {"bad_period": 1, "unknown_kpi": 1}


def test_all_good_rows_give_an_empty_quarantine() -> None:
    rows = submission(
        {},
        {
            "kpi_code": "K0003",
            "raw_kpi_code": "K0003",
            "status": None,
            "raw_status": None,
            "raw_reported_on": None,
            "reported_on": None,
        },
    )

    quarantine = validate_submission_rows(rows, CATALOG)

    assert quarantine.empty
    assert tuple(quarantine.columns) == QUARANTINE_COLUMNS


def test_department_code_and_thai_status_label_pass() -> None:
    rows = submission(
        {
            "unit_folder": "DDS",
            "raw_unit_code": "DDS",
            "unit_code": "DDS",
            "raw_kpi_code": "K0002",
            "kpi_code": "K0002",
        }
    )

    assert validate_submission_rows(rows, CATALOG).empty


def test_thai_messages_are_proper_utf8() -> None:
    rows = submission({"raw_actual_value": "สิบ", "actual_value": None})

    message = validate_submission_rows(rows, CATALOG).iloc[0]["message_th"]

    assert message == "คอลัมน์ ผลการดำเนินงาน: 'สิบ' ไม่ใช่ตัวเลข"
    encoded = message.encode("utf-8")
    assert encoded.decode("utf-8") == message
    assert "\u0e04" in message  # ค, a Thai code point, not cp874 bytes read as Latin-1
    assert "Ã" not in message and "à¸" not in message


def test_input_rows_are_not_modified() -> None:
    rows = submission({"raw_unit_code": "เขต 1", "unit_code": None})
    before = rows.copy()

    validate_submission_rows(rows, CATALOG)

    pd.testing.assert_frame_equal(rows, before)


def test_long_values_are_shortened_to_one_line() -> None:
    rows = submission({"raw_actual_value": "ไม่ทราบ\n" * 20, "actual_value": None})

    message = validate_submission_rows(rows, CATALOG).iloc[0]["message_en"]

    assert "\n" not in message
    assert message.endswith("…' is not a number")


def test_empty_submission_gives_an_empty_quarantine() -> None:
    rows = submission({}).iloc[:0]

    quarantine = validate_submission_rows(rows, CATALOG)

    assert quarantine.empty
    assert tuple(quarantine.columns) == QUARANTINE_COLUMNS


def test_row_without_file_id_is_a_pipeline_bug_not_a_bad_row() -> None:
    rows = submission({"file_id": None})

    with pytest.raises(ContractError, match="file_id"):
        validate_submission_rows(rows, CATALOG)


def test_rows_lacking_a_contract_column_are_refused() -> None:
    rows = submission({}).drop(columns=["raw_status"])

    with pytest.raises(ValueError, match="raw_status"):
        validate_submission_rows(rows, CATALOG)
