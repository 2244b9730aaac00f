"""A unit's template, filled in and checked, is what intake and validation accept."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from bma_pipeline.cli import main
from bma_pipeline.fiscal import Period
from bma_pipeline.intake.check import check_file
from bma_pipeline.intake.headers import canonical_column
from bma_pipeline.intake.ledger import ingest_landing
from bma_pipeline.intake.template import write_template
from bma_pipeline.validation.apply import validate_pending_files
from bma_pipeline.warehouse import connect
from bma_sample.catalogue import sample_catalogue

# The template's layout, written out by hand: title on row 1, headers on row 2.
HEADERS = [
    "รหัสหน่วยงาน",
    "ปีงบประมาณ",
    "งวดที่",
    "รหัสตัวชี้วัด",
    "ชื่อตัวชี้วัด",
    "หน่วยนับ",
    "บทบาท (H/R)",
    "เป้าหมายทั้งปี",
    "ผลการดำเนินงาน",
    "งบประมาณที่ใช้ (บาท)",
    "สถานะ",
    "ปัญหาอุปสรรค",
    "วันที่รายงาน",
    "ผู้รายงาน",
]
COL = {header: index for index, header in enumerate(HEADERS, start=1)}
FIRST_DATA_ROW = 3


@pytest.fixture(scope="module")
def catalog():
    return sample_catalogue()


@pytest.fixture(scope="module")
def with_plans(plan_warehouse):
    """The commands' `--warehouse` argument: a warehouse holding the sample plans."""
    return ["--warehouse", plan_warehouse]


def _expected_kpis(catalog, unit_code: str, fiscal_year: int) -> list[str]:
    targets = catalog.targets
    chosen = targets[(targets["unit_code"] == unit_code) & (targets["fiscal_year"] == fiscal_year)]
    return sorted(chosen["kpi_code"])


