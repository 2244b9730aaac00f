"""A small hand-made warehouse for the dbt golden test: FY2566, 4 units, 6 KPIs, P1–P3 reported.

What belongs here: the reference tables and the raw ledger as Python literals, with the column
types of the column registry (bma_pipeline/columns.py), and nothing computed. The expected mart
figures live in test_dbt_golden.py, worked out by hand from these rows.

The story (as_of = 2023-04-20 09:00 Bangkok; due dates P1 2022-12-10, P2 2023-02-10, P3 2023-04-10):
- DDS (department, G3) is H on P001 and P003; districts 1001 and 1002 are R on P001; 1001 is H and
  1002 is R on P002; 1003 is R on P001 but has no target, so it is out of scope everywhere.
- K0001 sum/increase, K0002 last/decrease, K0003 sum/increase (1002's target is 0),
  K0004 last/increase (1002 never reports it), K0005 sum/decrease (DDS reports 0, 0, then 8),
  K0006 (P004, group G1) has no targets at all.
- 1001 resends P2 (file 6 replaces file 5's K0001 1 → 3 and K0003 5 → 6; file 5 stays the
  first received).
- DDS P3 K0002 = 5 is quarantined (ignored); 1002's only P3 file is wholly quarantined (missing);
  1002's corrected P3 file arrives after as_of (not yet received); 1002 sends nothing for P2
  (missing).
- 1001 is 2 days late for P1 and 8 days late for P3; DDS P3 arrives on the due date (on time).
- File 11 is a duplicate (no rows); file 12 is ingested but not validated yet (its row does not
  count).
"""

from __future__ import annotations

from datetime import date, datetime

from bma_pipeline.columns import QUARANTINED_ROWS, SUBMISSION_FILES, SUBMISSION_ROWS

AS_OF = "2023-04-20T09:00:00"
FISCAL_YEAR = 2566
REPORTER = "สมชาย ใจดี 081-234-5678"  # personal data: must never leave schema raw

# fmt: off
# table → (columns with types, rows)
REFERENCE_TABLES: dict[str, tuple[dict[str, str], list[tuple]]] = {
    "mission_groups": (
        {"group_code": "varchar", "name_th": "varchar", "name_en": "varchar"},
        [
            ("G1", "งบประมาณ แผน และบุคคล", "Budget, plan and personnel"),
            ("G2", "คุณภาพชีวิต", "Quality of life"),
            ("G3", "โครงสร้างพื้นฐานและความปลอดภัย", "Infrastructure and safety"),
        ],
    ),
    "dimensions": (
        {"dimension_code": "varchar", "name_th": "varchar", "name_en": "varchar"},
        [
            ("safety", "ปลอดภัยดี", "Safety"),
            ("health", "สุขภาพดี", "Health"),
            ("environment", "สิ่งแวดล้อมดี", "Environment"),
            ("management", "บริหารจัดการดี", "Management"),
        ],
    ),
    "units": (
        {
            "unit_code": "varchar",
            "unit_type": "varchar",
            "name_th": "varchar",
            "name_en": "varchar",
            "abbrev_th": "varchar",
            "group_code": "varchar",
        },
        [
            ("DDS", "department", "สำนักการระบายน้ำ", "Drainage and Sewerage", "สนน.", "G3"),
            ("1001", "district", "สำนักงานเขตพระนคร", "Phra Nakhon", None, None),
            ("1002", "district", "สำนักงานเขตดุสิต", "Dusit", None, None),
            ("1003", "district", "สำนักงานเขตหนองจอก", "Nong Chok", None, None),
        ],
    ),
    "policies": (
        {
            "policy_code": "varchar",
            "title_th": "varchar",
            "title_en": "varchar",
            "dimension_code": "varchar",
            "group_code": "varchar",
        },
        [
            ("P001", "ขุดลอกคลองและท่อระบายน้ำ", "Dredge canals and drains", "environment", "G3"),
            ("P002", "ศูนย์บริการสาธารณสุขใกล้บ้าน", "Health centres near home", "health", "G2"),
            ("P003", "ลดเหตุน้ำท่วมขัง", "Fewer flooding incidents", "safety", "G3"),
            ("P004", "งบประมาณแบบมีส่วนร่วม", "Participatory budgeting", "management", "G1"),
        ],
    ),
    "kpis": (
        {
            "kpi_code": "varchar",
            "policy_code": "varchar",
            "name_th": "varchar",
            "name_en": "varchar",
            "measure_unit_th": "varchar",
            "measure_unit_en": "varchar",
            "direction": "varchar",
            "aggregation": "varchar",
            "is_percentage": "boolean",
        },
        [
            ("K0001", "P001", "คลองที่ขุดลอก", "Canals dredged", "คลอง", "canals",
             "increase", "sum", False),
            ("K0002", "P001", "ชั่วโมงระบายน้ำท่วมขัง", "Hours to drain a flood", "ชั่วโมง",
             "hours", "decrease", "last", False),
            ("K0003", "P002", "ผู้รับบริการเชิงรุก", "Outreach visits", "ครั้ง", "visits",
             "increase", "sum", False),
            ("K0004", "P002", "ร้อยละกล้องที่ใช้งานได้", "% cameras working", "%", "%",
             "increase", "last", True),
            ("K0005", "P003", "เหตุน้ำท่วมขัง", "Flooding incidents", "ครั้ง", "incidents",
             "decrease", "sum", False),
            ("K0006", "P004", "โครงการที่ประชาชนเสนอ", "Citizen proposals", "โครงการ",
             "projects", "increase", "sum", False),
        ],
    ),
    "assignments": (
        {"policy_code": "varchar", "unit_code": "varchar", "role": "varchar"},
        [
            ("P001", "DDS", "H"),
            ("P001", "1001", "R"),
            ("P001", "1002", "R"),
            ("P001", "1003", "R"),
            ("P002", "1001", "H"),
            ("P002", "1002", "R"),
            ("P003", "DDS", "H"),
            ("P004", "1001", "R"),
        ],
    ),
    "targets": (
        {
            "fiscal_year": "integer",
            "kpi_code": "varchar",
            "unit_code": "varchar",
            "annual_target": "double precision",
        },
        [
            (2566, "K0001", "DDS", 60.0),
            (2566, "K0001", "1001", 12.0),
            (2566, "K0001", "1002", 12.0),
            (2566, "K0002", "DDS", 10.0),
            (2566, "K0003", "1001", 30.0),
            (2566, "K0003", "1002", 0.0),
            (2566, "K0004", "1001", 90.0),
            (2566, "K0004", "1002", 90.0),
            (2566, "K0005", "DDS", 12.0),
        ],
    ),
    "key_projects": (
        {"fiscal_year": "integer", "policy_code": "varchar"},
        [(2566, "P001"), (2567, "P002")],
    ),
    "periods": (
        {
            "fiscal_year": "integer",
            "period_no": "integer",
            "period_key": "varchar",
            "start_date": "date",
            "end_date": "date",
        },
        [
            (2566, 1, "2566-P1", date(2022, 10, 1), date(2022, 11, 30)),
            (2566, 2, "2566-P2", date(2022, 12, 1), date(2023, 1, 31)),
            (2566, 3, "2566-P3", date(2023, 2, 1), date(2023, 3, 31)),
            (2566, 4, "2566-P4", date(2023, 4, 1), date(2023, 5, 31)),
            (2566, 5, "2566-P5", date(2023, 6, 1), date(2023, 7, 31)),
            (2566, 6, "2566-P6", date(2023, 8, 1), date(2023, 9, 30)),
        ],
    ),
}
# fmt: on

