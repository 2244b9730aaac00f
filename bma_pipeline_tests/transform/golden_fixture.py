"""A small hand-made warehouse for the dbt golden test: FY2566, P1–P3 reported, three plan versions.

What belongs here: the city reference data (schema reference), the plan versions as schema plans
holds them (bma_pipeline/plans/versions.py derives that schema; here it is written out by hand)
and the submission ledger (schema raw), as Python literals with the column types of the column
registry (bma_pipeline/columns.py), and nothing computed. The expected mart figures live in
test_dbt_golden.py, worked out by hand from these rows.

The story (as_of = 2023-04-20 09:00 Bangkok; due dates P1 2022-12-10, P2 2023-02-10, P3 2023-04-10):

Plan versions (the file ids of the plan ledger):
- v1, SED's city plan for FY2566, in force from P1 (received 2022-09-20): policies P001–P005.
- v2, ENV's revision of P005 from P3 (received 2023-01-25): 1005 joins P005 as R with a K0007
  target (period targets 10, 10, 0, 10 for P3–P6); nothing else changes.
- v3, ENV's revision of P005 from P4 (received 2023-03-28): 1004's K0007 target is raised 60 → 90;
  K0010 is retired. So P005 is in force as v1 in P1–P2, v2 in P3, v3 in P4–P6; P001–P004 are v1's.

The first four policies (the story before plans, unchanged):
- DDS (department, G3) is H on P001 and P003; districts 1001 and 1002 are R on P001; 1001 is H and
  1002 is R on P002; 1003 is R on P001 but has no target, so it is out of scope everywhere.
- K0001 sum/increase, K0002 last/decrease, K0003 sum/increase (1002's target is 0),
  K0004 last/increase (1002 never reports it), K0005 sum/decrease (DDS reports 0, 0, then 8),
  K0006 (P004, group G1) has no targets at all. P001 is the year's key project. No period
  targets, no baselines, no projects: every target is pro rata (sum) or the annual one (last).
- 1001 resends P2 (file 6 replaces file 5's K0001 1 → 3 and K0003 5 → 6; file 5 stays the
  first received).
- DDS P3 K0002 = 5 is quarantined (ignored); 1002's only P3 file is wholly quarantined (missing);
  1002's corrected P3 file arrives after as_of (not yet received); 1002 sends nothing for P2
  (missing).
- 1001 is 2 days late for P1 and 8 days late for P3; DDS P3 arrives on the due date (on time).
- File 11 is a duplicate (no rows); file 12 is ingested but not validated yet (its row does not
  count).

P005, less PM2.5 dust (G2; dimensions environment, then health), led by ENV (department, G2),
with 1004 as R from P1 and 1005 as R from P3; project P005-1 (black-smoke checks) holds K0007 and
K0008, K0009 and K0010 belong to the policy alone:
- K0007 sum/increase: ENV has period targets 100, 200, 200, 50, 0, 50 (the dry season first) and
  reports 120, 150, 260; 1004 has an annual 60 (90 from P4), pro rata, and reports 12, —, 28;
  1005 (from P3) reports 12 for P3.
- K0008 last/increase: ENV has period targets 50 (P1), 80 (P3), 90 (P6) and reports 40, 70, 85.
- K0009 last/increase with baseline 80: ENV's target is 95 and it reports 78 (below the
  baseline), 83, 86; 1004's target is 80, the baseline itself, and it reports 81 (reached), —, 79.
- K0010 sum/increase, ENV's annual 60 pro rata, retired from P4: ENV reports 10, 5.
- ENV is on time for P1 and P2 and a day late for P3; 1004 is on time for P1 (on the due date)
  and P3 and sends nothing for P2 (missing); 1005 is 9 days late for P3 and owes nothing before.
- SED sends plans only (no targets): a unit of the city, out of scope everywhere.
"""

from __future__ import annotations

from datetime import date, datetime

from bma_pipeline.columns import (
    PLAN_TABLES,
    QUARANTINED_ROWS,
    REFERENCE_TABLES,
    SUBMISSION_FILES,
    SUBMISSION_ROWS,
)

from .golden_minutes import MINUTES_TABLES

AS_OF = "2023-04-20T09:00:00"
FISCAL_YEAR = 2566
REPORTER = "สมชาย ใจดี 081-234-5678"  # personal data: must never leave schema raw

