"""Read a multi-sheet workbook (an action plan, meeting minutes) into one table per sheet.

What belongs here: finding each sheet of a workbook kind (`bma_pipeline.columns.Workbook`)
by its Thai or English name, or else by a header row that names one sheet's required
columns, and reading it with the same habits as a submission (`readers.py`: title rows,
Thai digits, cached formula values, blank and TOTAL rows, Excel dates). File-level
problems — not a workbook, too large, no header sheet, a sheet twice, a named sheet without
its header — raise `FileRejected`. What does not belong: parsing cell values (`parse.py`)
or judging rows (validation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bma_pipeline.columns import Layout, Workbook
from bma_pipeline.intake.headers import find_header_row, normalise_header
from bma_pipeline.intake.readers import (
    DEFAULT_MAX_BYTES,
    FileRejected,
    SheetTable,
    check_file,
    check_zip_bomb,
    open_workbook,
    sheet_grid,
    table_from_grid,
)

WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm")


@dataclass
class WorkbookTables:
    """The sheets found in one workbook, by canonical sheet name, and the sheets left aside."""

    sheets: dict[str, SheetTable]
    ignored: list[str] = field(default_factory=list)  # e.g. an instructions sheet

    @property
    def n_rows(self) -> int:
        return sum(len(table) for table in self.sheets.values())

    @property
    def n_skipped_rows(self) -> int:
        return sum(table.n_skipped_rows for table in self.sheets.values())


def layout_of_sheet(title: str, workbook: Workbook) -> Layout | None:
    """The layout a sheet's name names (compared like headers), or None."""
    key = normalise_header(title)
    for layout in workbook.sheets:
        if key in {normalise_header(name) for name in layout.sheet_names}:
            return layout
    return None


def _layout_by_header(grid: list[list[str | None]], workbook: Workbook) -> Layout | None:
    """The one layout whose required columns a sheet's header row names, if exactly one."""
    found = [layout for layout in workbook.sheets if find_header_row(grid, layout) is not None]
    return found[0] if len(found) == 1 else None


def read_workbook(
    path: Path, workbook: Workbook, max_bytes: int = DEFAULT_MAX_BYTES
) -> WorkbookTables:
    """Every known sheet of a workbook of this kind; raise FileRejected when it cannot be read."""
    path = Path(path)
    check_file(path, max_bytes, WORKBOOK_EXTENSIONS)
    check_zip_bomb(path)
    tables: dict[str, SheetTable] = {}
    ignored: list[str] = []
    with open_workbook(path) as (book, epoch):
        for sheet in [ws for ws in book.worksheets if hasattr(ws, "iter_rows")]:
            grid = sheet_grid(path, sheet, epoch)
            layout = layout_of_sheet(sheet.title, workbook) or _layout_by_header(grid, workbook)
            if layout is None:
                ignored.append(sheet.title)
                continue
            if layout.name in tables:
                raise _sheet_twice(path, layout, tables[layout.name].sheet_name, sheet.title)
            tables[layout.name] = table_from_grid(
                path, grid, None, sheet.title, layout, allow_empty=True
            )
    header = workbook.header_sheet
    if header.name not in tables:
        raise FileRejected(
            "missing_sheet",
            f"{path.name} has no sheet {header.name!r} ({header.label_th}) with "
            f"{', '.join(header.required)}; use the {workbook.name} template",
            f"{path.name} ไม่มีแผ่นงาน {header.label_th!r} ({header.name}) กรุณาใช้แบบฟอร์มที่กำหนด",
        )
    return WorkbookTables(tables, ignored)


def _sheet_twice(path: Path, layout: Layout, first: str | None, second: str) -> FileRejected:
    return FileRejected(
        "duplicate_sheet",
        f"{path.name}: sheets {first!r} and {second!r} are both the {layout.name!r} sheet; "
        "keep one",
        f"{path.name}: แผ่นงาน {first!r} และ {second!r} เป็นแผ่นงาน {layout.label_th!r} "
        "ซ้ำกัน กรุณาเหลือไว้แผ่นเดียว",
    )
