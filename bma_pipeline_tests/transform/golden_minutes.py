"""The golden fixture's minutes ledger (schema raw, DOMAIN §7): three H units' meetings over P1–P3.

What belongs here: the minutes files and rows as intake stores them (the column registry's
types), hand-written, and nothing computed. The expected `mart_meetings` and `mart_commitments`
rows live in test_dbt_meetings.py, worked out by hand from these rows.

The lead units of golden_fixture.py: DDS (P001 with R 1001, 1002, 1003; P003 alone: 3 supporting
units), 1001 (P002 with R 1002: 1), ENV (P005 with R 1004, and 1005 from P3: 1, then 2).
Due dates P1 2022-12-10, P2 2023-02-10, P3 2023-04-10; as_of 2023-04-20.

- DDS P1 (file 1, meeting 5 Dec, 1001 and 1002 present, 1003 absent): one decision and three
  commitments — DDS-01 (1001, due 31 Jan, K0001), DDS-02 (1002, due 15 Jan), DDS-03 (DDS itself,
  due 15 Mar, P003's K0005).
- DDS P2 (file 2, meeting 8 Feb, only 1001 present): DDS-01 still open, DDS-03 dropped.
- DDS P3: file 3 (meeting 5 Apr, received 6 Apr) is replaced by file 4 (received 8 Apr): every
  supporting unit present, DDS-01 done, a new DDS-04 (1002, due 30 Jun); file 3's DDS-05 and its
  "DDS-01 open" are history. DDS-02 is never updated: overdue from P2.
- 1001 P1 (file 5, meeting 20 Dec: after the deadline, late): 1001-01 (1002, due 31 Mar, K0003).
  1001 sends nothing for P2 (missing); its P3 minutes (file 6) date the meeting 1 Jan, outside the
  window, so the meeting row and, by cascade, its update "1001-01 done" are quarantined: P3 is
  missing and 1001-01 is overdue by as_of.
- ENV P1 (file 7, meeting 25 Nov, within the period): ENV-01 (1004, due 31 Dec, K0007).
  ENV P2 (file 8, meeting on the deadline, received ten days later; 1004 absent): ENV-01 done,
  ENV-02 (1004, due 28 Feb). ENV's P3 minutes (file 9) arrive after as_of: P3 is missing, and
  file 9's "ENV-02 done" does not count yet.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from bma_pipeline.columns import MINUTES

# file_id, H unit, file name, received_at, n_rows
_FILES = [
    (1, "DDS", "2566-P1_minutes.xlsx", datetime(2022, 12, 7, 10, 0), 8),
    (2, "DDS", "2566-P2_minutes.xlsx", datetime(2023, 2, 9, 9, 0), 6),
    (3, "DDS", "2566-P3_minutes.xlsx", datetime(2023, 4, 6, 15, 0), 4),
    (4, "DDS", "2566-P3_minutes_rev1.xlsx", datetime(2023, 4, 8, 11, 0), 7),
    (5, "1001", "2566-P1_minutes.xlsx", datetime(2022, 12, 21, 9, 30), 4),
    (6, "1001", "2566-P3_minutes.xlsx", datetime(2023, 4, 15, 14, 0), 3),
    (7, "ENV", "2566-P1_minutes.xlsx", datetime(2022, 11, 28, 16, 0), 3),
    (8, "ENV", "2566-P2_minutes.xlsx", datetime(2023, 2, 20, 10, 0), 4),
    (9, "ENV", "2566-P3_minutes.xlsx", datetime(2023, 4, 25, 9, 0), 3),
]

MEETING, ATTENDANCE, DECISIONS, COMMITMENTS, UPDATES = (
    "meeting", "attendance", "decisions", "commitments", "updates"
)  # fmt: skip

# file_id, sheet, row_number, the row's parsed cells
# fmt: off
_ROWS = [
    (1, MEETING, 4, {"period": 1, "meeting_date": date(2022, 12, 5)}),
    (1, ATTENDANCE, 4, {"unit_code": "1001", "present": True}),
    (1, ATTENDANCE, 5, {"unit_code": "1002", "present": True}),
    (1, ATTENDANCE, 6, {"unit_code": "1003", "present": False}),
    (1, DECISIONS, 4, {"decision_no": 1.0, "text": "เร่งรัดการซ่อมไฟส่องสว่าง", "policy_code": "P001"}),
    (1, COMMITMENTS, 4, {"commitment_id": "DDS-01", "action": "สำรวจจุดมืดให้ครบ",
                         "owner_unit": "1001", "due_date": date(2023, 1, 31),
                         "policy_code": "P001", "kpi_code": "K0001"}),
    (1, COMMITMENTS, 5, {"commitment_id": "DDS-02", "action": "ส่งรายชื่อผู้รับเหมา",
                         "owner_unit": "1002", "due_date": date(2023, 1, 15),
                         "policy_code": "P001"}),
    (1, COMMITMENTS, 6, {"commitment_id": "DDS-03", "action": "จัดซื้อรถเก็บขยะ",
                         "owner_unit": "DDS", "due_date": date(2023, 3, 15),
                         "policy_code": "P003", "kpi_code": "K0005"}),
    (2, MEETING, 4, {"period": 2, "meeting_date": date(2023, 2, 8)}),
    (2, ATTENDANCE, 4, {"unit_code": "1001", "present": True}),
    (2, ATTENDANCE, 5, {"unit_code": "1002", "present": False}),
    (2, ATTENDANCE, 6, {"unit_code": "1003", "present": False}),
    (2, UPDATES, 4, {"commitment_id": "DDS-01", "status": "open", "note": "สำรวจแล้วครึ่งหนึ่ง"}),
    (2, UPDATES, 5, {"commitment_id": "DDS-03", "status": "dropped", "note": "งบประมาณไม่พอ"}),
    (3, MEETING, 4, {"period": 3, "meeting_date": date(2023, 4, 5)}),
    (3, ATTENDANCE, 4, {"unit_code": "1001", "present": True}),
    (3, COMMITMENTS, 4, {"commitment_id": "DDS-05", "action": "จ้างที่ปรึกษา",
                         "owner_unit": "1001", "due_date": date(2023, 5, 31),
                         "policy_code": "P001"}),
    (3, UPDATES, 4, {"commitment_id": "DDS-01", "status": "open"}),
    (4, MEETING, 4, {"period": 3, "meeting_date": date(2023, 4, 5)}),
    (4, ATTENDANCE, 4, {"unit_code": "1001", "present": True}),
    (4, ATTENDANCE, 5, {"unit_code": "1002", "present": True}),
    (4, ATTENDANCE, 6, {"unit_code": "1003", "present": True}),
    (4, DECISIONS, 4, {"decision_no": 1.0, "text": "ติดตามรายชื่อผู้รับเหมา", "policy_code": "P001"}),
    (4, COMMITMENTS, 4, {"commitment_id": "DDS-04", "action": "ติดตั้งไฟเพิ่ม 20 จุด",
                         "owner_unit": "1002", "due_date": date(2023, 6, 30),
                         "policy_code": "P001"}),
    (4, UPDATES, 4, {"commitment_id": "DDS-01", "status": "done", "note": "สำรวจครบแล้ว"}),
    (5, MEETING, 4, {"period": 1, "meeting_date": date(2022, 12, 20)}),
    (5, ATTENDANCE, 4, {"unit_code": "1002", "present": True}),
    (5, DECISIONS, 4, {"decision_no": 1.0, "text": "เร่งส่งข้อมูล", "policy_code": "P002"}),
    (5, COMMITMENTS, 4, {"commitment_id": "1001-01", "action": "อบรมผู้รายงานข้อมูล",
                         "owner_unit": "1002", "due_date": date(2023, 3, 31),
                         "policy_code": "P002", "kpi_code": "K0003"}),
    (6, MEETING, 4, {"period": 3, "meeting_date": date(2023, 1, 1)}),
    (6, ATTENDANCE, 4, {"unit_code": "1002", "present": True}),
    (6, UPDATES, 4, {"commitment_id": "1001-01", "status": "done"}),
    (7, MEETING, 4, {"period": 1, "meeting_date": date(2022, 11, 25)}),
    (7, ATTENDANCE, 4, {"unit_code": "1004", "present": True}),
    (7, COMMITMENTS, 4, {"commitment_id": "ENV-01", "action": "ตรวจควันดำรถโดยสาร",
                         "owner_unit": "1004", "due_date": date(2022, 12, 31),
                         "policy_code": "P005", "kpi_code": "K0007"}),
    (8, MEETING, 4, {"period": 2, "meeting_date": date(2023, 2, 10)}),
    (8, ATTENDANCE, 4, {"unit_code": "1004", "present": False}),
    (8, COMMITMENTS, 4, {"commitment_id": "ENV-02", "action": "ประสานกรมการขนส่ง",
                         "owner_unit": "1004", "due_date": date(2023, 2, 28),
                         "policy_code": "P005"}),
    (8, UPDATES, 4, {"commitment_id": "ENV-01", "status": "done"}),
    (9, MEETING, 4, {"period": 3, "meeting_date": date(2023, 4, 12)}),
    (9, ATTENDANCE, 4, {"unit_code": "1004", "present": True}),
    (9, UPDATES, 4, {"commitment_id": "ENV-02", "status": "done"}),
]
# fmt: on

# file 6: the meeting date is outside P3's window (1 Feb – 10 May); its other rows follow it.
_WINDOW_TH = "วันที่ประชุมไม่อยู่ในช่วงของงวด"
_WINDOW_EN = "the meeting date is outside the period's window"
_CASCADE_TH = "แถวการประชุมถูกกักไว้"
_CASCADE_EN = "the file's meeting row is quarantined"
QUARANTINED = [
    (6, MEETING, 4, "meeting_date_out_of_window", _WINDOW_TH, _WINDOW_EN),
    (6, ATTENDANCE, 4, "meeting_row_quarantined", _CASCADE_TH, _CASCADE_EN),
    (6, UPDATES, 4, "meeting_row_quarantined", _CASCADE_TH, _CASCADE_EN),
]


def _file_row(file_id: int, unit: str, name: str, received_at: datetime, n_rows: int) -> tuple:
    cells = {
        "file_id": file_id,
        "path": f"{unit}/meetings/{name}",
        "unit_folder": unit,
        "file_name": name,
        "sha256": f"{100 + file_id:064x}",
        "bytes": 5000 + file_id,
        "received_at": received_at,
        "outcome": "ingested",
        "n_rows": n_rows,
        "n_skipped_rows": 0,
        "ingested_at": received_at,
        "validated_at": received_at,
    }
    return tuple(cells.get(name) for name in MINUTES.files.sql_types)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "ใช่" if value else "ไม่ใช่"
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year + 543}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _minutes_row(file_id: int, sheet: str, row_number: int, cells: dict) -> tuple:
    parsed = dict(cells)
    if "period" in parsed:
        period = parsed.pop("period")
        parsed.update(period_key=period, period_fiscal_year=2566)
        raw = {"period_key": f"2566-P{period}", "meeting_date": _text(parsed["meeting_date"])}
    else:
        raw = {name: _text(value) for name, value in parsed.items()}
    row = {
        "file_id": file_id,
        "sheet": sheet,
        "row_number": row_number,
        "raw_cells": json.dumps(raw, ensure_ascii=False),
        **{f"raw_{name}": value for name, value in raw.items()},
        **parsed,
    }
    return tuple(row.get(name) for name in MINUTES.rows.sql_types)


def _quarantined_row(file_id, sheet, row_number, codes, message_th, message_en) -> tuple:
    received = next(f[3] for f in _FILES if f[0] == file_id)
    return (file_id, sheet, row_number, codes, message_th, message_en, received)


MINUTES_TABLES: dict[str, tuple[dict[str, str], list[tuple]]] = {
    "minutes_files": (MINUTES.files.sql_types, [_file_row(*f) for f in _FILES]),
    "minutes_rows": (MINUTES.rows.sql_types, [_minutes_row(*r) for r in _ROWS]),
    "minutes_quarantined_rows": (
        MINUTES.quarantine.sql_types,
        [_quarantined_row(*q) for q in QUARANTINED],
    ),
}