# fmt: off
# ---------------------------------------------------------------- schema reference (the city)

REFERENCE_ROWS: dict[str, list[tuple]] = {
    "mission_groups": [
        ("G1", "งบประมาณ แผน และบุคคล", "Budget, plan and personnel"),
        ("G2", "คุณภาพชีวิต", "Quality of life"),
        ("G3", "โครงสร้างพื้นฐานและความปลอดภัย", "Infrastructure and safety"),
    ],
    "dimensions": [
        ("safety", "ปลอดภัยดี", "Safety"),
        ("health", "สุขภาพดี", "Health"),
        ("environment", "สิ่งแวดล้อมดี", "Environment"),
        ("management", "บริหารจัดการดี", "Management"),
    ],
    # unit_code, unit_type, name_th, name_en, abbrev_th, group_code
    "units": [
        ("DDS", "department", "สำนักการระบายน้ำ", "Drainage and Sewerage", "สนน.", "G3"),
        ("1001", "district", "สำนักงานเขตพระนคร", "Phra Nakhon", None, None),
        ("1002", "district", "สำนักงานเขตดุสิต", "Dusit", None, None),
        ("1003", "district", "สำนักงานเขตหนองจอก", "Nong Chok", None, None),
        ("SED", "department", "สำนักยุทธศาสตร์และประเมินผล", "Strategy and Evaluation Department",
         "สยป.", "G1"),
        ("ENV", "department", "สำนักสิ่งแวดล้อม", "Environment Department", "สสล.", "G2"),
        ("1004", "district", "สำนักงานเขตบางรัก", "Bang Rak", None, None),
        ("1005", "district", "สำนักงานเขตบางเขน", "Bang Khen", None, None),
    ],
}

# ---------------------------------------------------------------- schema plans: each version's rows
# A revision holds the whole of each policy it revises: all its KPIs, assignments and targets.

