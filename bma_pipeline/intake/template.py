"""A unit's own submission template: an XLSX with its KPIs for one period, ready to fill.

What belongs here: choosing the rows (every KPI the unit has a target for in the fiscal
year, with its Thai name, measure unit, role and annual target), laying out the sheet
with the Thai headers the alias table accepts (``headers.py``), and the aids Excel
offers the person filling it: a status drop-down, a non-negative number rule, frozen
headers. The informative columns (KPI name, measure unit, role, annual target) have
headers the alias table does not know, so intake keeps them in ``raw_cells`` only.
What does not belong here: reading files back (``readers.py``) or judging them
(``check.py`` and validation).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bma_pipeline.fiscal import Period
from bma_pipeline.intake.headers import canonical_column
from bma_pipeline.reference.catalog import Catalog, load_catalog

SHEET_NAME = "แบบรายงาน"
INSTRUCTIONS_SHEET_NAME = "คำอธิบาย"
STATUS_LABELS_TH = ("ยังไม่เริ่ม", "กำลังดำเนินการ", "แล้วเสร็จ", "ล่าช้า")

# (header, canonical column or None for an informative column, width in characters).
TEMPLATE_COLUMNS: tuple[tuple[str, str | None, int], ...] = (
    ("รหัสหน่วยงาน", "unit_code", 13),
    ("ปีงบประมาณ", "fiscal_year", 11),
    ("งวดที่", "period_no", 8),
    ("รหัสตัวชี้วัด", "kpi_code", 13),
    ("ชื่อตัวชี้วัด", None, 60),
    ("หน่วยนับ", None, 12),
    ("บทบาท (H/R)", None, 12),
    ("เป้าหมายทั้งปี", None, 15),
    ("ผลการดำเนินงาน", "actual_value", 17),
    ("งบประมาณที่ใช้ (บาท)", "budget_spent_baht", 20),
    ("สถานะ", "status", 17),
    ("ปัญหาอุปสรรค", "obstacles", 40),
    ("วันที่รายงาน", "reported_on", 14),
    ("ผู้รายงาน", "reporter", 24),
)
TITLE_ROW = 1
HEADER_ROW = 2
FIRST_DATA_ROW = HEADER_ROW + 1

_INSTRUCTIONS = (
    ("ผลการดำเนินงาน", "จำเป็น ตัวเลขไม่ติดลบ: ผลของงวดนี้ (ตัวชี้วัดแบบสะสม) หรือระดับ ณ สิ้นงวด"),
    ("งบประมาณที่ใช้ (บาท)", "ไม่บังคับ ตัวเลขไม่ติดลบ หน่วยเป็นบาท"),
    ("สถานะ", "ไม่บังคับ เลือกจากรายการ: " + ", ".join(STATUS_LABELS_TH)),
    ("ปัญหาอุปสรรค", "ไม่บังคับ ข้อความ จะนำเสนอต่อหน่วยงานหลัก (H)"),
    ("วันที่รายงาน", "ไม่บังคับ วันที่ เช่น 15/12/2565"),
    ("ผู้รายงาน", "ไม่บังคับ ชื่อและเบอร์โทร (ข้อมูลส่วนบุคคล ไม่แสดงในรายงาน)"),
    ("คอลัมน์อื่น", "กรอกไว้ให้แล้ว กรุณาอย่าแก้ไขรหัสหน่วยงาน ปีงบประมาณ งวดที่ และรหัสตัวชี้วัด"),
    ("ตรวจก่อนส่ง", "bma-pipeline check <ไฟล์> --unit <รหัสหน่วยงาน>"),
)


def template_rows(unit_code: str, fiscal_year: int, catalog: Catalog) -> pd.DataFrame:
    """The unit's KPIs with a target in the fiscal year: code, name, measure unit, role, target."""
    units = catalog.units.set_index("unit_code")
    if unit_code not in units.index:
        raise ValueError(f"{unit_code!r} is not a unit code of the catalogue")
    targets = catalog.targets[
        (catalog.targets["unit_code"] == unit_code)
        & (catalog.targets["fiscal_year"] == fiscal_year)
    ]
    if targets.empty:
        years = ", ".join(str(y) for y in catalog.fiscal_years)
        raise ValueError(
            f"unit {unit_code} has no KPI target in fiscal year {fiscal_year} "
            f"(years with targets: {years})"
        )
    kpis = catalog.kpis[["kpi_code", "policy_code", "name_th", "measure_unit_th"]]
    roles = catalog.assignments[catalog.assignments["unit_code"] == unit_code]
    rows = targets.merge(kpis, on="kpi_code", how="left").merge(
        roles[["policy_code", "role"]], on="policy_code", how="left"
    )
    return rows.sort_values("kpi_code", ignore_index=True)[
        ["kpi_code", "name_th", "measure_unit_th", "role", "annual_target"]
    ]


