"""The feedback file a unit receives lists exactly its quarantined rows, as text."""

from pathlib import Path

import openpyxl

from bma_pipeline.intake.ledger import ingest_landing
from bma_pipeline.validation.apply import validate_pending_files
from bma_pipeline.validation.feedback import write_feedback_files
from bma_pipeline.warehouse import connect
from bma_sample.catalogue import sample_catalogue

HEADER = "รหัสหน่วยงาน,ปีงบประมาณ,งวดที่,รหัสตัวชี้วัด,ผลการดำเนินงาน,ปัญหาอุปสรรค\n"


def test_feedback_lists_the_units_quarantined_rows_with_thai_messages(tmp_path: Path):
    catalog = sample_catalogue()
    targets = catalog.targets[catalog.targets["fiscal_year"] == 2566]
    kpi, other_kpi = targets[targets["unit_code"] == "1001"]["kpi_code"].iloc[:2]
    landing = tmp_path / "landing"
    (landing / "1001").mkdir(parents=True)
    (landing / "1001" / "p1.csv").write_text(
        HEADER
        + f"1001,2566,1,{kpi},12,\n"  # accepted
        + '1001,2566,1,K9999,"=HYPERLINK(""http://x"")",\n'  # unknown KPI, not a number
        + f"1002,2566,1,{other_kpi},-3,\n",  # another unit's code, negative value
        encoding="utf-8",
    )
    (landing / "1002").mkdir()
    (landing / "1002" / "p1.csv").write_text(HEADER + "1002,2566,1,K9999,1,\n", encoding="utf-8")
    warehouse = str(tmp_path / "w.duckdb")
    with connect(warehouse) as wh:
        ingest_landing(wh, landing, set(catalog.units["unit_code"]), settle_seconds=0)
        validate_pending_files(wh, catalog)
    with connect(warehouse, read_only=True) as wh:
        paths = write_feedback_files(wh, tmp_path / "feedback", "2566-P1")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in paths) == [
        "feedback/2566-P1/1001.xlsx",
        "feedback/2566-P1/1002.xlsx",
    ]
    book = openpyxl.load_workbook(tmp_path / "feedback" / "2566-P1" / "1001.xlsx")
    summary = {r[0]: r[1] for r in book["สรุป"].iter_rows(min_row=4, values_only=True)}
    assert summary["แถวที่ได้รับ (rows received)"] == 3
    assert summary["แถวที่ผ่าน (rows accepted)"] == 1
    assert summary["แถวที่ถูกกักกัน (rows quarantined)"] == 2
    rows = list(book["แถวที่ถูกกักกัน"].iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[1]) for r in rows] == [("1001/p1.csv", 3), ("1001/p1.csv", 4)]
    assert "unknown_kpi" in rows[0][4] and "not_a_number" in rows[0][4]
    assert "unit_mismatch" in rows[1][4] and "negative_value" in rows[1][4]
    assert "ไม่ใช่ตัวเลข" in rows[0][5]
    # The hostile cell is stored as text, not as a formula.
    cell = book["แถวที่ถูกกักกัน"].cell(row=3, column=4)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'
    # A unit never sees another unit's rows.
    other = openpyxl.load_workbook(tmp_path / "feedback" / "2566-P1" / "1002.xlsx")
    other_rows = list(other["แถวที่ถูกกักกัน"].iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in other_rows] == ["1002/p1.csv"]


def test_a_run_for_one_period_also_refreshes_periods_whose_files_changed(tmp_path: Path):
    catalog = sample_catalogue()
    targets = catalog.targets[catalog.targets["fiscal_year"] == 2566]
    kpi = targets[targets["unit_code"] == "1001"]["kpi_code"].iloc[0]
    landing, out = tmp_path / "landing", tmp_path / "feedback"
    (landing / "1001").mkdir(parents=True)
    warehouse = str(tmp_path / "w.duckdb")

    def land_and_write(name: str, period_no: int) -> list[str]:
        (landing / "1001" / name).write_text(
            HEADER + f"1001,2566,{period_no},{kpi},{len(name)},\n", encoding="utf-8"
        )
        with connect(warehouse) as wh:
            ingest_landing(wh, landing, set(catalog.units["unit_code"]), settle_seconds=0)
            validate_pending_files(wh, catalog)
        with connect(warehouse, read_only=True) as wh:
            paths = write_feedback_files(wh, out, "2566-P2")
        return sorted(p.relative_to(out).as_posix() for p in paths)

    # P1 and P2 files arrive in one run for P2: both periods get their feedback.
    (landing / "1001" / "p1.csv").write_text(HEADER + f"1001,2566,1,{kpi},4,\n", encoding="utf-8")
    assert land_and_write("p2.csv", 2) == ["2566-P1/1001.xlsx", "2566-P2/1001.xlsx"]
    # Nothing new for P1: only the run's own period is rewritten.
    assert land_and_write("p2_again.csv", 2) == ["2566-P2/1001.xlsx"]
    # A late P1 resubmission: P1's feedback is rewritten and now lists both files.
    assert land_and_write("p1_fix.csv", 1) == ["2566-P1/1001.xlsx", "2566-P2/1001.xlsx"]
    book = openpyxl.load_workbook(out / "2566-P1" / "1001.xlsx")
    listed = [r[0] for r in book["ไฟล์ที่ได้รับ"].iter_rows(min_row=3, values_only=True)]
    assert listed == ["1001/p1.csv", "1001/p1_fix.csv"]