# v1: SED's city plan for FY2566, in force from P1.
CITY_PLAN: dict[str, list[tuple]] = {
    # plan_version_id, policy_code, title_th, title_en, group_code, dimension_code, is_key_project
    "policies": [
        (1, "P001", "ขุดลอกคลองและท่อระบายน้ำ", "Dredge canals and drains", "G3", "environment", True),
        (1, "P002", "ศูนย์บริการสาธารณสุขใกล้บ้าน", "Health centres near home", "G2", "health", False),
        (1, "P003", "ลดเหตุน้ำท่วมขัง", "Fewer flooding incidents", "G3", "safety", False),
        (1, "P004", "งบประมาณแบบมีส่วนร่วม", "Participatory budgeting", "G1", "management", False),
        (1, "P005", "ลดฝุ่น PM2.5", "Less PM2.5 dust", "G2", "environment", False),
    ],
    # plan_version_id, policy_code, dimension_code, position, is_primary
    "policy_dimensions": [
        (1, "P001", "environment", 1, True),
        (1, "P002", "health", 1, True),
        (1, "P003", "safety", 1, True),
        (1, "P004", "management", 1, True),
        (1, "P005", "environment", 1, True),
        (1, "P005", "health", 2, False),
    ],
    # plan_version_id, project_code, policy_code, title_th, title_en
    "projects": [
        (1, "P005-1", "P005", "ตรวจควันดำรถยนต์", "Black-smoke checks on vehicles"),
    ],
    # plan_version_id, kpi_code, policy_code, project_code, name_th, name_en, measure_unit_th,
    # measure_unit_en, direction, aggregation, is_percentage, baseline_value, kpi_type
    "kpis": [
        (1, "K0001", "P001", None, "คลองที่ขุดลอก", "Canals dredged", "คลอง", "canals",
         "increase", "sum", False, None, None),
        (1, "K0002", "P001", None, "ชั่วโมงระบายน้ำท่วมขัง", "Hours to drain a flood", "ชั่วโมง",
         "hours", "decrease", "last", False, None, None),
        (1, "K0003", "P002", None, "ผู้รับบริการเชิงรุก", "Outreach visits", "ครั้ง", "visits",
         "increase", "sum", False, None, None),
        (1, "K0004", "P002", None, "ร้อยละกล้องที่ใช้งานได้", "% cameras working", "%", "%",
         "increase", "last", True, None, None),
        (1, "K0005", "P003", None, "เหตุน้ำท่วมขัง", "Flooding incidents", "ครั้ง", "incidents",
         "decrease", "sum", False, None, None),
        (1, "K0006", "P004", None, "โครงการที่ประชาชนเสนอ", "Citizen proposals", "โครงการ",
         "projects", "increase", "sum", False, None, None),
        (1, "K0007", "P005", "P005-1", "รถที่ตรวจควันดำ", "Vehicles checked", "คัน", "vehicles",
         "increase", "sum", False, None, "output"),
        (1, "K0008", "P005", "P005-1", "ร้อยละจุดตรวจที่เปิดทำการ", "% checkpoints open", "%", "%",
         "increase", "last", True, None, "output"),
        (1, "K0009", "P005", None, "ร้อยละวันที่อากาศดี", "% days of good air", "%", "%",
         "increase", "last", True, 80.0, "outcome"),
        (1, "K0010", "P005", None, "หน้ากากที่แจก", "Masks handed out", "ชิ้น", "masks",
         "increase", "sum", False, None, "output"),
    ],
    # plan_version_id, policy_code, unit_code, role
    "assignments": [
        (1, "P001", "DDS", "H"),
        (1, "P001", "1001", "R"),
        (1, "P001", "1002", "R"),
        (1, "P001", "1003", "R"),
        (1, "P002", "1001", "H"),
        (1, "P002", "1002", "R"),
        (1, "P003", "DDS", "H"),
        (1, "P004", "1001", "R"),
        (1, "P005", "ENV", "H"),
        (1, "P005", "1004", "R"),
    ],
    # plan_version_id, fiscal_year, policy_code, kpi_code, unit_code, annual_target, p1 … p6
    "targets": [
        (1, 2566, "P001", "K0001", "DDS", 60.0, None, None, None, None, None, None),
        (1, 2566, "P001", "K0001", "1001", 12.0, None, None, None, None, None, None),
        (1, 2566, "P001", "K0001", "1002", 12.0, None, None, None, None, None, None),
        (1, 2566, "P001", "K0002", "DDS", 10.0, None, None, None, None, None, None),
        (1, 2566, "P002", "K0003", "1001", 30.0, None, None, None, None, None, None),
        (1, 2566, "P002", "K0003", "1002", 0.0, None, None, None, None, None, None),
        (1, 2566, "P002", "K0004", "1001", 90.0, None, None, None, None, None, None),
        (1, 2566, "P002", "K0004", "1002", 90.0, None, None, None, None, None, None),
        (1, 2566, "P003", "K0005", "DDS", 12.0, None, None, None, None, None, None),
        (1, 2566, "P005", "K0007", "ENV", 600.0, 100.0, 200.0, 200.0, 50.0, 0.0, 50.0),
        (1, 2566, "P005", "K0007", "1004", 60.0, None, None, None, None, None, None),
        (1, 2566, "P005", "K0008", "ENV", 90.0, 50.0, None, 80.0, None, None, 90.0),
        (1, 2566, "P005", "K0009", "ENV", 95.0, None, None, None, None, None, None),
        (1, 2566, "P005", "K0009", "1004", 80.0, None, None, None, None, None, None),
        (1, 2566, "P005", "K0010", "ENV", 60.0, None, None, None, None, None, None),
    ],
}