# The ledger's columns and types are the registry's (the same DDL intake writes).
SUBMISSION_FILES_COLUMNS = SUBMISSION_FILES.sql_types

# file_id, unit folder, file name, received_at (Bangkok wall time), outcome, n_rows, validated?
_FILES = [
    (1, "DDS", "dds_2566_p1.csv", datetime(2022, 12, 5, 10, 0), "ingested", 3, True),
    (2, "1001", "1001_2566_p1.xlsx", datetime(2022, 12, 12, 8, 0), "ingested", 3, True),
    (3, "1002", "1002_2566_p1.csv", datetime(2022, 12, 9, 14, 30), "ingested", 2, True),
    (4, "DDS", "dds_2566_p2.csv", datetime(2023, 2, 8, 9, 0), "ingested", 3, True),
    (5, "1001", "1001_2566_p2.csv", datetime(2023, 2, 10, 23, 0), "ingested", 2, True),
    (6, "1001", "1001_2566_p2_v2.csv", datetime(2023, 2, 15, 11, 0), "ingested", 2, True),
    (7, "DDS", "dds_2566_p3.csv", datetime(2023, 4, 10, 9, 0), "ingested", 3, True),
    (8, "1001", "1001_2566_p3.csv", datetime(2023, 4, 18, 16, 0), "ingested", 3, True),
    (9, "1002", "1002_2566_p3.csv", datetime(2023, 4, 12, 10, 0), "ingested", 1, True),
    (10, "1002", "1002_2566_p3_fix.csv", datetime(2023, 4, 25, 8, 0), "ingested", 1, True),
    (11, "DDS", "dds_2566_p1_copy.csv", datetime(2022, 12, 6, 7, 0), "duplicate", 0, False),
    (12, "DDS", "dds_2566_p4_draft.csv", datetime(2023, 4, 15, 13, 0), "ingested", 1, False),
]


def _file_row(file_id, unit, name, received_at, outcome, n_rows, validated):
    return (
        file_id,
        f"{unit}/{name}",
        unit,
        name,
        f"{file_id:064x}",
        1000 + file_id,
        received_at,
        outcome,
        "duplicate_file" if outcome == "duplicate" else None,
        "same bytes as dds_2566_p1.csv / ไฟล์ซ้ำ" if outcome == "duplicate" else None,
        n_rows,
        0,  # n_skipped_rows
        received_at,
        received_at if validated else None,
    )


