"""Feedback files for units: what the Strategy and Evaluation Department sends back.

One XLSX per (unit, period) with Thai headers (English beneath): the files received
with their outcome, the accepted row count, and every quarantined row with its
reasons. A unit's file holds only its own data. Cell text from submissions is
written as text, never as a formula.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from bma_pipeline.fiscal import Period
from bma_pipeline.intake.placement import period_of_rows, reporting_period_on
from bma_pipeline.warehouse import Warehouse

FILES_HEADERS = [
    ("ไฟล์", "file"),
    ("เวลาที่ได้รับ", "received at"),
    ("ผลการรับไฟล์", "outcome"),
    ("เหตุผล", "reason"),
    ("จำนวนแถว", "rows"),
]
ROWS_HEADERS = [
    ("ไฟล์", "file"),
    ("แถวที่", "row"),
    ("รหัสตัวชี้วัด", "kpi_code"),
    ("ผลการดำเนินงาน (ที่ส่ง)", "actual_value as sent"),
    ("รหัสเหตุผล", "reason codes"),
    ("คำอธิบาย", "message (Thai)"),
    ("Explanation", "message (English)"),
]


def _file_periods(wh: Warehouse) -> pd.DataFrame:
    """Each received file with the period it belongs to (its rows', else its arrival's)."""
    files = wh.query(
        "select file_id, path, unit_folder, received_at, outcome, reason, n_rows "
        "from raw.submission_files order by file_id"
    )
    rows = wh.query("select file_id, fiscal_year, period_no from raw.submission_rows")
    by_file = {file_id: group for file_id, group in rows.groupby("file_id")}
    keys = []
    for item in files.itertuples():
        period = period_of_rows(by_file[item.file_id]) if item.file_id in by_file else None
        if period is None:
            period = reporting_period_on(pd.Timestamp(item.received_at).date())
        keys.append(period.key)
    return files.assign(period_key=keys)


def _put(sheet, row: int, values: list) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if value is None or (isinstance(value, float) and pd.isna(value)):
            continue
        cell.value = value if isinstance(value, int | float) else str(value)
        if isinstance(value, str):
            cell.data_type = "s"  # text stays text: '=HYPERLINK(...)' is not a formula here


def _header(sheet, headers: list[tuple[str, str]]) -> None:
    _put(sheet, 1, [th for th, _ in headers])
    _put(sheet, 2, [en for _, en in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A3"


MANIFEST = ".files"  # per period folder: the file ids its feedback covers


def _stale_periods(files: pd.DataFrame, out_dir: Path) -> set[str]:
    """Periods whose feedback was never written or misses files received since."""
    stale = set()
    for key, group in files.groupby("period_key"):
        manifest = out_dir / key / MANIFEST
        covered = manifest.read_text(encoding="utf-8") if manifest.exists() else None
        if covered != _covered(group):
            stale.add(key)
    return stale


def _covered(files: pd.DataFrame) -> str:
    return ",".join(str(file_id) for file_id in sorted(files["file_id"]))


def write_feedback_files(wh: Warehouse, out_dir: Path, period_key: str | None = None) -> list[Path]:
    """Write <out_dir>/<period_key>/<unit_code>.xlsx for every unit with received files.

    With `period_key`, that period is written, and so is any other period whose files
    changed since its feedback was last written (a run that ingests late or back-dated
    files sends their feedback too); without, every period.
    """
    files = _file_periods(wh)
    if period_key is not None:
        keep = {period_key} | _stale_periods(files, out_dir)
        files = files[files["period_key"].isin(keep)]
    quarantined = wh.query(
        "select q.file_id, q.row_number, r.raw_kpi_code, r.raw_actual_value, "
        "q.reason_codes, q.message_th, q.message_en "
        "from raw.quarantined_rows q join raw.submission_rows r "
        "on r.file_id = q.file_id and r.row_number = q.row_number "
        "order by q.file_id, q.row_number"
    )
    written: list[Path] = []
    for (key, unit), unit_files in files.groupby(["period_key", "unit_folder"], sort=True):
        if not unit:
            continue
        mine = quarantined[quarantined["file_id"].isin(unit_files["file_id"])]
        ingested = unit_files[unit_files["outcome"] == "ingested"]
        n_received = int(ingested["n_rows"].fillna(0).sum())
        workbook = Workbook()
        summary = workbook.active
        summary.title = "สรุป"
        period = Period.from_key(key)
        _put(summary, 1, [f"ผลการตรวจรับรายงาน หน่วยงาน {unit} งวด {key}"])
        summary["A1"].font = Font(bold=True, size=14)
        _put(
            summary,
            2,
            [
                f"Submission feedback, unit {unit}, period {key} "
                f"({period.start_date:%d/%m/%Y}–{period.end_date:%d/%m/%Y})"
            ],
        )
        _put(summary, 4, ["แถวที่ได้รับ (rows received)", n_received])
        _put(summary, 5, ["แถวที่ผ่าน (rows accepted)", n_received - len(mine)])
        _put(summary, 6, ["แถวที่ถูกกักกัน (rows quarantined)", len(mine)])
        files_sheet = workbook.create_sheet("ไฟล์ที่ได้รับ")
        _header(files_sheet, FILES_HEADERS)
        for offset, item in enumerate(unit_files.itertuples(), start=3):
            _put(
                files_sheet,
                offset,
                [
                    item.path,
                    str(item.received_at),
                    item.outcome,
                    item.reason,
                    int(item.n_rows) if pd.notna(item.n_rows) else None,
                ],
            )
        rows_sheet = workbook.create_sheet("แถวที่ถูกกักกัน")
        _header(rows_sheet, ROWS_HEADERS)
        paths = dict(zip(unit_files["file_id"], unit_files["path"], strict=True))
        for offset, item in enumerate(mine.itertuples(), start=3):
            _put(
                rows_sheet,
                offset,
                [
                    paths[item.file_id],
                    int(item.row_number),
                    item.raw_kpi_code,
                    item.raw_actual_value,
                    item.reason_codes,
                    item.message_th,
                    item.message_en,
                ],
            )
        target = out_dir / key / f"{unit}.xlsx"
        target.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(target)
        written.append(target)
    for key, period_files in files.groupby("period_key"):
        (out_dir / key).mkdir(parents=True, exist_ok=True)
        (out_dir / key / MANIFEST).write_text(_covered(period_files), encoding="utf-8")
    return written