# v2: ENV's revision of P005 from P3 — 1005 joins as R with a K0007 target; the rest as in v1.
P005_FROM_P3: dict[str, list[tuple]] = {
    "policies": [
        (2, "P005", "ลดฝุ่น PM2.5", "Less PM2.5 dust", "G2", "environment", False),
    ],
    "policy_dimensions": [
        (2, "P005", "environment", 1, True),
        (2, "P005", "health", 2, False),
    ],
    "projects": [
        (2, "P005-1", "P005", "ตรวจควันดำรถยนต์", "Black-smoke checks on vehicles"),
    ],
    "kpis": [
        (2, "K0007", "P005", "P005-1", "รถที่ตรวจควันดำ", "Vehicles checked", "คัน", "vehicles",
         "increase", "sum", False, None, "output"),
        (2, "K0008", "P005", "P005-1", "ร้อยละจุดตรวจที่เปิดทำการ", "% checkpoints open", "%", "%",
         "increase", "last", True, None, "output"),
        (2, "K0009", "P005", None, "ร้อยละวันที่อากาศดี", "% days of good air", "%", "%",
         "increase", "last", True, 80.0, "outcome"),
        (2, "K0010", "P005", None, "หน้ากากที่แจก", "Masks handed out", "ชิ้น", "masks",
         "increase", "sum", False, None, "output"),
    ],
    "assignments": [
        (2, "P005", "ENV", "H"),
        (2, "P005", "1004", "R"),
        (2, "P005", "1005", "R"),
    ],
    "targets": [
        (2, 2566, "P005", "K0007", "ENV", 600.0, 100.0, 200.0, 200.0, 50.0, 0.0, 50.0),
        (2, 2566, "P005", "K0007", "1004", 60.0, None, None, None, None, None, None),
        (2, 2566, "P005", "K0007", "1005", 30.0, None, None, 10.0, 10.0, 0.0, 10.0),
        (2, 2566, "P005", "K0008", "ENV", 90.0, 50.0, None, 80.0, None, None, 90.0),
        (2, 2566, "P005", "K0009", "ENV", 95.0, None, None, None, None, None, None),
        (2, 2566, "P005", "K0009", "1004", 80.0, None, None, None, None, None, None),
        (2, 2566, "P005", "K0010", "ENV", 60.0, None, None, None, None, None, None),
    ],
}

# v3: ENV's revision of P005 from P4 — 1004's K0007 target 60 → 90, K0010 retired.
P005_FROM_P4: dict[str, list[tuple]] = {
    "policies": [
        (3, "P005", "ลดฝุ่น PM2.5", "Less PM2.5 dust", "G2", "environment", False),
    ],
    "policy_dimensions": [
        (3, "P005", "environment", 1, True),
        (3, "P005", "health", 2, False),
    ],
    "projects": [
        (3, "P005-1", "P005", "ตรวจควันดำรถยนต์", "Black-smoke checks on vehicles"),
    ],
    "kpis": [
        (3, "K0007", "P005", "P005-1", "รถที่ตรวจควันดำ", "Vehicles checked", "คัน", "vehicles",
         "increase", "sum", False, None, "output"),
        (3, "K0008", "P005", "P005-1", "ร้อยละจุดตรวจที่เปิดทำการ", "% checkpoints open", "%", "%",
         "increase", "last", True, None, "output"),
        (3, "K0009", "P005", None, "ร้อยละวันที่อากาศดี", "% days of good air", "%", "%",
         "increase", "last", True, 80.0, "outcome"),
    ],
    "assignments": [
        (3, "P005", "ENV", "H"),
        (3, "P005", "1004", "R"),
        (3, "P005", "1005", "R"),
    ],
    "targets": [
        (3, 2566, "P005", "K0007", "ENV", 600.0, 100.0, 200.0, 200.0, 50.0, 0.0, 50.0),
        (3, 2566, "P005", "K0007", "1004", 90.0, None, None, None, None, None, None),
        (3, 2566, "P005", "K0007", "1005", 30.0, None, None, 10.0, 10.0, 0.0, 10.0),
        (3, 2566, "P005", "K0008", "ENV", 90.0, 50.0, None, 80.0, None, None, 90.0),
        (3, 2566, "P005", "K0009", "ENV", 95.0, None, None, None, None, None, None),
        (3, 2566, "P005", "K0009", "1004", 80.0, None, None, None, None, None, None),
    ],
}

# plan_version_id, fiscal_year, sender_unit, file_name, path, received_at, effective_from
VERSION_1 = (1, 2566, "SED", "sed_2566_action_plan.xlsx", "SED/plans/sed_2566_action_plan.xlsx",
             datetime(2022, 9, 20, 10, 0), 1)
VERSION_2 = (2, 2566, "ENV", "env_2566_p005_from_p3.xlsx", "ENV/plans/env_2566_p005_from_p3.xlsx",
             datetime(2023, 1, 25, 14, 0), 3)
VERSION_3 = (3, 2566, "ENV", "env_2566_p005_from_p4.xlsx", "ENV/plans/env_2566_p005_from_p4.xlsx",
             datetime(2023, 3, 28, 11, 0), 4)

