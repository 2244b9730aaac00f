"""What every rendered report shares: Thai labels and colours of the statuses, the Jinja
environment (autoescaped), number and period formatting, and which periods have data.

What does not belong here: any one report's queries or layout (`dashboard.py`, `meeting.py`,
`index.py`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from bma_pipeline.fiscal import THAI_MONTHS_SHORT, Period, be_to_ce
from bma_pipeline.warehouse import Warehouse

TEMPLATES = Path(__file__).parent / "templates"

# System Thai fonts first (Sarabun where installed, the TLWG fonts from fonts-thai-tlwg).
FONT_STACK = "'Sarabun', 'Loma', 'Garuda', 'Noto Sans Thai', 'Tlwg Typist', sans-serif"


@dataclass(frozen=True)
class Label:
    th: str
    en: str
    colour: str


# DOMAIN §4 progress statuses, worst last so sorting by `rank` puts problems first.
PROGRESS_STATUS: dict[str, Label] = {
    "on_track": Label("ตามแผน", "On track", "#2e7d32"),
    "at_risk": Label("เสี่ยง", "At risk", "#ef9a00"),
    "off_track": Label("ล่าช้ากว่าแผน", "Off track", "#c62828"),
    "no_data": Label("ไม่มีข้อมูล", "No data", "#8a8f98"),
}

COMPLIANCE_STATUS: dict[str, Label] = {
    "on_time": Label("ส่งตรงเวลา", "On time", "#2e7d32"),
    "late": Label("ส่งล่าช้า", "Late", "#ef9a00"),
    "missing": Label("ไม่ส่ง", "Missing", "#c62828"),
    "pending": Label("รอส่ง", "Pending", "#5c7aa6"),
}

# The dashboard's district tiles: a district without targets in the year has nothing to send.
DISTRICT_STATUS: dict[str, Label] = {
    **COMPLIANCE_STATUS,
    "no_target": Label("ไม่มีเป้าหมาย", "No targets", "#b0b6bf"),
}

# DOMAIN §7: a commitment's state, and a lead unit's meeting of a period.
COMMITMENT_STATUS: dict[str, Label] = {
    "overdue": Label("เกินกำหนด", "Overdue", "#c62828"),
    "open": Label("อยู่ระหว่างดำเนินการ", "Open", "#5c7aa6"),
    "done": Label("ดำเนินการแล้วเสร็จ", "Done", "#2e7d32"),
    "dropped": Label("ยกเลิก", "Dropped", "#8a8f98"),
}

MEETING_STATUS: dict[str, Label] = {
    "held": Label("ประชุมตามกำหนด", "Held", "#2e7d32"),
    "late": Label("ประชุมล่าช้า", "Late", "#ef9a00"),
    "missing": Label("ไม่มีรายงานการประชุม", "Missing", "#c62828"),
    "pending": Label("ยังไม่ถึงกำหนด", "Pending", "#5c7aa6"),
}

# DOMAIN §6: what a plan revision changed (mart_plan_revisions.change_type).
CHANGE_TYPE: dict[str, Label] = {
    "kpi_added": Label("เพิ่มตัวชี้วัด", "KPI added", "#2e7d32"),
    "kpi_retired": Label("ยกเลิกตัวชี้วัด", "KPI retired", "#8a8f98"),
    "unit_added": Label("เพิ่มหน่วยงาน", "Unit added", "#2e7d32"),
    "unit_removed": Label("ถอนหน่วยงาน", "Unit removed", "#8a8f98"),
    "target_raised": Label("เพิ่มค่าเป้าหมาย", "Target raised", "#1b5e20"),
    "target_lowered": Label("ลดค่าเป้าหมาย", "Target lowered", "#ef9a00"),
    "period_targets_changed": Label("ปรับเป้าหมายรายงวด", "Period targets changed", "#5c7aa6"),
}

ROLE_LABEL = {"H": "หน่วยงานรับผิดชอบหลัก (H)", "R": "หน่วยงานสนับสนุน (R)"}


def period_label_th(period: Period) -> str:
    """'งวดที่ 2 (ธ.ค. 2565 – ม.ค. 2566)', the way BMA staff name a period."""
    start, end = period.start_date, period.end_date
    return (
        f"งวดที่ {period.period_no} ({THAI_MONTHS_SHORT[start.month - 1]} {start.year + 543} – "
        f"{THAI_MONTHS_SHORT[end.month - 1]} {end.year + 543})"
    )


def period_label_en(period: Period) -> str:
    start, end = period.start_date, period.end_date
    return (
        f"Period {period.period_no}, {start:%b %Y} – {end:%b %Y} "
        f"(FY{period.fiscal_year} / {be_to_ce(period.fiscal_year)})"
    )


def is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array is a value
        return False


def fmt_pct(value: Any, digits: int = 1) -> str:
    return "–" if is_missing(value) else f"{float(value):,.{digits}f} %"


def fmt_num(value: Any) -> str:
    """Counts without decimals, measures with up to two."""
    if is_missing(value):
        return "–"
    number = float(value)
    if number.is_integer():
        return f"{number:,.0f}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def fmt_ratio(value: Any) -> str:
    return "–" if is_missing(value) else f"{100 * float(value):,.0f} %"


def fmt_date(value: Any) -> str:
    """A date as ISO text ('2023-04-05'); '–' when missing."""
    return "–" if is_missing(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def short_unit_name(name_th: str | None, unit_code: str) -> str:
    """'สำนักงานเขตพระนคร' → 'เขตพระนคร' for tiles; departments keep their name."""
    if not name_th:
        return unit_code
    return name_th.removeprefix("สำนักงาน") if name_th.startswith("สำนักงานเขต") else name_th


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every value is escaped; templates are .j2 files
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=fmt_pct, num=fmt_num, ratio=fmt_ratio, date=fmt_date)
    env.globals.update(
        PROGRESS_STATUS=PROGRESS_STATUS,
        COMPLIANCE_STATUS=COMPLIANCE_STATUS,
        DISTRICT_STATUS=DISTRICT_STATUS,
        COMMITMENT_STATUS=COMMITMENT_STATUS,
        MEETING_STATUS=MEETING_STATUS,
        CHANGE_TYPE=CHANGE_TYPE,
        ROLE_LABEL=ROLE_LABEL,
        FONT_STACK=FONT_STACK,
    )
    return env


def render_template(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)


def write_text(path: Path, text: str) -> Path:
    """Write atomically, so a reader (or the index) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def latest_period_with_data(wh: Warehouse) -> Period | None:
    """The latest period with any current value (the run summary's definition)."""
    latest = wh.query(
        "select fiscal_year, period_no from marts.fct_kpi_progress "
        "where period_value is not null "
        "order by fiscal_year desc, period_no desc limit 1"
    )
    if latest.empty:
        return None
    return Period(int(latest.iat[0, 0]), int(latest.iat[0, 1]))


def periods_to_render(wh: Warehouse) -> list[Period]:
    """Every period of the latest fiscal year with data, up to its latest period with data."""
    latest = latest_period_with_data(wh)
    if latest is None:
        return []
    return [Period(latest.fiscal_year, p) for p in range(1, latest.period_no + 1)]