def _fill(path: Path) -> dict[str, tuple[float, float, str]]:
    """Type values as a person would; return kpi_code → (actual, budget, status) typed."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["แบบรายงาน"]
    statuses = [("กำลังดำเนินการ", "in_progress"), ("แล้วเสร็จ", "completed")]
    filled = {}
    for n, row in enumerate(range(FIRST_DATA_ROW, sheet.max_row + 1)):
        kpi = sheet.cell(row, COL["รหัสตัวชี้วัด"]).value
        actual, budget = float(n * 3 + 1), 1000.0 * n
        thai, status = statuses[n % 2]
        sheet.cell(row, COL["ผลการดำเนินงาน"], actual)
        sheet.cell(row, COL["งบประมาณที่ใช้ (บาท)"], budget)
        sheet.cell(row, COL["สถานะ"], thai)
        sheet.cell(row, COL["วันที่รายงาน"], "15/12/2565")
        sheet.cell(row, COL["ผู้รายงาน"], "นางสาวตัวอย่าง 02-000-0000")
        filled[kpi] = (actual, budget, status)
    workbook.save(path)
    return filled


def test_template_headers_and_prefilled_rows(tmp_path: Path, catalog) -> None:
    path = write_template("1001", Period(2566, 2), tmp_path / "t.xlsx", catalog)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames[0] == "แบบรายงาน"
    sheet = workbook["แบบรายงาน"]
    title = sheet.cell(1, 1).value
    assert "สำนักงานเขตพระนคร" in title and "2566-P2" in title and "2566" in title
    assert [cell.value for cell in sheet[2]] == HEADERS
    kpis = [sheet.cell(r, COL["รหัสตัวชี้วัด"]).value for r in range(3, sheet.max_row + 1)]
    assert kpis == _expected_kpis(catalog, "1001", 2566)
    first = {header: sheet.cell(3, COL[header]).value for header in HEADERS}
    assert (first["รหัสหน่วยงาน"], first["ปีงบประมาณ"], first["งวดที่"]) == ("1001", 2566, 2)
    # K0001 is "street lights repaired", counted in lamps; 1001 is R on P001 with target 290.
    assert first["รหัสตัวชี้วัด"] == "K0001"
    assert first["ชื่อตัวชี้วัด"] == "ไฟฟ้าแสงสว่างที่ได้รับการซ่อมแซม"
    assert (first["หน่วยนับ"], first["บทบาท (H/R)"], first["เป้าหมายทั้งปี"]) == ("ดวง", "R", 290)
    assert first["ผลการดำเนินงาน"] is None
    lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert lists and lists[0].formula1 == '"ยังไม่เริ่ม,กำลังดำเนินการ,แล้วเสร็จ,ล่าช้า"'


def test_informative_columns_are_not_mapped_to_canonical_columns() -> None:
    for header in ("ชื่อตัวชี้วัด", "หน่วยนับ", "บทบาท (H/R)", "เป้าหมายทั้งปี"):
        assert canonical_column(header) is None, header


@pytest.mark.parametrize(("unit_code", "period_key"), [("1001", "2566-P2"), ("DDS", "2566-P3")])
def test_filled_template_passes_check_and_is_accepted_by_intake(
    tmp_path: Path, catalog, capsys, unit_code: str, period_key: str, with_plans
) -> None:
    landing = tmp_path / "landing"
    path = landing / unit_code / f"{period_key}.xlsx"
    assert (
        main(
            [
                *["template", "--unit", unit_code, "--period", period_key, "--out", str(path)],
                *with_plans,
            ]
        )
        == 0
    )
    filled = _fill(path)
    n = len(_expected_kpis(catalog, unit_code, 2566))
    assert len(filled) == n

    capsys.readouterr()
    assert main([*["check", str(path), "--unit", unit_code], *with_plans]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == f"accepted: {n} rows"

    with connect(str(tmp_path / "w.duckdb")) as wh:
        intake = ingest_landing(wh, landing, set(catalog.units["unit_code"]), settle_seconds=0)
        assert (intake.files_ingested, intake.rows_ingested) == (1, n)
        report = validate_pending_files(wh, catalog)
        assert (report.rows_accepted, report.rows_quarantined) == (n, 0)
        rows = wh.query(
            "select kpi_code, unit_code, fiscal_year, period_no, actual_value, "
            "budget_spent_baht, status, reported_on, raw_cells from raw.submission_rows"
        )
    period = Period.from_key(period_key)
    assert set(rows["unit_code"]) == {unit_code}
    assert set(rows["fiscal_year"]) == {2566} and set(rows["period_no"]) == {period.period_no}
    stored = {
        r.kpi_code: (r.actual_value, r.budget_spent_baht, r.status)
        for r in rows.itertuples(index=False)
    }
    assert stored == filled
    assert set(pd.to_datetime(rows["reported_on"]).dt.date) == {date(2022, 12, 15)}
    # The informative columns travel in raw_cells only.
    assert "ชื่อตัวชี้วัด" in rows["raw_cells"].iloc[0]


def test_one_bad_value_is_named_by_row_and_column(
    tmp_path: Path, catalog, capsys, with_plans
) -> None:
    path = write_template("1001", Period(2566, 2), tmp_path / "1001.xlsx", catalog)
    _fill(path)
    workbook = openpyxl.load_workbook(path)
    workbook["แบบรายงาน"].cell(7, COL["ผลการดำเนินงาน"], "สิบ")  # the fifth KPI, sheet row 7
    workbook.save(path)
    n = len(_expected_kpis(catalog, "1001", 2566))

    result = check_file(path, "1001", catalog)
    assert (result.n_rows, result.n_accepted, result.n_quarantined) == (n, n - 1, 1)
    [problem] = result.problems
    assert (problem.row_number, problem.column, problem.header, problem.code) == (
        7,
        "actual_value",
        "ผลการดำเนินงาน",
        "not_a_number",
    )
    assert "'สิบ'" in problem.message_en and "ไม่ใช่ตัวเลข" in problem.message_th

    capsys.readouterr()
    assert main([*["check", str(path), "--unit", "1001"], *with_plans]) == 1
    out = capsys.readouterr().out
    assert "1001.xlsx row 7, column actual_value (ผลการดำเนินงาน): not_a_number" in out
    assert "'สิบ' is not a number" in out and "'สิบ' ไม่ใช่ตัวเลข" in out
    assert out.strip().splitlines()[-1] == f"{n - 1} of {n} rows would be accepted; 1 quarantined"


def test_file_the_ledger_would_reject_fails_the_check(tmp_path: Path, capsys, with_plans) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("หมายเหตุ,ข้อความ\nไม่มี,หัวตาราง\n", encoding="utf-8")
    assert main([*["check", str(path), "--unit", "1001"], *with_plans]) == 1
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "rejected: the file would not be ingested (no_header)"
    )


def test_usage_errors_exit_2(tmp_path: Path, capsys, with_plans) -> None:
    assert main([*["check", str(tmp_path / "missing.xlsx"), "--unit", "1001"], *with_plans]) == 2
    path = write_template("1001", Period(2566, 1), tmp_path / "t.xlsx", sample_catalogue())
    assert main([*["check", str(path), "--unit", "9999"], *with_plans]) == 2
    out = tmp_path / "x.xlsx"
    assert (
        main(
            [*["template", "--unit", "9999", "--period", "2566-P1", "--out", str(out)], *with_plans]
        )
        == 2
    )
    assert (
        main(
            [*["template", "--unit", "1001", "--period", "2566-P9", "--out", str(out)], *with_plans]
        )
        == 2
    )
    assert (
        main(
            [*["template", "--unit", "1001", "--period", "2599-P1", "--out", str(out)], *with_plans]
        )
        == 2
    )
    assert not out.exists()