def write_template(
    unit_code: str, period: Period, out: Path, catalog: Catalog | None = None
) -> Path:
    """Write the unit's XLSX template for the period to `out` and return its path."""
    catalog = catalog or load_catalog()
    rows = template_rows(unit_code, period.fiscal_year, catalog)
    unit = catalog.units.set_index("unit_code").loc[unit_code]
    # The template must never carry a header that intake would map to the wrong column.
    for header, column, _ in TEMPLATE_COLUMNS:
        if canonical_column(header) != column:
            raise AssertionError(f"header {header!r} maps to {canonical_column(header)!r}")

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.cell(
        TITLE_ROW,
        1,
        f"แบบรายงานผลการดำเนินงานตามนโยบาย {unit['name_th']} ({unit_code}) "
        f"งวด {period.key} ปีงบประมาณ {period.fiscal_year}",
    ).font = Font(bold=True, size=14)

    header_fill = PatternFill("solid", fgColor="DDEBF7")
    info_fill = PatternFill("solid", fgColor="F2F2F2")
    for index, (header, column, width) in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, index, header)
        cell.font = Font(bold=True)
        cell.fill = header_fill if column else info_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width

    position = {header: index for index, (header, _, _) in enumerate(TEMPLATE_COLUMNS, start=1)}
    for offset, kpi in enumerate(rows.itertuples(index=False)):
        row = FIRST_DATA_ROW + offset
        prefilled = {
            "รหัสหน่วยงาน": unit_code,
            "ปีงบประมาณ": period.fiscal_year,
            "งวดที่": period.period_no,
            "รหัสตัวชี้วัด": kpi.kpi_code,
            "ชื่อตัวชี้วัด": kpi.name_th,
            "หน่วยนับ": kpi.measure_unit_th,
            "บทบาท (H/R)": kpi.role if isinstance(kpi.role, str) else None,
            "เป้าหมายทั้งปี": float(kpi.annual_target),
        }
        for header, value in prefilled.items():
            cell = sheet.cell(row, position[header], value)
            if header in ("รหัสหน่วยงาน", "รหัสตัวชี้วัด"):
                cell.number_format = "@"  # text: Excel must not turn 1001 into a number
            elif header == "เป้าหมายทั้งปี":
                cell.number_format = "#,##0.##"
            if header in ("ชื่อตัวชี้วัด", "หน่วยนับ", "บทบาท (H/R)", "เป้าหมายทั้งปี"):
                cell.fill = info_fill
        sheet.cell(row, position["ผลการดำเนินงาน"]).number_format = "#,##0.##"
        sheet.cell(row, position["งบประมาณที่ใช้ (บาท)"]).number_format = "#,##0.00"
        sheet.cell(row, position["วันที่รายงาน"]).number_format = "dd/mm/yyyy"

    last_row = FIRST_DATA_ROW + len(rows) - 1
    _add_validations(sheet, position, last_row)
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, position["ชื่อตัวชี้วัด"] + 1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(TEMPLATE_COLUMNS))}{last_row}"

    notes = workbook.create_sheet(INSTRUCTIONS_SHEET_NAME)
    notes.append(["คอลัมน์", "วิธีกรอก"])
    for line in _INSTRUCTIONS:
        notes.append(list(line))
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 90

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return out


def _add_validations(sheet: Worksheet, position: dict[str, int], last_row: int) -> None:
    """Excel's own input checks: the status drop-down and non-negative numbers."""

    def column_range(header: str) -> str:
        letter = get_column_letter(position[header])
        return f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}"

    status = DataValidation(
        type="list", formula1='"' + ",".join(STATUS_LABELS_TH) + '"', allow_blank=True
    )
    status.error = "กรุณาเลือกสถานะจากรายการ: " + ", ".join(STATUS_LABELS_TH)
    status.errorTitle = "สถานะไม่ถูกต้อง"
    status.add(column_range("สถานะ"))
    sheet.add_data_validation(status)
    for header in ("ผลการดำเนินงาน", "งบประมาณที่ใช้ (บาท)"):
        number = DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        )
        number.error = "กรุณากรอกตัวเลขที่ไม่ติดลบ"
        number.errorTitle = "ต้องเป็นตัวเลข"
        number.add(column_range(header))
        sheet.add_data_validation(number)