# fiscal_year, policy_code, plan_version_id, valid_from_period, valid_to_period, replaces_version_id
CITY_POLICY_VERSIONS = [  # P001–P004: v1 all year
    (2566, "P001", 1, 1, 6, None),
    (2566, "P002", 1, 1, 6, None),
    (2566, "P003", 1, 1, 6, None),
    (2566, "P004", 1, 1, 6, None),
]
POLICY_VERSIONS = CITY_POLICY_VERSIONS + [
    (2566, "P005", 1, 1, 2, None),
    (2566, "P005", 2, 3, 3, 1),
    (2566, "P005", 3, 4, 6, 2),
]

# fiscal_year, period_no, policy_code, plan_version_id
CITY_POLICY_IN_FORCE = [  # P001–P004: v1 all year
    (2566, 1, "P001", 1), (2566, 2, "P001", 1), (2566, 3, "P001", 1),
    (2566, 4, "P001", 1), (2566, 5, "P001", 1), (2566, 6, "P001", 1),
    (2566, 1, "P002", 1), (2566, 2, "P002", 1), (2566, 3, "P002", 1),
    (2566, 4, "P002", 1), (2566, 5, "P002", 1), (2566, 6, "P002", 1),
    (2566, 1, "P003", 1), (2566, 2, "P003", 1), (2566, 3, "P003", 1),
    (2566, 4, "P003", 1), (2566, 5, "P003", 1), (2566, 6, "P003", 1),
    (2566, 1, "P004", 1), (2566, 2, "P004", 1), (2566, 3, "P004", 1),
    (2566, 4, "P004", 1), (2566, 5, "P004", 1), (2566, 6, "P004", 1),
]
POLICY_IN_FORCE = CITY_POLICY_IN_FORCE + [
    (2566, 1, "P005", 1), (2566, 2, "P005", 1), (2566, 3, "P005", 2),
    (2566, 4, "P005", 3), (2566, 5, "P005", 3), (2566, 6, "P005", 3),
]

# Before v3 is ingested: v2 holds P005 from P3 to the end of the year.
POLICY_VERSIONS_BEFORE_P4_REVISION = CITY_POLICY_VERSIONS + [
    (2566, "P005", 1, 1, 2, None),
    (2566, "P005", 2, 3, 6, 1),
]
POLICY_IN_FORCE_BEFORE_P4_REVISION = CITY_POLICY_IN_FORCE + [
    (2566, 1, "P005", 1), (2566, 2, "P005", 1), (2566, 3, "P005", 2),
    (2566, 4, "P005", 2), (2566, 5, "P005", 2), (2566, 6, "P005", 2),
]

# fiscal_year, period_no, period_key, start_date, end_date
PERIODS = [
    (2566, 1, "2566-P1", date(2022, 10, 1), date(2022, 11, 30)),
    (2566, 2, "2566-P2", date(2022, 12, 1), date(2023, 1, 31)),
    (2566, 3, "2566-P3", date(2023, 2, 1), date(2023, 3, 31)),
    (2566, 4, "2566-P4", date(2023, 4, 1), date(2023, 5, 31)),
    (2566, 5, "2566-P5", date(2023, 6, 1), date(2023, 7, 31)),
    (2566, 6, "2566-P6", date(2023, 8, 1), date(2023, 9, 30)),
]
# fmt: on

_CONTENT = ("policies", "policy_dimensions", "projects", "kpis", "assignments", "targets")

PLAN_ROWS: dict[str, list[tuple]] = {
    "versions": [VERSION_1, VERSION_2, VERSION_3],
    "policy_versions": POLICY_VERSIONS,
    "policy_in_force": POLICY_IN_FORCE,
    **{name: CITY_PLAN[name] + P005_FROM_P3[name] + P005_FROM_P4[name] for name in _CONTENT},
    "periods": PERIODS,
}

# Schema plans as it stood before v3 was ingested (test_dbt_incremental.py: the revision arrives).
PLAN_ROWS_BEFORE_P4_REVISION: dict[str, list[tuple]] = {
    "versions": [VERSION_1, VERSION_2],
    "policy_versions": POLICY_VERSIONS_BEFORE_P4_REVISION,
    "policy_in_force": POLICY_IN_FORCE_BEFORE_P4_REVISION,
    **{name: CITY_PLAN[name] + P005_FROM_P3[name] for name in _CONTENT},
    "periods": PERIODS,
}

