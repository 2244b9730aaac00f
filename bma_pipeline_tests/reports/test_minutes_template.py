"""minutes-template → fill in → check-minutes → minutes intake, on the report run's warehouse:
the template holds the period, the H unit's supporting units, the pack's decision items and
every commitment still open; unfilled it is refused, filled it is accepted whole by intake."""

from __future__ import annotations

import shutil
from datetime import datetime

import openpyxl
import pandas as pd
import pytest

from bma_pipeline.cli import main
from bma_pipeline.columns import MINUTES
from bma_pipeline.intake.workbook_ledger import ingest_workbooks
from bma_pipeline.minutes.apply import validate_pending_minutes
from bma_pipeline.validation.workbook_check import read_sheets
from bma_pipeline.warehouse import connect
from bma_pipeline.workbook_writer import FIRST_DATA_ROW

from .conftest import ReportRun

PERIOD = "2566-P2"


@pytest.fixture(scope="module")
def template(report_run: ReportRun, tmp_path_factory) -> tuple[str, object]:
    out = tmp_path_factory.mktemp("minutes") / f"{PERIOD}_minutes.xlsx"
    unit = report_run.meeting_unit
    args = ["--unit", unit, "--period", PERIOD, "--out", str(out)]
    assert main(["minutes-template", *args, "--warehouse", report_run.warehouse]) == 0
    return unit, out


def _expected(report_run: ReportRun, unit: str) -> dict[str, list]:
    with report_run.read() as wh:
        support = wh.query(
            """
            select distinct r.unit_code from marts.dim_assignment h
            join marts.dim_assignment r on r.policy_code = h.policy_code
             and r.fiscal_year = h.fiscal_year and r.role = 'R'
             and 2 between r.valid_from_period and r.valid_to_period
            where h.unit_code = :unit and h.role = 'H' and h.fiscal_year = 2566
              and 2 between h.valid_from_period and h.valid_to_period and r.unit_code <> :unit
            """,
            {"unit": unit},
        )
        open_ids = wh.query(
            "select distinct commitment_id from marts.mart_commitments where h_unit_code = :unit "
            "and made_period_no < 2 and status_now in ('open', 'overdue')",
            {"unit": unit},
        )
        decision_kpis = wh.query(
            """
            select distinct s.kpi_code from marts.rpt_kpi_units_by_status s
            join marts.dim_kpi k on k.kpi_code = s.kpi_code
            join marts.dim_assignment h on h.policy_code = k.policy_code and h.role = 'H'
             and h.fiscal_year = 2566 and 2 between h.valid_from_period and h.valid_to_period
            where s.fiscal_year = 2566 and s.period_no = 2 and s.is_decision_item
              and h.unit_code = :unit
            """,
            {"unit": unit},
        )
    return {
        "support": sorted(support["unit_code"]),
        "open": sorted(open_ids["commitment_id"]),
        "decision_kpis": sorted(decision_kpis["kpi_code"]),
    }


def test_the_template_holds_the_period_units_decision_items_and_open_commitments(
    report_run: ReportRun, template
):
    unit, path = template
    expected = _expected(report_run, unit)
    sheets = read_sheets(path, MINUTES)
    assert sheets is not None
    meeting = sheets["meeting"]
    assert meeting[["period_key", "period_fiscal_year"]].values.tolist() == [[2, 2566]]
    assert sorted(sheets["attendance"]["unit_code"]) == expected["support"]
    assert expected["support"], "the meeting unit has supporting units"
    updates = sheets.get("updates", pd.DataFrame(columns=["commitment_id", "status"]))
    assert sorted(updates["commitment_id"]) == expected["open"]
    assert set(updates["status"]) <= {"open"}
    texts = list(sheets["decisions"]["text"])
    kpi_items = [t for t in texts if t.split(" ", 1)[0] in expected["decision_kpis"]]
    assert len(kpi_items) == len(expected["decision_kpis"])
    assert list(sheets["decisions"]["decision_no"]) == list(range(1, len(texts) + 1))


def test_the_unfilled_template_is_refused_for_its_blank_meeting_date(
    report_run: ReportRun, template, capsys
):
    unit, path = template
    capsys.readouterr()
    code = main(["check-minutes", str(path), "--unit", unit, "--warehouse", report_run.warehouse])
    out = capsys.readouterr().out
    assert code == 1
    assert "sheet meeting" in out and "missing_value" in out


