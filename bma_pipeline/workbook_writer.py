"""Write a workbook the way intake reads it (DOMAIN §8) — an action plan, meeting minutes: Thai
sheet names and headers first, English labels beneath, drop-downs for the enumerations and
yes/no columns.

What belongs here: `write_workbook`, which lays out any workbook kind's sheets from the column
registry — the same declarations intake reads, so a written workbook reads back as written —
plus plain reference sheets intake leaves aside. Used by `bma-pipeline plan-template` and
`minutes-template` and by the sample generator. What does not: choosing the rows (the
templates, the generator) or reading workbooks (intake).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import xlsxwriter

from bma_pipeline.columns import Column, Layout, Workbook

YES, NO = "ใช่", "ไม่ใช่"
TITLE_ROW, HEADER_ROW, LABEL_ROW = 0, 1, 2  # 0-based rows of each sheet
FIRST_DATA_ROW = 3
_WIDTHS = {"varchar": 16, "double precision": 14, "integer": 12, "boolean": 12}
_WIDE = {"title_th": 50, "title_en": 40, "name_th": 50, "name_en": 40, "dimensions": 24}


def _cell(column: Column, value: object) -> object:
    """A value as the sheet shows it: codes and text as text, yes/no in Thai, enumerations by
    their Thai label, numbers as numbers, blanks as nothing."""
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return None
    if column.kind == "boolean":
        return YES if bool(value) else NO
    if column.kind == "enum":
        return column.labels_th.get(str(value), str(value)) if column.name != "role" else value
    if column.kind == "list":
        return ", ".join(value) if isinstance(value, list | tuple) else str(value)
    if column.kind in ("number", "fiscal_year", "period"):
        if isinstance(value, str):
            return value  # a period key such as 2566-P3
        number = float(value)
        return int(number) if number.is_integer() else number
    if column.kind == "date" and isinstance(value, date | datetime):
        return f"{value.day:02d}/{value.month:02d}/{value.year + 543}"  # as BMA writes dates
    return str(value)


def _choices(column: Column) -> list[str] | None:
    if column.kind == "boolean":
        return [YES, NO]
    if column.kind == "enum":
        return list(column.allowed) if column.name == "role" else list(column.labels_th.values())
    return None


def _write_sheet(book: xlsxwriter.Workbook, layout: Layout, frame: pd.DataFrame, title: str):
    sheet = book.add_worksheet(layout.label_th)
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True})
    required = book.add_format({"bold": True, "bg_color": "#FCE4D6", "text_wrap": True})
    muted = book.add_format({"font_color": "#666666", "italic": True})
    text = book.add_format({"num_format": "@"})
    sheet.write(TITLE_ROW, 0, title, book.add_format({"bold": True, "font_size": 13}))
    columns = list(layout.columns)
    for index, column in enumerate(columns):
        width = _WIDE.get(column.name, _WIDTHS.get(column.sql_type, 14))
        sheet.set_column(index, index, width, text if column.kind == "code" else None)
    # constant_memory: each row is written whole before the next.
    for index, column in enumerate(columns):
        style = required if layout.is_required(column.name) else bold
        sheet.write(HEADER_ROW, index, column.label_th, style)
    for index, column in enumerate(columns):
        sheet.write(LABEL_ROW, index, column.english, muted)
    records = frame.reindex(columns=[c.name for c in columns]).itertuples(index=False)
    n_rows = 0
    for offset, record in enumerate(records):
        for index, (column, value) in enumerate(zip(columns, record, strict=True)):
            cell = _cell(column, value)
            if cell is None:
                continue
            if isinstance(cell, str):
                sheet.write_string(FIRST_DATA_ROW + offset, index, cell)
            else:
                sheet.write_number(FIRST_DATA_ROW + offset, index, cell)
        n_rows += 1
    last = FIRST_DATA_ROW + max(n_rows, 1) + 500  # room to add rows
    for index, column in enumerate(columns):
        if choices := _choices(column):
            sheet.data_validation(
                FIRST_DATA_ROW, index, last, index, {"validate": "list", "source": choices}
            )
        elif column.kind == "number":
            sheet.data_validation(
                FIRST_DATA_ROW,
                index,
                last,
                index,
                {"validate": "decimal", "criteria": ">=", "value": 0, "ignore_blank": True},
            )
    sheet.freeze_panes(FIRST_DATA_ROW, 0)


def _write_reference_sheet(book: xlsxwriter.Workbook, name: str, frame: pd.DataFrame) -> None:
    sheet = book.add_worksheet(name)
    bold = book.add_format({"bold": True, "bg_color": "#EDEDED", "text_wrap": True})
    sheet.write(TITLE_ROW, 0, name, book.add_format({"bold": True, "font_size": 13}))
    for index, header in enumerate(frame.columns):
        sheet.set_column(index, index, 40 if index == 1 else 16)
        sheet.write(HEADER_ROW, index, str(header), bold)
    for offset, record in enumerate(frame.itertuples(index=False)):
        for index, value in enumerate(record):
            if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
                continue
            if isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(HEADER_ROW + 1 + offset, index, value)
            else:
                sheet.write_string(HEADER_ROW + 1 + offset, index, str(value))


def write_workbook(
    kind: Workbook,
    frames: Mapping[str, pd.DataFrame],
    path: Path,
    title: str,
    created: datetime | None = None,
    reference: Mapping[str, pd.DataFrame] | None = None,
) -> Path:
    """Write each sheet of the kind (rows from `frames[sheet]`, none when absent) to `path`,
    then each `reference` frame as a plain sheet named by its key (for the reader; intake
    leaves sheets that are not the kind's aside). With `created`, the workbook's creation time
    is that, so the same rows give the same bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    if created is not None:
        book.set_properties({"created": created})
    try:
        for layout in kind.sheets:
            rows = frames.get(layout.name, pd.DataFrame())
            _write_sheet(book, layout, rows, f"{title} — {layout.label_th}")
        for name, frame in (reference or {}).items():
            _write_reference_sheet(book, name, frame)
    finally:
        book.close()
    return path
