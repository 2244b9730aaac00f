"""Feedback files for units: what the Strategy and Evaluation Department sends back.

One XLSX per (unit, period) with Thai headers (English beneath): the files received
with their outcome, the accepted row count, and every quarantined row with its
reasons. A unit's file holds only its own data. Cell text from submissions is
written as text, never as a formula.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from bma_pipeline.columns import (
    ACTUAL_VALUE,
    KPI_CODE,
    MESSAGE_EN,
    MESSAGE_TH,
    N_ROWS,
    OUTCOME,
    PATH,
    REASON,
    REASON_CODES,
    RECEIVED_AT,
    ROW_NUMBER,
    SHEET,
    Column,
    Workbook,
)
from bma_pipeline.fiscal import Period
from bma_pipeline.intake.placement import periods_of_files, reporting_period_on
from bma_pipeline.warehouse import Warehouse


def _headers(*columns: Column) -> list[tuple[str, str]]:
    """(Thai header, English sub-header) of each column, from the column registry."""
    return [(str(column.label_th), column.english) for column in columns]


FILES_HEADERS = _headers(PATH, RECEIVED_AT, OUTCOME, REASON, N_ROWS)
ROWS_HEADERS = _headers(
    PATH, ROW_NUMBER, KPI_CODE, ACTUAL_VALUE.raw(), REASON_CODES, MESSAGE_TH, MESSAGE_EN
)


def _file_periods(wh: Warehouse) -> pd.DataFrame:
    """Each received file with the period it belongs to (its rows', else its arrival's)."""
    files = wh.query(
        "select file_id, path, unit_folder, received_at, outcome, reason, n_rows "
        "from raw.submission_files order by file_id"
    )
    of_rows = periods_of_files(wh)
    keys = [
        (of_rows.get(int(file_id)) or reporting_period_on(pd.Timestamp(received).date())).key
        for file_id, received in zip(files["file_id"], files["received_at"], strict=True)
    ]
    return files.assign(period_key=keys)


def _text(value: object) -> object:
    """A cell value: None for missing, numbers as numbers, anything else as text."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value if isinstance(value, int | float) else str(value)