def _fill(path, unit: str, owner: str) -> None:
    book = openpyxl.load_workbook(path)
    row = FIRST_DATA_ROW + 1  # Excel's 1-based row of the first data row

    def sheet(name: str):
        return book[MINUTES.sheet(name).label_th]

    def column(name: str, column: str) -> int:
        return [c.name for c in MINUTES.sheet(name).columns].index(column) + 1

    sheet("meeting").cell(row, column("meeting", "meeting_date"), "05/02/2566")
    attendance = sheet("attendance")
    for r in range(row, attendance.max_row + 1):
        if attendance.cell(r, 1).value:
            attendance.cell(r, column("attendance", "present"), "ใช่")
    commitments = sheet("commitments")
    for name, value in {"commitment_id": f"{unit}-TEST-1", "action": "ติดตามผล",
                        "owner_unit": owner, "due_date": "31/03/2566",
                        "policy_code": None}.items():  # fmt: skip
        if value is not None:
            commitments.cell(row, column("commitments", name), value)
    updates = sheet("updates")
    if updates.cell(row, 1).value:
        updates.cell(row, column("updates", "status"), "ดำเนินการแล้วเสร็จ")
    book.save(path)


def test_the_filled_template_passes_check_minutes_and_intake_takes_it_whole(
    report_run: ReportRun, template, tmp_path, capsys
):
    unit, source = template
    with report_run.read() as wh:
        pairs = wh.query(
            """
            select h.policy_code, r.unit_code from marts.dim_assignment h
            join marts.dim_assignment r on r.policy_code = h.policy_code
             and r.fiscal_year = h.fiscal_year and r.role = 'R' and r.unit_code <> h.unit_code
             and 2 between r.valid_from_period and r.valid_to_period
            where h.unit_code = :unit and h.role = 'H' and h.fiscal_year = 2566
              and 2 between h.valid_from_period and h.valid_to_period
            order by h.policy_code, r.unit_code
            """,
            {"unit": unit},
        )
    policy, owner = (str(v) for v in pairs.iloc[0])  # a supporting unit of a policy it leads
    landing = tmp_path / "landing"
    path = landing / unit / "meetings" / source.name
    path.parent.mkdir(parents=True)
    shutil.copy(source, path)
    _fill(path, unit, owner)
    book = openpyxl.load_workbook(path)
    commitments = book[MINUTES.sheet("commitments").label_th]
    index = [c.name for c in MINUTES.sheet("commitments").columns].index("policy_code") + 1
    commitments.cell(FIRST_DATA_ROW + 1, index, policy)
    book.save(path)

    capsys.readouterr()
    args = ["check-minutes", str(path), "--unit", unit, "--warehouse", report_run.warehouse]
    assert main(args) == 0, capsys.readouterr().out
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("accepted: ")

    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(report_run.warehouse, copy)
    with connect(str(copy)) as wh:
        units = set(wh.query("select unit_code from reference.units")["unit_code"])
        intake = ingest_workbooks(wh, landing, MINUTES, units, settle_seconds=0)
        assert intake.files_ingested == 1
        report = validate_pending_minutes(wh)
        file_id = intake.ingested_file_ids[0]
        quarantined = wh.scalar(
            f"select count(*) from {MINUTES.quarantine.qualified} where file_id = :f",
            {"f": file_id},
        )
        assert quarantined == 0 and report.rows_accepted == intake.rows_ingested
        date = wh.scalar(
            f"select meeting_date from {MINUTES.rows.qualified} "
            "where file_id = :f and sheet = 'meeting'",
            {"f": file_id},
        )
        assert str(date)[:10] == datetime(2023, 2, 5).date().isoformat()


def test_each_h_unit_gets_feedback_on_its_minutes(report_run: ReportRun):
    """The sample's minutes with bad rows come back to their H unit, every quarantined row
    with its sheet and reasons (the minutes_feedback asset of the run)."""
    with report_run.read() as wh:
        quarantined = wh.query(
            f"select f.unit_folder, f.path, q.sheet, q.row_number, q.reason_codes "
            f"from {MINUTES.quarantine.qualified} q join {MINUTES.files.qualified} f "
            "using (file_id) order by f.path, q.sheet, q.row_number"
        )
        senders = set(wh.query(f"select unit_folder from {MINUTES.files.qualified}")["unit_folder"])
    folder = report_run.reports / "feedback" / MINUTES.folder
    assert {p.stem for p in folder.glob("*.xlsx")} == senders
    assert not quarantined.empty, "the sample minutes include a file with bad rows"
    labels = {layout.name: layout.label_th for layout in MINUTES.sheets}
    for unit, rows in quarantined.groupby("unit_folder"):
        book = openpyxl.load_workbook(folder / f"{unit}.xlsx")
        listed = [[c.value for c in row][:4] for row in book["แถวที่ถูกกักกัน"].iter_rows(min_row=3)]
        expected = [
            [r.path, f"{labels[r.sheet]} ({r.sheet})", r.row_number, r.reason_codes]
            for r in rows.itertuples(index=False)
        ]
        assert listed == expected
