"""Reason codes for quarantined submission rows, with their Thai and English messages.

What belongs here: the one table of reason codes (`REASONS`), the Thai labels of the
columns the messages name, and the rendering of one message sentence. The codes are
stable machine codes: dashboards, feedback files and tests match on them, so a code is
never renamed, only added. What does not belong here: deciding whether a row fails (that
is the contract in `schemas.py`) or assembling quarantine rows (`quarantine.py`).

A template may use these fields: `column` (the canonical column name in English, its
Thai header in Thai), `value` (the original cell text), `expected` (the code format, in
the message's language), `folder` (the sending unit), `policy`, `years` (fiscal years
with targets), `key_year` (the year of a `2566-P2` period key) and `fiscal_year`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from string import Formatter
from typing import NamedTuple

import pandas as pd

from bma_pipeline.columns import MINUTES, PLAN, SUBMISSION, Layout


class Reason(NamedTuple):
    """Why a row is quarantined: Thai and English message templates and its column.

    `column` is the column the reason is about; reasons that apply to several columns
    (`missing_value`, `not_a_number`, `negative_value`, `bad_code_format`) name the first
    of them here and the failing column in each rendered message.
    """

    message_th: str
    message_en: str
    column: str


REASONS: dict[str, Reason] = {
    "missing_value": Reason(
        "คอลัมน์ {column}: '{value}' ว่างเปล่า แต่ต้องกรอกค่า",
        "column {column}: '{value}' is blank, but a value is required",
        "unit_code",
    ),
    "not_a_number": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่ตัวเลข",
        "column {column}: '{value}' is not a number",
        "actual_value",
    ),
    "negative_value": Reason(
        "คอลัมน์ {column}: '{value}' ติดลบ ต้องไม่น้อยกว่า 0",
        "column {column}: '{value}' is negative, it must be 0 or more",
        "actual_value",
    ),
    "bad_fiscal_year": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่ปีงบประมาณ",
        "column {column}: '{value}' is not a fiscal year",
        "fiscal_year",
    ),
    "ce_fiscal_year": Reason(
        "คอลัมน์ {column}: '{value}' เป็นปี ค.ศ. กรุณาระบุปี พ.ศ. (ค.ศ. + 543)",
        "column {column}: '{value}' is a CE year, write the Buddhist-Era year (CE + 543)",
        "fiscal_year",
    ),
    "fiscal_year_out_of_range": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่ปีงบประมาณที่มีค่าเป้าหมาย ({years})",
        "column {column}: '{value}' is not a fiscal year with targets ({years})",
        "fiscal_year",
    ),
    "bad_period": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่งวด 1–6 หรือรหัสงวดแบบ 2566-P2",
        "column {column}: '{value}' is not a period 1–6 or a key like 2566-P2",
        "period_no",
    ),
    "period_year_mismatch": Reason(
        "คอลัมน์ {column}: '{value}' เป็นงวดของปีงบประมาณ {key_year} แต่แถวนี้ระบุปีงบประมาณ {fiscal_year}",
        "column {column}: '{value}' is a period of fiscal year {key_year}, "
        "but the row says fiscal year {fiscal_year}",
        "period_no",
    ),
    "bad_status": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่สถานะที่กำหนด (ยังไม่เริ่ม, กำลังดำเนินการ, แล้วเสร็จ, ล่าช้า)",
        "column {column}: '{value}' is not a status "
        "(not_started, in_progress, completed, delayed or the Thai labels)",
        "status",
    ),
    "bad_date": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่วันที่",
        "column {column}: '{value}' is not a date",
        "reported_on",
    ),
    "bad_code_format": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่รหัสที่ถูกต้อง ({expected})",
        "column {column}: '{value}' is not a valid code ({expected})",
        "unit_code",
    ),
    "unknown_unit": Reason(
        "คอลัมน์ {column}: '{value}' ไม่พบในทะเบียนหน่วยงาน",
        "column {column}: '{value}' is not a unit in the catalogue",
        "unit_code",
    ),
    "unit_mismatch": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่หน่วยงานผู้ส่ง {folder} (หน่วยงานรายงานได้เฉพาะของตนเอง)",
        "column {column}: '{value}' is not the sending unit {folder} "
        "(a unit reports only for itself)",
        "unit_code",
    ),
    "unknown_kpi": Reason(
        "คอลัมน์ {column}: '{value}' ไม่พบในทะเบียนตัวชี้วัด",
        "column {column}: '{value}' is not a KPI in the catalogue",
        "kpi_code",
    ),
    "not_assigned": Reason(
        "คอลัมน์ {column}: '{value}' อยู่ในนโยบาย {policy} ซึ่งไม่ได้มอบหมายหน่วยงาน {folder} (H หรือ R)",
        "column {column}: '{value}' belongs to policy {policy}, "
        "which does not assign unit {folder} (H or R)",
        "kpi_code",
    ),
    "duplicate_in_file": Reason(
        "คอลัมน์ {column}: '{value}' ซ้ำกันในไฟล์เดียวกันสำหรับงวดเดียวกัน จึงไม่รับทุกแถวที่ซ้ำ",
        "column {column}: '{value}' appears more than once in this file for the same period, "
        "so none of those rows is accepted",
        "kpi_code",
    ),
}

# Thai headers of the canonical columns, as units see them in their templates (the registry's).
COLUMN_LABELS_TH: dict[str, str] = {
    column.name: str(column.label_th) for column in SUBMISSION.columns if column.label_th
}

# What a well-formed code looks like, for `bad_code_format` messages: (Thai, English).
CODE_FORMATS: dict[str, tuple[str, str]] = {
    column.name: (str(column.format_th), str(column.format_en))
    for column in SUBMISSION.columns
    if column.pattern
}


def _shared(*codes: str) -> dict[str, Reason]:
    """Reasons a workbook shares with submissions: the same code means the same thing."""
    return {code: REASONS[code] for code in codes}


# Reasons for rows of action-plan workbooks (DOMAIN §6, §8). Stable like REASONS.
PLAN_REASONS: dict[str, Reason] = {
    **_shared(
        "missing_value",
        "not_a_number",
        "negative_value",
        "bad_fiscal_year",
        "ce_fiscal_year",
        "bad_period",
        "period_year_mismatch",
        "bad_code_format",
        "unknown_unit",
    ),
    "bad_boolean": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่ ใช่/ไม่ใช่ (yes/no, 1/0)",
        "column {column}: '{value}' is not yes or no (true/false, ใช่/ไม่ใช่, 1/0)",
        "is_key_project",
    ),
    "bad_direction": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่ทิศทางที่กำหนด ({allowed})",
        "column {column}: '{value}' is not a direction ({allowed})",
        "direction",
    ),
    "bad_aggregation": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่วิธีรวมผลที่กำหนด ({allowed})",
        "column {column}: '{value}' is not an aggregation ({allowed})",
        "aggregation",
    ),
    "bad_role": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่บทบาทที่กำหนด ({allowed})",
        "column {column}: '{value}' is not a role ({allowed})",
        "role",
    ),
    "duplicate_code": Reason(
        "คอลัมน์ {column}: '{value}' ซ้ำกันในแผ่นงานเดียวกัน จึงไม่รับทุกแถวที่ซ้ำ",
        "column {column}: '{value}' appears more than once in this sheet, "
        "so none of those rows is accepted",
        "policy_code",
    ),
    "unknown_group": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่กลุ่มภารกิจในทะเบียน ({allowed})",
        "column {column}: '{value}' is not a mission group of the reference data ({allowed})",
        "group_code",
    ),
    "unknown_dimension": Reason(
        "คอลัมน์ {column}: '{value}' มีมิติที่ไม่ใช่ 9 มิติที่กำหนด ({allowed})",
        "column {column}: '{value}' names a dimension that is not one of the nine ({allowed})",
        "dimensions",
    ),
    "policy_without_lead": Reason(
        "คอลัมน์ {column}: '{value}' ไม่มีหน่วยงานรับผิดชอบหลัก (H) ในแผ่นงานหน่วยงานรับผิดชอบ",
        "column {column}: '{value}' has no lead unit (H) among the plan's assignments",
        "policy_code",
    ),
    "policy_not_in_plan": Reason(
        "คอลัมน์ {column}: '{value}' ไม่อยู่ในแผ่นงานนโยบายของแผนนี้",
        "column {column}: '{value}' is not a policy on this plan's policies sheet",
        "policy_code",
    ),
    "project_not_in_plan": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่โครงการของนโยบาย {policy} ในแผ่นงานโครงการของแผนนี้",
        "column {column}: '{value}' is not a project of policy {policy} on this plan's "
        "projects sheet",
        "project_code",
    ),
    "kpi_not_in_plan": Reason(
        "คอลัมน์ {column}: '{value}' ไม่อยู่ในแผ่นงานตัวชี้วัดของแผนนี้",
        "column {column}: '{value}' is not a KPI on this plan's KPIs sheet",
        "kpi_code",
    ),
    "target_unit_not_assigned": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ได้รับมอบหมาย (H หรือ R) ในนโยบาย {policy} ของแผนนี้",
        "column {column}: '{value}' is not assigned (H or R) to policy {policy} in this plan",
        "unit_code",
    ),
    "baseline_on_sum_kpi": Reason(
        "คอลัมน์ {column}: '{value}' ตัวชี้วัดแบบสะสม (sum) ไม่มีค่าฐาน",
        "column {column}: '{value}' is a baseline on a sum KPI; only last KPIs have one",
        "baseline_value",
    ),
    "period_targets_mismatch": Reason(
        "คอลัมน์ {column}: '{value}' ไม่เท่ากับผลรวมเป้าหมายรายงวด ({period_sum})",
        "column {column}: '{value}' is not the sum of the period targets ({period_sum})",
        "annual_target",
    ),
    "policy_row_quarantined": Reason(
        "คอลัมน์ {column}: '{value}' นโยบายนี้ไม่ผ่านการตรวจสอบในแผ่นงานนโยบาย",
        "column {column}: '{value}' is a policy whose row on the policies sheet was quarantined",
        "policy_code",
    ),
    "kpi_row_quarantined": Reason(
        "คอลัมน์ {column}: '{value}' ตัวชี้วัดนี้ไม่ผ่านการตรวจสอบในแผ่นงานตัวชี้วัด",
        "column {column}: '{value}' is a KPI whose row on the KPIs sheet was quarantined",
        "kpi_code",
    ),
    "plan_row_quarantined": Reason(
        "คอลัมน์ {column}: '{value}' แผ่นงานแผน (ปีงบประมาณ งวดที่มีผล) ไม่ผ่านการตรวจสอบ",
        "column {column}: '{value}' belongs to a plan whose plan sheet (fiscal year, "
        "effective period) was quarantined",
        "fiscal_year",
    ),
    "not_lead_unit": Reason(
        "คอลัมน์ {column}: '{value}' หน่วยงาน {folder} ไม่ใช่หน่วยงานรับผิดชอบหลัก (H) ของนโยบายนี้ "
        "ในแผนที่มีผลอยู่ จึงแก้ไขไม่ได้ (เฉพาะ สยป. หรือหน่วยงาน H)",
        "column {column}: '{value}': unit {folder} does not lead this policy in the plan in "
        "force, so it may not revise it (only SED or the policy's lead units may)",
        "policy_code",
    ),
}


# Reasons for rows of meeting-minutes workbooks (DOMAIN §7, §8). Stable like REASONS.
MINUTES_REASONS: dict[str, Reason] = {
    **_shared("missing_value", "not_a_number", "negative_value", "bad_period", "bad_date"),
    **{code: PLAN_REASONS[code] for code in ("bad_boolean", "bad_code_format", "duplicate_code")},
    "unknown_unit": REASONS["unknown_unit"],
    "bad_status": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่สถานะที่กำหนด ({allowed})",
        "column {column}: '{value}' is not a commitment status ({allowed})",
        "status",
    ),
    "period_without_year": Reason(
        "คอลัมน์ {column}: '{value}' ต้องระบุปีงบประมาณและงวด เช่น 2566-P3",
        "column {column}: '{value}' must name the fiscal year and the period, like 2566-P3",
        "period_key",
    ),
    "sender_not_lead": Reason(
        "คอลัมน์ {column}: '{value}' หน่วยงาน {folder} ไม่ใช่หน่วยงานรับผิดชอบหลัก (H) ของนโยบายใดในงวดนี้ "
        "จึงส่งรายงานการประชุมไม่ได้",
        "column {column}: '{value}': unit {folder} leads no policy in the plan in force for "
        "this period, so it holds no H–R meeting to report",
        "period_key",
    ),
    "meeting_date_out_of_window": Reason(
        "คอลัมน์ {column}: '{value}' ไม่อยู่ในช่วงของงวด ({window})",
        "column {column}: '{value}' is outside the period's meeting window ({window})",
        "meeting_date",
    ),
    "not_support_unit": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่หน่วยงานสนับสนุน (R) ของนโยบายที่ {folder} รับผิดชอบในงวดนี้",
        "column {column}: '{value}' is not a supporting (R) unit of the policies {folder} "
        "leads in this period",
        "unit_code",
    ),
    "unknown_policy": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่นโยบายในแผนที่มีผลในงวดนี้",
        "column {column}: '{value}' is not a policy of the plan in force for this period",
        "policy_code",
    ),
    "owner_not_assigned": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ได้รับมอบหมาย (H หรือ R) ในนโยบาย {policy}",
        "column {column}: '{value}' is not assigned (H or R) to policy {policy}",
        "owner_unit",
    ),
    "kpi_not_of_policy": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่ตัวชี้วัดของนโยบาย {policy} ในแผนที่มีผล",
        "column {column}: '{value}' is not a KPI of policy {policy} in the plan in force",
        "kpi_code",
    ),
    "due_date_out_of_range": Reason(
        "คอลัมน์ {column}: '{value}' ต้องไม่ก่อนวันประชุมและไม่เกินหนึ่งปีงบประมาณหลังวันประชุม",
        "column {column}: '{value}' is before the meeting or more than a fiscal year after it",
        "due_date",
    ),
    "duplicate_commitment": Reason(
        "คอลัมน์ {column}: '{value}' หน่วยงาน {folder} ใช้รหัสนี้ในการประชุมครั้งก่อนแล้ว",
        "column {column}: '{value}' is already a commitment of unit {folder} from another "
        "meeting; give the new one its own id",
        "commitment_id",
    ),
    "unknown_commitment": Reason(
        "คอลัมน์ {column}: '{value}' ไม่ใช่เรื่องที่หน่วยงาน {folder} รับไปดำเนินการไว้",
        "column {column}: '{value}' is not a commitment unit {folder} made",
        "commitment_id",
    ),
    "meeting_row_quarantined": Reason(
        "คอลัมน์ {column}: '{value}' แผ่นงานการประชุม (งวด วันที่ประชุม) ไม่ผ่านการตรวจสอบ",
        "column {column}: '{value}' belongs to minutes whose meeting sheet (period, date) was "
        "quarantined",
        "period_key",
    ),
}


def _layout_labels(layouts: Iterable[Layout]) -> dict[str, str]:
    return {c.name: str(c.label_th) for layout in layouts for c in layout.columns if c.label_th}


def _layout_formats(layouts: Iterable[Layout]) -> dict[str, tuple[str, str]]:
    return {
        c.name: (str(c.format_th), str(c.format_en))
        for layout in layouts
        for c in layout.columns
        if c.pattern
    }


@dataclass(frozen=True)
class ReasonTable:
    """The reasons of one kind of input, and the column labels and code formats its
    messages name (from the column registry)."""

    reasons: Mapping[str, Reason]
    labels_th: Mapping[str, str]
    formats: Mapping[str, tuple[str, str]]


SUBMISSION_REASONS = ReasonTable(REASONS, COLUMN_LABELS_TH, CODE_FORMATS)
PLAN_REASON_TABLE = ReasonTable(
    PLAN_REASONS, _layout_labels(PLAN.sheets), _layout_formats(PLAN.sheets)
)
MINUTES_REASON_TABLE = ReasonTable(
    MINUTES_REASONS, _layout_labels(MINUTES.sheets), _layout_formats(MINUTES.sheets)
)

# Sentences of one message are joined with this; templates never contain it.
SENTENCE_SEPARATOR = "; "


def message_template(
    code: str, column: str, language: str, table: ReasonTable = SUBMISSION_REASONS
) -> str:
    """The template of a reason with its column label and code format filled in."""
    reason = table.reasons[code]
    if language == "th":
        template, label = reason.message_th, table.labels_th.get(column, column)
    elif language == "en":
        template, label = reason.message_en, column
    else:
        raise ValueError(f"language must be 'th' or 'en', got {language!r}")
    expected = table.formats.get(column, ("", ""))[0 if language == "th" else 1]
    # Double the braces of the label so only the row fields stay to be filled.
    return template.replace("{column}", label.replace("{", "{{").replace("}", "}}")).replace(
        "{expected}", expected
    )


def template_fields(code: str, table: ReasonTable = SUBMISSION_REASONS) -> set[str]:
    """The row fields (value, folder, …) a reason's messages need."""
    fields: set[str] = set()
    reason = table.reasons[code]
    for template in (reason.message_th, reason.message_en):
        fields.update(name for _, name, _, _ in Formatter().parse(template) if name)
    return fields - {"column", "expected"}


def render_message(
    code: str, column: str, language: str, table: ReasonTable = SUBMISSION_REASONS, **fields: object
) -> str:
    """One sentence for one reason on one column, in Thai (`th`) or English (`en`)."""
    return message_template(code, column, language, table).format(**fields)


def render_messages(
    code: str,
    column: str,
    language: str,
    fields: Mapping[str, pd.Series | str],
    table: ReasonTable = SUBMISSION_REASONS,
) -> pd.Series:
    """`render_message` for many rows at once; Series fields must share one index."""
    series = [value for value in fields.values() if isinstance(value, pd.Series)]
    if not series:
        raise ValueError("render_messages needs at least one Series field")
    messages = pd.Series("", index=series[0].index, dtype=object)
    for literal, name, _, _ in Formatter().parse(message_template(code, column, language, table)):
        messages = messages + literal
        if name is not None:
            messages = messages + fields[name]
    return messages