class _Book:
    """One feedback workbook (XlsxWriter): strings are written as strings, never as formulas
    or links ('=HYPERLINK(...)' from a submission stays text)."""

    def __init__(self, path: Path) -> None:
        self.workbook = xlsxwriter.Workbook(
            str(path),
            {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
        )
        self.bold = self.workbook.add_format({"bold": True})
        self.title = self.workbook.add_format({"bold": True, "font_size": 14})

    def sheet(self, name: str, headers: list[tuple[str, str]] | None = None) -> Worksheet:
        sheet = self.workbook.add_worksheet(name)
        if headers:
            sheet.write_row(0, 0, [th for th, _ in headers], self.bold)
            sheet.write_row(1, 0, [en for _, en in headers])
            sheet.freeze_panes(2, 0)
        return sheet

    @staticmethod
    def put(sheet: Worksheet, row: int, values: list, style: Format | None = None) -> None:
        """`row` counted from 1, as in Excel."""
        for column, value in enumerate(values):
            if (cell := _text(value)) is not None:
                sheet.write(row - 1, column, cell, style)

    def close(self) -> None:
        self.workbook.close()


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


def _write_book(
    target: Path,
    period: Period,
    unit: str,
    unit_files: list[tuple],
    rows_of_file: dict[int, list[tuple]],
) -> None:
    mine = [row for item in unit_files for row in rows_of_file.get(int(item.file_id), [])]
    n_received = sum(
        int(item.n_rows) for item in unit_files
        if item.outcome == "ingested" and pd.notna(item.n_rows)
    )  # fmt: skip
    book = _Book(target)
    summary = book.sheet("สรุป")
    book.put(summary, 1, [f"ผลการตรวจรับรายงาน หน่วยงาน {unit} งวด {period.key}"], book.title)
    book.put(
        summary,
        2,
        [
            f"Submission feedback, unit {unit}, period {period.key} "
            f"({period.start_date:%d/%m/%Y}–{period.end_date:%d/%m/%Y})"
        ],
    )
    book.put(summary, 4, ["แถวที่ได้รับ (rows received)", n_received])
    book.put(summary, 5, ["แถวที่ผ่าน (rows accepted)", n_received - len(mine)])
    book.put(summary, 6, ["แถวที่ถูกกักกัน (rows quarantined)", len(mine)])
    files_sheet = book.sheet("ไฟล์ที่ได้รับ", FILES_HEADERS)
    for offset, item in enumerate(unit_files, start=3):
        n_rows = int(item.n_rows) if pd.notna(item.n_rows) else None
        values = [item.path, str(item.received_at), item.outcome, item.reason, n_rows]
        book.put(files_sheet, offset, values)
    rows_sheet = book.sheet("แถวที่ถูกกักกัน", ROWS_HEADERS)
    paths = {item.file_id: item.path for item in unit_files}
    for offset, item in enumerate(mine, start=3):
        book.put(
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
    book.close()


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
        "where q.superseded_at is null "
        "order by q.file_id, q.row_number"
    )
    rows_of_file: dict[int, list[tuple]] = defaultdict(list)
    for item in quarantined.itertuples(index=False):
        rows_of_file[int(item.file_id)].append(item)
    files_of: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for item in files.itertuples(index=False):
        if item.unit_folder:
            files_of[(item.period_key, item.unit_folder)].append(item)
    written: list[Path] = []
    for (key, unit), unit_files in sorted(files_of.items()):
        target = out_dir / key / f"{unit}.xlsx"
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_book(target, Period.from_key(key), unit, unit_files, rows_of_file)
        written.append(target)
    for key, period_files in files.groupby("period_key"):
        (out_dir / key).mkdir(parents=True, exist_ok=True)
        (out_dir / key / MANIFEST).write_text(_covered(period_files), encoding="utf-8")
    return written


WORKBOOK_ROWS_HEADERS = _headers(PATH, SHEET, ROW_NUMBER, REASON_CODES, MESSAGE_TH, MESSAGE_EN)


def write_workbook_feedback(wh: Warehouse, kind: Workbook, out_dir: Path) -> list[Path]:
    """`<out_dir>/<kind.folder>/<unit>.xlsx` for every unit that sent workbooks of the kind
    (plans, minutes): each file with its outcome, the rows kept per sheet, and every
    quarantined row with its sheet and reasons. A unit's workbook is written again only when
    its files or their verdicts changed (`.files` beside them)."""
    if not wh.table_exists(kind.files.schema, kind.files.name):
        return []
    files = wh.query(
        f"select file_id, path, unit_folder, received_at, outcome, reason, n_rows, validated_at "
        f"from {kind.files.qualified} order by unit_folder, received_at, file_id"
    )
    quarantined = wh.query(
        f"select file_id, sheet, row_number, reason_codes, message_th, message_en "
        f"from {kind.quarantine.qualified} order by file_id, sheet, row_number"
    )
    folder = out_dir / kind.folder
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / MANIFEST
    covered = dict(
        line.split("=", 1)
        for line in (manifest.read_text(encoding="utf-8").splitlines() if manifest.exists() else [])
        if "=" in line
    )
    labels = {layout.name: layout.label_th for layout in kind.sheets}
    rows_of_file: dict[int, list[tuple]] = defaultdict(list)
    for item in quarantined.itertuples(index=False):
        rows_of_file[int(item.file_id)].append(item)
    written: list[Path] = []
    for unit, unit_files in files.groupby("unit_folder", sort=True):
        stamp = ",".join(
            f"{f}@{v}"
            for f, v in zip(unit_files["file_id"], unit_files["validated_at"], strict=True)
        )
        target = folder / f"{unit}.xlsx"
        if covered.get(str(unit)) == stamp and target.exists():
            continue
        book = _Book(target)
        summary = book.sheet("สรุป")
        book.put(summary, 1, [f"ผลการตรวจรับ{kind.sheets[0].label_th} หน่วยงาน {unit}"], book.title)
        book.put(summary, 2, [f"Feedback on the {kind.name} workbooks of unit {unit}"])
        mine = [row for f in unit_files["file_id"] for row in rows_of_file.get(int(f), [])]
        n_rows = int(unit_files.loc[unit_files["outcome"] == "ingested", "n_rows"].fillna(0).sum())
        book.put(summary, 4, ["แถวที่ได้รับ (rows received)", n_rows])
        book.put(summary, 5, ["แถวที่ผ่าน (rows accepted)", n_rows - len(mine)])
        book.put(summary, 6, ["แถวที่ถูกกักกัน (rows quarantined)", len(mine)])
        files_sheet = book.sheet("ไฟล์ที่ได้รับ", FILES_HEADERS)
        for offset, item in enumerate(unit_files.itertuples(index=False), start=3):
            n = int(item.n_rows) if pd.notna(item.n_rows) else None
            book.put(
                files_sheet,
                offset,
                [item.path, str(item.received_at), item.outcome, item.reason, n],
            )
        rows_sheet = book.sheet("แถวที่ถูกกักกัน", WORKBOOK_ROWS_HEADERS)
        paths = dict(zip(unit_files["file_id"], unit_files["path"], strict=True))
        for offset, item in enumerate(mine, start=3):
            sheet = f"{labels.get(item.sheet, item.sheet)} ({item.sheet})"
            book.put(
                rows_sheet,
                offset,
                [
                    paths[item.file_id],
                    sheet,
                    int(item.row_number),
                    item.reason_codes,
                    item.message_th,
                    item.message_en,
                ],
            )
        book.close()
        covered[str(unit)] = stamp
        written.append(target)
    manifest.write_text(
        "\n".join(f"{unit}={stamp}" for unit, stamp in sorted(covered.items())), encoding="utf-8"
    )
    return written
