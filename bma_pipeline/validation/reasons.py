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

from collections.abc import Mapping
from string import Formatter
from typing import NamedTuple

import pandas as pd

from bma_pipeline.columns import SUBMISSION


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


# Sentences of one message are joined with this; templates never contain it.
SENTENCE_SEPARATOR = "; "


def message_template(code: str, column: str, language: str) -> str:
    """The template of a reason with its column label and code format filled in."""
    reason = REASONS[code]
    if language == "th":
        template, label = reason.message_th, COLUMN_LABELS_TH.get(column, column)
    elif language == "en":
        template, label = reason.message_en, column
    else:
        raise ValueError(f"language must be 'th' or 'en', got {language!r}")
    expected = CODE_FORMATS.get(column, ("", ""))[0 if language == "th" else 1]
    # Double the braces of the label so only the row fields stay to be filled.
    return template.replace("{column}", label.replace("{", "{{").replace("}", "}}")).replace(
        "{expected}", expected
    )


def template_fields(code: str) -> set[str]:
    """The row fields (value, folder, …) a reason's messages need."""
    fields: set[str] = set()
    for template in (REASONS[code].message_th, REASONS[code].message_en):
        fields.update(name for _, name, _, _ in Formatter().parse(template) if name)
    return fields - {"column", "expected"}


def render_message(code: str, column: str, language: str, **fields: object) -> str:
    """One sentence for one reason on one column, in Thai (`th`) or English (`en`)."""
    return message_template(code, column, language).format(**fields)


def render_messages(
    code: str, column: str, language: str, fields: Mapping[str, pd.Series | str]
) -> pd.Series:
    """`render_message` for many rows at once; Series fields must share one index."""
    series = [value for value in fields.values() if isinstance(value, pd.Series)]
    if not series:
        raise ValueError("render_messages needs at least one Series field")
    messages = pd.Series("", index=series[0].index, dtype=object)
    for literal, name, _, _ in Formatter().parse(message_template(code, column, language)):
        messages = messages + literal
        if name is not None:
            messages = messages + fields[name]
    return messages