SUBMISSION_FILES_ROWS = [_file_row(*f) for f in _FILES]

SUBMISSION_ROWS_COLUMNS = SUBMISSION_ROWS.sql_types

# file_id, row_number, unit, period_no, kpi_code, actual_value, status, obstacles
_ROWS = [
    (1, 1, "DDS", 1, "K0001", 12.0, "in_progress", "   "),
    (1, 2, "DDS", 1, "K0002", 12.0, None, None),
    (1, 3, "DDS", 1, "K0005", 0.0, None, None),
    (2, 1, "1001", 1, "K0001", 1.0, "in_progress", None),
    (2, 2, "1001", 1, "K0003", 5.0, None, None),
    (2, 3, "1001", 1, "K0004", 80.0, "delayed", "งบซ่อมกล้องไม่พอ / camera repair budget short"),
    (3, 1, "1002", 1, "K0001", 4.0, "completed", None),
    (3, 2, "1002", 1, "K0003", 4.0, None, None),
    (4, 1, "DDS", 2, "K0001", 10.0, None, None),
    (4, 2, "DDS", 2, "K0002", 8.0, None, None),
    (4, 3, "DDS", 2, "K0005", 0.0, None, None),
    (5, 1, "1001", 2, "K0001", 1.0, "delayed", "รอผู้รับจ้าง / waiting for the contractor"),
    (5, 2, "1001", 2, "K0003", 5.0, None, None),
    (6, 1, "1001", 2, "K0001", 3.0, "in_progress", None),
    (6, 2, "1001", 2, "K0003", 6.0, None, None),
    (7, 1, "DDS", 3, "K0001", 14.0, None, None),
    (7, 2, "DDS", 3, "K0002", 5.0, "finished", "quarantined, must not show"),
    (7, 3, "DDS", 3, "K0005", 8.0, "in_progress", "ฝนตกหนัก / heavy rain"),
    (8, 1, "1001", 3, "K0001", 4.0, None, None),
    (8, 2, "1001", 3, "K0003", 5.0, None, None),
    (8, 3, "1001", 3, "K0004", 95.0, None, None),
    (9, 1, "1002", 3, "K0001", 6.0, None, None),
    (10, 1, "1002", 3, "K0001", 5.0, None, "received after as_of, must not show"),
    (12, 1, "DDS", 4, "K0001", 100.0, None, None),
]


def _text(value):
    if value is None:
        return None
    return f"{value:g}" if isinstance(value, float) else str(value)


def _submission_row(file_id, row_number, unit, period_no, kpi, value, status, obstacles):
    cells = {
        "รหัสหน่วยงาน": unit,
        "ปีงบประมาณ": str(FISCAL_YEAR),
        "งวดที่": str(period_no),
        "รหัสตัวชี้วัด": kpi,
        "ผลการดำเนินงาน": _text(value),
        "ผู้รายงาน": REPORTER,
    }
    raw_cells = "{" + ", ".join(f'"{k}": "{v}"' for k, v in cells.items()) + "}"
    return (
        file_id,
        row_number,
        unit,
        raw_cells,
        unit,
        str(FISCAL_YEAR),
        str(period_no),
        kpi,
        _text(value),
        None,
        status,
        obstacles,
        None,
        REPORTER,
        unit,
        FISCAL_YEAR,
        period_no,
        None,
        kpi,
        value,
        None,
        status if status != "finished" else None,
        obstacles,
        None,
        REPORTER,
    )


SUBMISSION_ROWS_ROWS = [_submission_row(*r) for r in _ROWS]

QUARANTINED_ROWS_COLUMNS = QUARANTINED_ROWS.sql_types

# fmt: off
QUARANTINED_ROWS_ROWS = [
    (7, 2, "status_invalid", "คอลัมน์ status: 'finished' ไม่ใช่สถานะที่กำหนด",
     "column status: 'finished' is not a known status", datetime(2023, 4, 10, 9, 5)),
    (9, 1, "reported_on_future", "คอลัมน์ reported_on: วันที่อยู่ในอนาคต",
     "column reported_on: the date is in the future", datetime(2023, 4, 12, 10, 5)),
]
# fmt: on

RAW_TABLES: dict[str, tuple[dict[str, str], list[tuple]]] = {
    "submission_files": (SUBMISSION_FILES_COLUMNS, SUBMISSION_FILES_ROWS),
    "submission_rows": (SUBMISSION_ROWS_COLUMNS, SUBMISSION_ROWS_ROWS),
    "quarantined_rows": (QUARANTINED_ROWS_COLUMNS, QUARANTINED_ROWS_ROWS),
}

TABLES: dict[tuple[str, str], tuple[dict[str, str], list[tuple]]] = {
    **{("reference", name): spec for name, spec in REFERENCE_TABLES.items()},
    **{("raw", name): spec for name, spec in RAW_TABLES.items()},
}
