"""An H unit's minutes template for a period's H–R meeting, pre-filled from the warehouse.

What belongs here: choosing the rows — the period, the supporting units expected (one
attendance row each, `present` to tick), the agenda items of the period's meeting pack that
need a decision (its off-track KPIs and the supporting units whose file is missing, one
decision row each), and every commitment the unit made at an earlier meeting that is still
open (one update row each, status to choose) — and handing them to the workbook writer with
two reference sheets (the units' names; the open commitments in full) that intake leaves
aside. What does not: the layout (the column registry, `workbook_writer.py`) or judging
minutes (`rules.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bma_pipeline.columns import MINUTES
from bma_pipeline.fiscal import Period
from bma_pipeline.minutes.apply import minutes_context
from bma_pipeline.plans.store import read_plan_in_force
from bma_pipeline.warehouse import Warehouse
from bma_pipeline.workbook_writer import write_workbook

UNITS_SHEET = "หน่วยงาน (อ้างอิง)"
OPEN_SHEET = "ข้อผูกพันค้าง (อ้างอิง)"
DECIDE = "มติ: …"  # where the meeting writes its decision on an agenda item


@dataclass(frozen=True)
class MinutesTemplate:
    frames: dict[str, pd.DataFrame]  # canonical sheet → its rows
    reference: dict[str, pd.DataFrame]  # reference sheet name → its rows


def open_commitments(wh: Warehouse, unit_code: str, period: Period) -> pd.DataFrame:
    """The unit's commitments made at meetings before `period` that are open (or overdue) as
    of the run, overdue first, most days overdue first (mart_commitments)."""
    rows = wh.query(
        """
        select commitment_id, action, owner_unit, due_date, policy_code, kpi_code,
               made_fiscal_year, made_period_no, status_now, days_overdue_now
        from marts.mart_commitments
        where h_unit_code = :unit and status_now in ('open', 'overdue')
          and (made_fiscal_year < :fiscal_year
               or (made_fiscal_year = :fiscal_year and made_period_no < :period_no))
        """,
        {"unit": unit_code, "fiscal_year": period.fiscal_year, "period_no": period.period_no},
    )
    rows = rows.drop_duplicates("commitment_id")
    rows["days_overdue_now"] = rows["days_overdue_now"].fillna(0).astype(int)
    return rows.sort_values(
        ["days_overdue_now", "commitment_id"], ascending=[False, True], ignore_index=True
    )


def agenda_items(wh: Warehouse, unit_code: str, period: Period) -> pd.DataFrame:
    """The decision rows of the period's meeting pack for the unit: each off-track KPI of its
    policies, then the supporting units whose file for the period is missing."""
    from bma_pipeline.reports.meeting import collect_meetings, meeting_context

    data = collect_meetings(wh, period)
    if unit_code not in data.unit_by_code or unit_code not in data.policies_by_lead:
        return pd.DataFrame(columns=["text", "policy_code"])
    context = meeting_context(data, unit_code)
    items = [
        {
            "text": f"{item['kpi_code']} {item['kpi_th']}: ต่ำกว่าเป้า {item['n_units']} "
            f"หน่วยงาน ({item['units']}) — {DECIDE}",
            "policy_code": item["policy_code"],
        }
        for item in context["off_track"]
    ]
    support = set()
    for policy in data.policies_by_lead[unit_code]:
        support |= data.support_by_policy.get(policy.policy_code, frozenset())
    missing = sorted(
        row.unit_code
        for code, row in data.not_on_time_by_unit.items()
        if code in support and code != unit_code and row.compliance_status == "missing"
    )
    if missing:
        items.append(
            {
                "text": f"หน่วยงานที่ยังไม่ส่งข้อมูลงวด {period.key}: {', '.join(missing)} — {DECIDE}",
                "policy_code": None,
            }
        )
    return pd.DataFrame(items, columns=["text", "policy_code"])


def minutes_template(wh: Warehouse, unit_code: str, period: Period) -> MinutesTemplate:
    """The pre-filled rows of `unit_code`'s minutes for `period`."""
    plan = read_plan_in_force(wh)
    if unit_code not in plan.units:
        raise ValueError(f"{unit_code!r} is not a unit code of the reference data")
    context = minutes_context(unit_code, period, plan, frozenset())
    if not context.led_policies:
        raise ValueError(
            f"unit {unit_code} leads no policy in the plan in force for {period.key}: only a "
            "lead (H) unit meets its supporting units and sends minutes"
        )
    support = sorted(context.support_units)
    names = wh.query(
        "select unit_code, name_th from reference.units where unit_code in :codes",
        {"codes": support or [""]},
    )
    agenda = agenda_items(wh, unit_code, period)
    agenda.insert(0, "decision_no", range(1, len(agenda) + 1))
    earlier = open_commitments(wh, unit_code, period)
    frames = {
        "meeting": pd.DataFrame([{"period_key": period.key, "meeting_date": None}]),
        "attendance": pd.DataFrame({"unit_code": support, "present": [None] * len(support)}),
        "decisions": agenda,
        "commitments": pd.DataFrame(columns=[c.name for c in MINUTES.sheet("commitments").columns]),
        "updates": pd.DataFrame(
            {"commitment_id": earlier["commitment_id"], "status": "open", "note": None}
        ),
    }
    status_th = {"open": "ยังไม่แล้วเสร็จ", "overdue": "เกินกำหนด"}
    reference = {
        UNITS_SHEET: names.sort_values("unit_code").rename(
            columns={"unit_code": "หน่วยงาน", "name_th": "ชื่อ"}
        ),
        OPEN_SHEET: pd.DataFrame(
            {
                "ข้อผูกพัน": earlier["commitment_id"],
                "รายละเอียด": earlier["action"],
                "ผู้ดำเนินการ": earlier["owner_unit"],
                "ครบกำหนด": [_thai_date(d) for d in earlier["due_date"]],
                "นโยบาย": earlier["policy_code"],
                "ตัวชี้วัด": earlier["kpi_code"],
                "ณ วันนี้": [status_th[s] for s in earlier["status_now"]],
                "เกินกำหนด (วัน)": earlier["days_overdue_now"],
            }
        ),
    }
    return MinutesTemplate(frames, reference)


def _thai_date(value: object) -> str:
    day = pd.Timestamp(value)
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


def write_minutes_template(wh: Warehouse, unit_code: str, period: Period, out: Path) -> Path:
    """Write `unit_code`'s minutes template for `period` to `out` and return its path."""
    template = minutes_template(wh, unit_code, period)
    title = f"รายงานการประชุมหน่วยงานหลักกับหน่วยงานสนับสนุน {unit_code} งวด {period.key}"
    return write_workbook(MINUTES, template.frames, out, title, reference=template.reference)