# ---------------------------------------------------------------- schema raw (the ledger)
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
    (13, "ENV", "env_2566_p1.csv", datetime(2022, 12, 8, 9, 0), "ingested", 4, True),
    (14, "1004", "1004_2566_p1.csv", datetime(2022, 12, 10, 16, 0), "ingested", 2, True),
    (15, "ENV", "env_2566_p2.csv", datetime(2023, 2, 9, 13, 0), "ingested", 4, True),
    (16, "ENV", "env_2566_p3.csv", datetime(2023, 4, 11, 10, 0), "ingested", 3, True),
    (17, "1004", "1004_2566_p3.csv", datetime(2023, 4, 5, 11, 0), "ingested", 2, True),
    (18, "1005", "1005_2566_p3.csv", datetime(2023, 4, 19, 15, 0), "ingested", 1, True),
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
        None,  # plan_state: validation's fingerprint of the plan in force, not read by dbt
        None,  # mtime_ns
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
    (13, 1, "ENV", 1, "K0007", 120.0, "in_progress", None),
    (13, 2, "ENV", 1, "K0008", 40.0, None, None),
    (13, 3, "ENV", 1, "K0009", 78.0, None, None),
    (13, 4, "ENV", 1, "K0010", 10.0, None, None),
    (14, 1, "1004", 1, "K0007", 12.0, None, None),
    (14, 2, "1004", 1, "K0009", 81.0, None, None),
    (15, 1, "ENV", 2, "K0007", 150.0, None, None),
    (15, 2, "ENV", 2, "K0008", 70.0, None, None),
    (15, 3, "ENV", 2, "K0009", 83.0, None, None),
    (15, 4, "ENV", 2, "K0010", 5.0, None, None),
    (16, 1, "ENV", 3, "K0007", 260.0, None, None),
    (16, 2, "ENV", 3, "K0008", 85.0, None, None),
    (16, 3, "ENV", 3, "K0009", 86.0, None, None),
    (17, 1, "1004", 3, "K0007", 28.0, None, None),
    (17, 2, "1004", 3, "K0009", 79.0, None, None),
    (18, 1, "1005", 3, "K0007", 12.0, None, None),
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
# file_id, row_number, reason_codes, message_th, message_en, quarantined_at, superseded_at
QUARANTINED_ROWS_ROWS = [
    (7, 2, "status_invalid", "คอลัมน์ status: 'finished' ไม่ใช่สถานะที่กำหนด",
     "column status: 'finished' is not a known status", datetime(2023, 4, 10, 9, 5), None),
    (9, 1, "reported_on_future", "คอลัมน์ reported_on: วันที่อยู่ในอนาคต",
     "column reported_on: the date is in the future", datetime(2023, 4, 12, 10, 5), None),
]
# fmt: on

RAW_TABLES: dict[str, tuple[dict[str, str], list[tuple]]] = {
    "submission_files": (SUBMISSION_FILES_COLUMNS, SUBMISSION_FILES_ROWS),
    "submission_rows": (SUBMISSION_ROWS_COLUMNS, SUBMISSION_ROWS_ROWS),
    "quarantined_rows": (QUARANTINED_ROWS_COLUMNS, QUARANTINED_ROWS_ROWS),
    **MINUTES_TABLES,  # the H–R meetings: golden_minutes.py
}


def plan_tables(rows: dict[str, list[tuple]]) -> dict[tuple[str, str], tuple[dict, list]]:
    """Schema plans' tables with the registry's columns and types, holding `rows`."""
    return {
        (table.schema, table.name): (table.sql_types, rows[table.name]) for table in PLAN_TABLES
    }


PLANS = plan_tables(PLAN_ROWS)
PLANS_BEFORE_P4_REVISION = plan_tables(PLAN_ROWS_BEFORE_P4_REVISION)

TABLES: dict[tuple[str, str], tuple[dict[str, str], list[tuple]]] = {
    **{(t.schema, t.name): (t.sql_types, REFERENCE_ROWS[t.name]) for t in REFERENCE_TABLES},
    **PLANS,
    **{("raw", name): spec for name, spec in RAW_TABLES.items()},
}
# The same warehouse before ENV's P4 revision (v3) was ingested.
TABLES_BEFORE_P4_REVISION = {**TABLES, **PLANS_BEFORE_P4_REVISION}
