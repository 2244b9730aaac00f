"""Golden test of the dbt project: a hand-made warehouse in, hand-worked mart figures out.

The fixture (golden_fixture.py) is loaded into a fresh DuckDB file, `dbt build` runs over it with
as_of = 2023-04-20 09:00, and every mart row is compared with figures worked out by hand below
(docs/DOMAIN.md §4). The same fixture then runs on PostgreSQL and must give the same marts.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime

import pytest

from .conftest import MARTS, DbtBuild

ON, AT, OFF, ND = "on_track", "at_risk", "off_track", "no_data"
CAP = 1.2

# Per in-scope pair (unit, KPI): the hand-worked figures for each period it is in scope (`periods`,
# 1–6 unless said), with the plan version whose target holds then and the target rule (§4, §6).
# DDS K0001 sum/increase, target 60 → target to date 10 per period; reported 12, 10, 14.
# 1001 K0001 sum/increase, target 12; reported 1, 1 then resent as 3, 4.
# 1002 K0001 sum/increase, target 12; reported 4 (overshoot 2.0 → capped 1.2), P3 quarantined.
# DDS K0002 last/decrease, target 10; reported 12, 8 (P3's 5 is quarantined).
# 1001 K0003 sum/increase, target 30; reported 5, 5 then resent as 6, 5.
# 1002 K0003 sum/increase, target 0 → counts as achieved (1.0).
# 1001 K0004 last/increase, target 90; reported 80, —, 95.
# 1002 K0004 last/increase, target 90; never reported.
# DDS K0005 sum/decrease, target 12; reported 0, 0 (actual 0 counts as the cap), 8.
# P005 (v1 in P1–P2, v2 in P3, v3 in P4–P6):
# ENV K0007 sum/increase, period targets 100, 200, 200, 50, 0, 50 → to date 100, 300, 500, 550,
#   550, 600; reported 120, 150, 260 → 120, 270, 530.
# 1004 K0007 sum/increase, annual 60 pro rata (10, 20, 30), raised to 90 from P4 (60, 75, 90);
#   reported 12, —, 28 → 12, 12, 40: P3 is 40 / 30 against the target then, not 40 / 45.
# 1005 K0007 from P3, period targets 10, 10, 0, 10 for P3–P6 → to date 10, 20, 20, 30; reported 12.
# ENV K0008 last/increase, period targets P1 50, P3 80, P6 90 → 50, 50, 80, 80, 80, 90;
#   reported 40, 70, 85.
# ENV K0009 last/increase, baseline 80, target 95: (actual − 80) / 15, floored at 0;
#   reported 78 (→ 0), 83 (3/15), 86 (6/15).
# 1004 K0009 last/increase, baseline 80 = target 80: 1.0 when reached, else 0.0;
#   reported 81 (reached), —, 79 (not).
# ENV K0010 sum/increase, annual 60 pro rata, retired from P4 (in scope P1–P3); reported 10, 5.
V1 = [1] * 6  # P001–P004: the city plan all year
P005_VERSIONS = [1, 1, 2, 3, 3, 3]
# fmt: off
KPI_PROGRESS = {
    ("DDS", "K0001"): {
        "policy": "P001", "role": "H", "direction": "increase", "aggregation": "sum",
        "rule": "pro_rata", "versions": V1,
        "annual_target": [60.0] * 6,
        "period_value": [12, 10, 14, None, None, None],
        "actual_ytd": [12, 22, 36, 36, 36, 36],
        "target_to_date": [10, 20, 30, 40, 50, 60],
        "ratio": [1.2, 1.1, 1.2, 0.9, 0.72, 0.6],
        "capped": [1.2, 1.1, 1.2, 0.9, 0.72, 0.6],
        "status": [ON, ON, ON, AT, OFF, OFF],
    },
    ("1001", "K0001"): {
        "policy": "P001", "role": "R", "direction": "increase", "aggregation": "sum",
        "rule": "pro_rata", "versions": V1,
        "annual_target": [12.0] * 6,
        "period_value": [1, 3, 4, None, None, None],
        "actual_ytd": [1, 4, 8, 8, 8, 8],
        "target_to_date": [2, 4, 6, 8, 10, 12],
        "ratio": [0.5, 1.0, 8 / 6, 1.0, 0.8, 8 / 12],
        "capped": [0.5, 1.0, 1.2, 1.0, 0.8, 8 / 12],
        "status": [OFF, ON, ON, ON, AT, OFF],
    },
    ("1002", "K0001"): {
        "policy": "P001", "role": "R", "direction": "increase", "aggregation": "sum",
        "rule": "pro_rata", "versions": V1,
        "annual_target": [12.0] * 6,
        "period_value": [4, None, None, None, None, None],
        "actual_ytd": [4, 4, 4, 4, 4, 4],
        "target_to_date": [2, 4, 6, 8, 10, 12],
        "ratio": [2.0, 1.0, 4 / 6, 0.5, 0.4, 4 / 12],
        "capped": [1.2, 1.0, 4 / 6, 0.5, 0.4, 4 / 12],
        "status": [ON, ON, OFF, OFF, OFF, OFF],
    },
    ("DDS", "K0002"): {
        "policy": "P001", "role": "H", "direction": "decrease", "aggregation": "last",
        "rule": "annual", "versions": V1,
        "annual_target": [10.0] * 6,
        "period_value": [12, 8, None, None, None, None],
        "actual_ytd": [12, 8, 8, 8, 8, 8],
        "target_to_date": [10, 10, 10, 10, 10, 10],
        "ratio": [10 / 12, 1.25, 1.25, 1.25, 1.25, 1.25],
        "capped": [10 / 12, 1.2, 1.2, 1.2, 1.2, 1.2],
        "status": [AT, ON, ON, ON, ON, ON],
    },
    ("1001", "K0003"): {
        "policy": "P002", "role": "H", "direction": "increase", "aggregation": "sum",
        "rule": "pro_rata", "versions": V1,
        "annual_target": [30.0] * 6,
        "period_value": [5, 6, 5, None, None, None],
        "actual_ytd": [5, 11, 16, 16, 16, 16],
        "target_to_date": [5, 10, 15, 20, 25, 30],
        "ratio": [1.0, 1.1, 16 / 15, 0.8, 0.64, 16 / 30],
        "capped": [1.0, 1.1, 16 / 15, 0.8, 0.64, 16 / 30],
        "status": [ON, ON, ON, AT, OFF, OFF],
    },
    ("1002", "K0003"): {
        "policy": "P002", "role": "R", "direction": "increase", "aggregation": "sum",
        "rule": "pro_rata", "versions": V1,
        "annual_target": [0.0] * 6,
        "period_value": [4, None, None, None, None, None],
        "actual_ytd": [4, 4, 4, 4, 4, 4],
        "target_to_date": [0, 0, 0, 0, 0, 0],
        "ratio": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        "capped": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        "status": [ON, ON, ON, ON, ON, ON],
    },
    ("1001", "K0004"): {
        "policy": "P002", "role": "H", "direction": "increase", "aggregation": "last",
        "rule": "annual", "versions": V1,
        "annual_target": [90.0] * 6,
        "period_value": [80, None, 95, None, None, None],
        "actual_ytd": [80, 80, 95, 95, 95, 95],
        "target_to_date": [90, 90, 90, 90, 90, 90],
        "ratio": [80 / 90, 80 / 90, 95 / 90, 95 / 90, 95 / 90, 95 / 90],
        "capped": [80 / 90, 80 / 90, 95 / 90, 95 / 90, 95 / 90, 95 / 90],
        "status": [AT, AT, ON, ON, ON, ON],
    },
    ("1002", "K0004"): {
        "policy": "P002", "role": "R", "direction": "increase", "aggregation": "last",
        "rule": "annual", "versions": V1,
        "annual_target": [90.0] * 6,
        "period_value": [None] * 6,
        "actual_ytd": [None] * 6,
        "target_to_date": [90, 90, 90, 90, 90, 90],
        "ratio": [None] * 6,
        "capped": [None] * 6,
        "status": [ND] * 6,
    },
    ("DDS", "K0005"): {
        "policy": "P003", "role": "H", "direction": "decrease", "aggregation": "sum",
        "rule": "pro_rata", "versions": V1,
        "annual_target": [12.0] * 6,
        "period_value": [0, 0, 8, None, None, None],
        "actual_ytd": [0, 0, 8, 8, 8, 8],
        "target_to_date": [2, 4, 6, 8, 10, 12],
        "ratio": [CAP, CAP, 0.75, 1.0, 1.25, 1.5],
        "capped": [CAP, CAP, 0.75, 1.0, 1.2, 1.2],
        "status": [ON, ON, OFF, ON, ON, ON],
    },
    ("ENV", "K0007"): {
        "policy": "P005", "project": "P005-1", "role": "H", "direction": "increase",
        "aggregation": "sum", "rule": "period_targets", "versions": P005_VERSIONS,
        "annual_target": [600.0] * 6,
        "period_value": [120, 150, 260, None, None, None],
        "actual_ytd": [120, 270, 530, 530, 530, 530],
        "target_to_date": [100, 300, 500, 550, 550, 600],
        "ratio": [1.2, 0.9, 1.06, 530 / 550, 530 / 550, 530 / 600],
        "capped": [1.2, 0.9, 1.06, 530 / 550, 530 / 550, 530 / 600],
        "status": [ON, AT, ON, AT, AT, AT],
    },
    ("1004", "K0007"): {
        "policy": "P005", "project": "P005-1", "role": "R", "direction": "increase",
        "aggregation": "sum", "rule": "pro_rata", "versions": P005_VERSIONS,
        "annual_target": [60.0, 60.0, 60.0, 90.0, 90.0, 90.0],
        "period_value": [12, None, 28, None, None, None],
        "actual_ytd": [12, 12, 40, 40, 40, 40],
        "target_to_date": [10, 20, 30, 60, 75, 90],
        "ratio": [1.2, 0.6, 40 / 30, 40 / 60, 40 / 75, 40 / 90],
        "capped": [1.2, 0.6, 1.2, 40 / 60, 40 / 75, 40 / 90],
        "status": [ON, OFF, ON, OFF, OFF, OFF],
    },
    ("1005", "K0007"): {
        "policy": "P005", "project": "P005-1", "role": "R", "direction": "increase",
        "aggregation": "sum", "rule": "period_targets", "versions": [2, 3, 3, 3],
        "periods": [3, 4, 5, 6],
        "annual_target": [30.0] * 4,
        "period_value": [12, None, None, None],
        "actual_ytd": [12, 12, 12, 12],
        "target_to_date": [10, 20, 20, 30],
        "ratio": [1.2, 0.6, 0.6, 0.4],
        "capped": [1.2, 0.6, 0.6, 0.4],
        "status": [ON, OFF, OFF, OFF],
    },
    ("ENV", "K0008"): {
        "policy": "P005", "project": "P005-1", "role": "H", "direction": "increase",
        "aggregation": "last", "rule": "period_target", "versions": P005_VERSIONS,
        "annual_target": [90.0] * 6,
        "period_value": [40, 70, 85, None, None, None],
        "actual_ytd": [40, 70, 85, 85, 85, 85],
        "target_to_date": [50, 50, 80, 80, 80, 90],
        "ratio": [0.8, 1.4, 85 / 80, 85 / 80, 85 / 80, 85 / 90],
        "capped": [0.8, 1.2, 85 / 80, 85 / 80, 85 / 80, 85 / 90],
        "status": [AT, ON, ON, ON, ON, AT],
    },
    ("ENV", "K0009"): {
        "policy": "P005", "baseline": 80.0, "role": "H", "direction": "increase",
        "aggregation": "last", "rule": "annual", "versions": P005_VERSIONS,
        "annual_target": [95.0] * 6,
        "period_value": [78, 83, 86, None, None, None],
        "actual_ytd": [78, 83, 86, 86, 86, 86],
        "target_to_date": [95] * 6,
        "ratio": [0.0, 3 / 15, 6 / 15, 6 / 15, 6 / 15, 6 / 15],  # below the baseline: floored
        "capped": [0.0, 3 / 15, 6 / 15, 6 / 15, 6 / 15, 6 / 15],
        "status": [OFF] * 6,
    },
    ("1004", "K0009"): {
        "policy": "P005", "baseline": 80.0, "role": "R", "direction": "increase",
        "aggregation": "last", "rule": "annual", "versions": P005_VERSIONS,
        "annual_target": [80.0] * 6,
        "period_value": [81, None, 79, None, None, None],
        "actual_ytd": [81, 81, 79, 79, 79, 79],
        "target_to_date": [80] * 6,
        "ratio": [1.0, 1.0, 0.0, 0.0, 0.0, 0.0],  # target = baseline: reached or not
        "capped": [1.0, 1.0, 0.0, 0.0, 0.0, 0.0],
        "status": [ON, ON, OFF, OFF, OFF, OFF],
    },
    ("ENV", "K0010"): {
        "policy": "P005", "role": "H", "direction": "increase", "aggregation": "sum",
        "rule": "pro_rata", "versions": [1, 1, 2], "periods": [1, 2, 3],
        "annual_target": [60.0] * 3,
        "period_value": [10, 5, None],
        "actual_ytd": [10, 15, 15],
        "target_to_date": [10, 20, 30],
        "ratio": [1.0, 0.75, 0.5],
        "capped": [1.0, 0.75, 0.5],
        "status": [ON, OFF, OFF],
    },
}
POLICY_DIMENSION_GROUP = {
    "P001": ("environment", "G3"),
    "P002": ("health", "G2"),
    "P003": ("safety", "G3"),
    "P005": ("environment", "G2"),
}

# Policy progress: mean capped ratio over pairs with data (pairs A–D of P001, E–G of P002 — 1002's
# K0004 has no data — DDS K0005 alone in P003, and P005's six or seven), H and R apart; counts by
# pair status. (progress, h, r, status, on, at_risk, off, no_data) per period.
POLICY_PROGRESS = {
    "P001": [  # pairs DDS K0001 (H), 1001 K0001 (R), 1002 K0001 (R), DDS K0002 (H)
        ((1.2 + 0.5 + 1.2 + 10 / 12) / 4, (1.2 + 10 / 12) / 2, (0.5 + 1.2) / 2, AT, 2, 1, 1, 0),
        ((1.1 + 1.0 + 1.0 + 1.2) / 4, (1.1 + 1.2) / 2, 1.0, ON, 4, 0, 0, 0),
        ((1.2 + 1.2 + 4 / 6 + 1.2) / 4, 1.2, (1.2 + 4 / 6) / 2, ON, 3, 0, 1, 0),
        ((0.9 + 1.0 + 0.5 + 1.2) / 4, (0.9 + 1.2) / 2, (1.0 + 0.5) / 2, AT, 2, 1, 1, 0),
        ((0.72 + 0.8 + 0.4 + 1.2) / 4, (0.72 + 1.2) / 2, (0.8 + 0.4) / 2, OFF, 1, 1, 2, 0),
        ((0.6 + 8 / 12 + 4 / 12 + 1.2) / 4, (0.6 + 1.2) / 2, (8 / 12 + 4 / 12) / 2,
         OFF, 1, 0, 3, 0),
    ],
    "P002": [  # pairs 1001 K0003 (H), 1002 K0003 (R), 1001 K0004 (H), 1002 K0004 (R, no data)
        ((1.0 + 1.0 + 80 / 90) / 3, (1.0 + 80 / 90) / 2, 1.0, AT, 2, 1, 0, 1),
        ((1.1 + 1.0 + 80 / 90) / 3, (1.1 + 80 / 90) / 2, 1.0, AT, 2, 1, 0, 1),
        ((16 / 15 + 1.0 + 95 / 90) / 3, (16 / 15 + 95 / 90) / 2, 1.0, ON, 3, 0, 0, 1),
        ((0.8 + 1.0 + 95 / 90) / 3, (0.8 + 95 / 90) / 2, 1.0, AT, 2, 1, 0, 1),
        ((0.64 + 1.0 + 95 / 90) / 3, (0.64 + 95 / 90) / 2, 1.0, AT, 2, 0, 1, 1),
        ((16 / 30 + 1.0 + 95 / 90) / 3, (16 / 30 + 95 / 90) / 2, 1.0, AT, 2, 0, 1, 1),
    ],
    "P003": [  # DDS K0005 (H) only
        (1.2, 1.2, None, ON, 1, 0, 0, 0),
        (1.2, 1.2, None, ON, 1, 0, 0, 0),
        (0.75, 0.75, None, OFF, 0, 0, 1, 0),
        (1.0, 1.0, None, ON, 1, 0, 0, 0),
        (1.2, 1.2, None, ON, 1, 0, 0, 0),
        (1.2, 1.2, None, ON, 1, 0, 0, 0),
    ],
    # H pairs ENV K0007, K0008, K0009, K0010 (to P3); R pairs 1004 K0007, K0009, 1005 K0007 (P3 on)
    "P005": [
        ((1.2 + 1.2 + 0.8 + 0.0 + 1.0 + 1.0) / 6, (1.2 + 0.8 + 0.0 + 1.0) / 4, (1.2 + 1.0) / 2,
         AT, 4, 1, 1, 0),
        ((0.9 + 0.6 + 1.2 + 0.2 + 1.0 + 0.75) / 6, (0.9 + 1.2 + 0.2 + 0.75) / 4, (0.6 + 1.0) / 2,
         OFF, 2, 1, 3, 0),
        ((1.06 + 1.2 + 1.2 + 85 / 80 + 0.4 + 0.0 + 0.5) / 7, (1.06 + 85 / 80 + 0.4 + 0.5) / 4,
         (1.2 + 1.2 + 0.0) / 3, OFF, 4, 0, 3, 0),
        ((53 / 55 + 2 / 3 + 0.6 + 85 / 80 + 0.4 + 0.0) / 6, (53 / 55 + 85 / 80 + 0.4) / 3,
         (2 / 3 + 0.6 + 0.0) / 3, OFF, 1, 1, 4, 0),
        ((53 / 55 + 8 / 15 + 0.6 + 85 / 80 + 0.4 + 0.0) / 6, (53 / 55 + 85 / 80 + 0.4) / 3,
         (8 / 15 + 0.6 + 0.0) / 3, OFF, 1, 1, 4, 0),
        ((53 / 60 + 4 / 9 + 0.4 + 85 / 90 + 0.4 + 0.0) / 6, (53 / 60 + 85 / 90 + 0.4) / 3,
         (4 / 9 + 0.4 + 0.0) / 3, OFF, 0, 2, 4, 0),
    ],
}
# (n_pairs, n_pairs_with_data) per period
POLICY_PAIRS = {
    "P001": [(4, 4)] * 6,
    "P002": [(4, 3)] * 6,
    "P003": [(1, 1)] * 6,
    # 1005 joins at P3, K0010 leaves at P4
    "P005": [(6, 6), (6, 6), (7, 7), (6, 6), (6, 6), (6, 6)],
}

# Project P005-1 (K0007 and K0008): the same rollup as a policy; K0009 and K0010 are not in it.
# H pairs ENV K0007, ENV K0008; R pairs 1004 K0007, 1005 K0007 (from P3).
# (n_pairs, progress, h, r, status, on, at_risk, off, no_data) per period.
PROJECT_PROGRESS = [
    (3, (1.2 + 1.2 + 0.8) / 3, (1.2 + 0.8) / 2, 1.2, ON, 2, 1, 0, 0),
    (3, (0.9 + 0.6 + 1.2) / 3, (0.9 + 1.2) / 2, 0.6, AT, 1, 1, 1, 0),
    (4, (1.06 + 1.2 + 1.2 + 85 / 80) / 4, (1.06 + 85 / 80) / 2, 1.2, ON, 4, 0, 0, 0),
    (4, (53 / 55 + 2 / 3 + 0.6 + 85 / 80) / 4, (53 / 55 + 85 / 80) / 2, (2 / 3 + 0.6) / 2,
     AT, 1, 1, 2, 0),
    (4, (53 / 55 + 8 / 15 + 0.6 + 85 / 80) / 4, (53 / 55 + 85 / 80) / 2, (8 / 15 + 0.6) / 2,
     OFF, 1, 1, 2, 0),
    (4, (53 / 60 + 4 / 9 + 0.4 + 85 / 90) / 4, (53 / 60 + 85 / 90) / 2, (4 / 9 + 0.4) / 2,
     OFF, 0, 2, 2, 0),
]

# Unit progress: (n_kpis, mean capped ratio over KPI rows with data, status, on, at_risk, off,
# no_data) per period; None where the unit has no KPI in scope.
UNIT_PROGRESS = {
    "DDS": [  # K0001, K0002, K0005
        (3, (1.2 + 10 / 12 + 1.2) / 3, ON, 2, 1, 0, 0),
        (3, (1.1 + 1.2 + 1.2) / 3, ON, 3, 0, 0, 0),
        (3, (1.2 + 1.2 + 0.75) / 3, ON, 2, 0, 1, 0),
        (3, (0.9 + 1.2 + 1.0) / 3, ON, 2, 1, 0, 0),
        (3, (0.72 + 1.2 + 1.2) / 3, ON, 2, 0, 1, 0),
        (3, (0.6 + 1.2 + 1.2) / 3, ON, 2, 0, 1, 0),
    ],
    "1001": [  # K0001, K0003, K0004
        (3, (0.5 + 1.0 + 80 / 90) / 3, OFF, 1, 1, 1, 0),
        (3, (1.0 + 1.1 + 80 / 90) / 3, AT, 2, 1, 0, 0),
        (3, (1.2 + 16 / 15 + 95 / 90) / 3, ON, 3, 0, 0, 0),
        (3, (1.0 + 0.8 + 95 / 90) / 3, AT, 2, 1, 0, 0),
        (3, (0.8 + 0.64 + 95 / 90) / 3, AT, 1, 1, 1, 0),
        (3, (8 / 12 + 16 / 30 + 95 / 90) / 3, OFF, 1, 0, 2, 0),
    ],
    "1002": [  # K0001, K0003 (target 0), K0004 (no data)
        (3, (1.2 + 1.0) / 2, ON, 2, 0, 0, 1),
        (3, (1.0 + 1.0) / 2, ON, 2, 0, 0, 1),
        (3, (4 / 6 + 1.0) / 2, AT, 1, 0, 1, 1),
        (3, (0.5 + 1.0) / 2, OFF, 1, 0, 1, 1),
        (3, (0.4 + 1.0) / 2, OFF, 1, 0, 1, 1),
        (3, (4 / 12 + 1.0) / 2, OFF, 1, 0, 1, 1),
    ],
    "ENV": [  # K0007, K0008, K0009, and K0010 until it is retired at P4
        (4, (1.2 + 0.8 + 0.0 + 1.0) / 4, OFF, 2, 1, 1, 0),
        (4, (0.9 + 1.2 + 0.2 + 0.75) / 4, OFF, 1, 1, 2, 0),
        (4, (1.06 + 85 / 80 + 0.4 + 0.5) / 4, OFF, 2, 0, 2, 0),
        (3, (53 / 55 + 85 / 80 + 0.4) / 3, AT, 1, 1, 1, 0),
        (3, (53 / 55 + 85 / 80 + 0.4) / 3, AT, 1, 1, 1, 0),
        (3, (53 / 60 + 85 / 90 + 0.4) / 3, OFF, 0, 2, 1, 0),
    ],
    "1004": [  # K0007, K0009
        (2, (1.2 + 1.0) / 2, ON, 2, 0, 0, 0),
        (2, (0.6 + 1.0) / 2, AT, 1, 0, 1, 0),
        (2, (1.2 + 0.0) / 2, OFF, 1, 0, 1, 0),
        (2, (2 / 3 + 0.0) / 2, OFF, 0, 0, 2, 0),
        (2, (8 / 15 + 0.0) / 2, OFF, 0, 0, 2, 0),
        (2, (4 / 9 + 0.0) / 2, OFF, 0, 0, 2, 0),
    ],
    "1005": [  # K0007 from P3
        None,
        None,
        (1, 1.2, ON, 1, 0, 0, 0),
        (1, 0.6, OFF, 0, 0, 1, 0),
        (1, 0.6, OFF, 0, 0, 1, 0),
        (1, 0.4, OFF, 0, 0, 1, 0),
    ],
}
UNIT_TYPE_GROUP = {
    "DDS": ("department", "G3"), "1001": ("district", None), "1002": ("district", None),
    "ENV": ("department", "G2"), "1004": ("district", None), "1005": ("district", None),
}

COMPLIANCE_DUE = [date(2022, 12, 10), date(2023, 2, 10), date(2023, 4, 10),
                  date(2023, 6, 10), date(2023, 8, 10), date(2023, 10, 10)]
_PENDING = (None, "pending", None, 0, 0, 0, 0)
# (first_received_at, compliance_status, days_late,
#  n_files, n_rows_received, n_rows_accepted, n_rows_quarantined); None where nothing is owed.
COMPLIANCE = {
    "DDS": [
        (datetime(2022, 12, 5, 10, 0), "on_time", 0, 1, 3, 3, 0),  # the duplicate file has no rows
        (datetime(2023, 2, 8, 9, 0), "on_time", 0, 1, 3, 3, 0),
        (datetime(2023, 4, 10, 9, 0), "on_time", 0, 1, 3, 2, 1),  # on the due date itself
        (None, "pending", None, 1, 1, 0, 0),  # a draft not validated yet does not count
        _PENDING,
        _PENDING,
    ],
    "1001": [
        (datetime(2022, 12, 12, 8, 0), "late", 2, 1, 3, 3, 0),
        (datetime(2023, 2, 10, 23, 0), "on_time", 0, 2, 4, 4, 0),  # the resend does not move it
        (datetime(2023, 4, 18, 16, 0), "late", 8, 1, 3, 3, 0),
        _PENDING,
        _PENDING,
        _PENDING,
    ],
    "1002": [
        (datetime(2022, 12, 9, 14, 30), "on_time", 0, 1, 2, 2, 0),
        (None, "missing", None, 0, 0, 0, 0),
        (None, "missing", None, 1, 1, 0, 1),  # only a quarantined row; the fix came after as_of
        _PENDING,
        _PENDING,
        _PENDING,
    ],
    "ENV": [
        (datetime(2022, 12, 8, 9, 0), "on_time", 0, 1, 4, 4, 0),
        (datetime(2023, 2, 9, 13, 0), "on_time", 0, 1, 4, 4, 0),
        (datetime(2023, 4, 11, 10, 0), "late", 1, 1, 3, 3, 0),
        _PENDING,  # K0010 is retired from P4, ENV still owes files for its other KPIs
        _PENDING,
        _PENDING,
    ],
    "1004": [
        (datetime(2022, 12, 10, 16, 0), "on_time", 0, 1, 2, 2, 0),  # on the due date itself
        (None, "missing", None, 0, 0, 0, 0),
        (datetime(2023, 4, 5, 11, 0), "on_time", 0, 1, 2, 2, 0),
        _PENDING,
        _PENDING,
        _PENDING,
    ],
    "1005": [  # added as R at P3: owes files from P3 only
        None,
        None,
        (datetime(2023, 4, 19, 15, 0), "late", 9, 1, 1, 1, 0),
        _PENDING,
        _PENDING,
        _PENDING,
    ],
}

OBSTACLES = [
    {
        "fiscal_year": 2566, "period_no": 1, "period_key": "2566-P1", "unit_code": "1001",
        "kpi_code": "K0004", "policy_code": "P002", "role": "H",
        "obstacles": "งบซ่อมกล้องไม่พอ / camera repair budget short",
        "reported_status": "delayed", "received_at": datetime(2022, 12, 12, 8, 0),
    },
    {
        "fiscal_year": 2566, "period_no": 3, "period_key": "2566-P3", "unit_code": "DDS",
        "kpi_code": "K0005", "policy_code": "P003", "role": "H",
        "obstacles": "ฝนตกหนัก / heavy rain",
        "reported_status": "in_progress", "received_at": datetime(2023, 4, 10, 9, 0),
    },
]

# What each revision changed against the version it replaced, per policy.
_V2_AT = datetime(2023, 1, 25, 14, 0)
_V3_AT = datetime(2023, 3, 28, 11, 0)
# (plan_version_id, replaces, received_at, effective_from, change_type, kpi, unit, role, old, new)
PLAN_REVISIONS = [
    (2, 1, _V2_AT, 3, "unit_added", None, "1005", "R", None, None),
    (3, 2, _V3_AT, 4, "kpi_retired", "K0010", None, None, None, None),
    (3, 2, _V3_AT, 4, "target_raised", "K0007", "1004", None, 60.0, 90.0),
]

# dim_target: every version's targets with the periods each is in force (v1's P005 rows P1–P2,
# v2's P3, v3's P4–P6). (plan_version_id, kpi, unit, annual, p1…p6, valid_from, valid_to)
_NO_PERIOD_TARGETS = (None, None, None, None, None, None)
DIM_TARGET = [
    (1, "K0001", "DDS", 60.0, _NO_PERIOD_TARGETS, 1, 6),
    (1, "K0001", "1001", 12.0, _NO_PERIOD_TARGETS, 1, 6),
    (1, "K0001", "1002", 12.0, _NO_PERIOD_TARGETS, 1, 6),
    (1, "K0002", "DDS", 10.0, _NO_PERIOD_TARGETS, 1, 6),
    (1, "K0003", "1001", 30.0, _NO_PERIOD_TARGETS, 1, 6),
    (1, "K0003", "1002", 0.0, _NO_PERIOD_TARGETS, 1, 6),
    (1, "K0004", "1001", 90.0, _NO_PERIOD_TARGETS, 1, 6),
    (1, "K0004", "1002", 90.0, _NO_PERIOD_TARGETS, 1, 6),
    (1, "K0005", "DDS", 12.0, _NO_PERIOD_TARGETS, 1, 6),
    (1, "K0007", "ENV", 600.0, (100.0, 200.0, 200.0, 50.0, 0.0, 50.0), 1, 2),
    (1, "K0007", "1004", 60.0, _NO_PERIOD_TARGETS, 1, 2),
    (1, "K0008", "ENV", 90.0, (50.0, None, 80.0, None, None, 90.0), 1, 2),
    (1, "K0009", "ENV", 95.0, _NO_PERIOD_TARGETS, 1, 2),
    (1, "K0009", "1004", 80.0, _NO_PERIOD_TARGETS, 1, 2),
    (1, "K0010", "ENV", 60.0, _NO_PERIOD_TARGETS, 1, 2),
    (2, "K0007", "ENV", 600.0, (100.0, 200.0, 200.0, 50.0, 0.0, 50.0), 3, 3),
    (2, "K0007", "1004", 60.0, _NO_PERIOD_TARGETS, 3, 3),
    (2, "K0007", "1005", 30.0, (None, None, 10.0, 10.0, 0.0, 10.0), 3, 3),
    (2, "K0008", "ENV", 90.0, (50.0, None, 80.0, None, None, 90.0), 3, 3),
    (2, "K0009", "ENV", 95.0, _NO_PERIOD_TARGETS, 3, 3),
    (2, "K0009", "1004", 80.0, _NO_PERIOD_TARGETS, 3, 3),
    (2, "K0010", "ENV", 60.0, _NO_PERIOD_TARGETS, 3, 3),
    (3, "K0007", "ENV", 600.0, (100.0, 200.0, 200.0, 50.0, 0.0, 50.0), 4, 6),
    (3, "K0007", "1004", 90.0, _NO_PERIOD_TARGETS, 4, 6),
    (3, "K0007", "1005", 30.0, (None, None, 10.0, 10.0, 0.0, 10.0), 4, 6),
    (3, "K0008", "ENV", 90.0, (50.0, None, 80.0, None, None, 90.0), 4, 6),
    (3, "K0009", "ENV", 95.0, _NO_PERIOD_TARGETS, 4, 6),
    (3, "K0009", "1004", 80.0, _NO_PERIOD_TARGETS, 4, 6),
]

# (plan_version_id, sender, file_name, received_at, effective_from, n_policies)
PLAN_VERSIONS = [
    (1, "SED", "sed_2566_action_plan.xlsx", datetime(2022, 9, 20, 10, 0), 1, 5),
    (2, "ENV", "env_2566_p005_from_p3.xlsx", _V2_AT, 3, 1),
    (3, "ENV", "env_2566_p005_from_p4.xlsx", _V3_AT, 4, 1),
]

# (policy, dimension, position, is_primary): P005 counts under environment, and health too
POLICY_DIMENSIONS = [
    ("P001", "environment", 1, True),
    ("P002", "health", 1, True),
    ("P003", "safety", 1, True),
    ("P004", "management", 1, True),
    ("P005", "environment", 1, True),
    ("P005", "health", 2, False),
]

# fmt: on


def _pct(ratio: float | None) -> float | None:
    return None if ratio is None else 100 * ratio


def _key(period: int) -> str:
    return f"2566-P{period}"


def _same(actual, expected) -> bool:
    if expected is None or actual is None:
        return (
            actual is None
            and expected is None
            or (isinstance(actual, float) and math.isnan(actual) and expected is None)
        )
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected or actual == expected
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)
    return actual == expected


def assert_rows_equal(actual: list[dict], expected: list[dict], key: tuple[str, ...]) -> None:
    by_key = {tuple(row[k] for k in key): row for row in actual}
    assert len(by_key) == len(actual), "duplicate keys in the mart"
    expected_keys = {tuple(row[k] for k in key) for row in expected}
    assert set(by_key) == expected_keys
    problems = []
    for row in expected:
        row_key = tuple(row[k] for k in key)
        got = by_key[row_key]
        assert set(got) == set(row), f"columns differ: {sorted(set(got) ^ set(row))}"
        for column, value in row.items():
            if not _same(got[column], value):
                problems.append(f"{row_key} {column}: got {got[column]!r}, expected {value!r}")
    assert not problems, "\n".join(problems)


def _statuses(build: DbtBuild) -> dict[str, str]:
    """Status per model and test; exposures are only recorded ('no-op')."""
    return {
        r["unique_id"]: r["status"]
        for r in build.run_results["results"]
        if not r["unique_id"].startswith("exposure.")
    }


# ---------------------------------------------------------------- DuckDB: hand-worked figures


def test_dbt_build_passes_every_model_and_test(duckdb_build: DbtBuild):
    exposures = [r for r in duckdb_build.run_results["results"] if "exposure." in r["unique_id"]]
    assert {r["status"] for r in exposures} == {"no-op"} and len(exposures) == 6
    statuses = _statuses(duckdb_build)
    assert statuses and all(s in ("success", "pass") for s in statuses.values()), statuses
    assert any(uid.startswith("test.bma.assert_compliance_rows") for uid in statuses)


def expected_kpi_progress() -> list[dict]:
    """fct_kpi_progress as KPI_PROGRESS says, one row per pair and period it is in scope."""
    expected = []
    for (unit, kpi), f in KPI_PROGRESS.items():
        dimension, group = POLICY_DIMENSION_GROUP[f["policy"]]
        for i, p in enumerate(f.get("periods", range(1, 7))):
            expected.append(
                {
                    "fiscal_year": 2566,
                    "period_no": p,
                    "period_key": _key(p),
                    "unit_code": unit,
                    "kpi_code": kpi,
                    "policy_code": f["policy"],
                    "project_code": f.get("project"),
                    "group_code": group,
                    "dimension_code": dimension,
                    "role": f["role"],
                    "direction": f["direction"],
                    "aggregation": f["aggregation"],
                    "plan_version_id": f["versions"][i],
                    "target_rule": f["rule"],
                    "baseline_value": f.get("baseline"),
                    "annual_target": f["annual_target"][i],
                    "period_value": f["period_value"][i],
                    "actual_ytd": f["actual_ytd"][i],
                    "target_to_date": f["target_to_date"][i],
                    "achievement_ratio": f["ratio"][i],
                    "capped_ratio": f["capped"][i],
                    "status": f["status"][i],
                    "has_data": f["actual_ytd"][i] is not None,
                    "is_key_project": f["policy"] == "P001",
                }
            )
    return expected


def expected_policy_progress() -> list[dict]:
    """mart_policy_progress as POLICY_PROGRESS and POLICY_PAIRS say."""
    expected = []
    for policy, periods in POLICY_PROGRESS.items():
        dimension, group = POLICY_DIMENSION_GROUP[policy]
        for p, (ratio, h, r, status, on, at, off, nd) in enumerate(periods, start=1):
            n_pairs, n_with_data = POLICY_PAIRS[policy][p - 1]
            expected.append(
                {
                    "fiscal_year": 2566,
                    "period_no": p,
                    "period_key": _key(p),
                    "policy_code": policy,
                    "group_code": group,
                    "dimension_code": dimension,
                    "is_key_project": policy == "P001",
                    "n_pairs": n_pairs,
                    "n_pairs_with_data": n_with_data,
                    "progress_pct": _pct(ratio),
                    "h_progress_pct": _pct(h),
                    "r_progress_pct": _pct(r),
                    "status": status,
                    "n_on_track": on,
                    "n_at_risk": at,
                    "n_off_track": off,
                    "n_no_data": nd,
                }
            )
    return expected


def _fact(build: DbtBuild, unit: str, kpi: str, period: int) -> dict:
    return next(
        r
        for r in build.marts["fct_kpi_progress"]
        if (r["unit_code"], r["kpi_code"], r["period_no"]) == (unit, kpi, period)
    )


def test_kpi_progress_matches_hand_figures(duckdb_build: DbtBuild):
    assert_rows_equal(
        duckdb_build.marts["fct_kpi_progress"],
        expected_kpi_progress(),
        ("unit_code", "kpi_code", "period_no"),
    )


def test_resubmission_replaces_earlier_value(duckdb_build: DbtBuild):
    row = next(
        r
        for r in duckdb_build.marts["fct_kpi_progress"]
        if (r["unit_code"], r["kpi_code"], r["period_no"]) == ("1001", "K0001", 2)
    )
    assert row["period_value"] == 3.0 and row["actual_ytd"] == 4.0


def test_quarantined_and_later_rows_are_ignored(duckdb_build: DbtBuild):
    rows = {
        (r["unit_code"], r["kpi_code"], r["period_no"]): r
        for r in duckdb_build.marts["fct_kpi_progress"]
    }
    assert rows[("DDS", "K0002", 3)]["period_value"] is None  # quarantined 5
    assert rows[("DDS", "K0002", 3)]["actual_ytd"] == 8.0  # the last KPI keeps P2's level
    assert rows[("1002", "K0001", 3)]["actual_ytd"] == 4.0  # quarantined 6, post-as_of 5
    assert rows[("DDS", "K0001", 4)]["period_value"] is None  # file not validated yet


def test_policy_progress_matches_hand_figures(duckdb_build: DbtBuild):
    assert_rows_equal(
        duckdb_build.marts["mart_policy_progress"],
        expected_policy_progress(),
        ("policy_code", "period_no"),
    )


def test_unit_progress_matches_hand_figures(duckdb_build: DbtBuild):
    expected = []
    for unit, periods in UNIT_PROGRESS.items():
        unit_type, group = UNIT_TYPE_GROUP[unit]
        for p, figures in enumerate(periods, start=1):
            if figures is None:
                continue  # no KPI in scope for the unit at p
            n_kpis, ratio, status, on, at, off, nd = figures
            expected.append(
                {
                    "fiscal_year": 2566,
                    "period_no": p,
                    "period_key": _key(p),
                    "unit_code": unit,
                    "unit_type": unit_type,
                    "group_code": group,
                    "n_kpis": n_kpis,
                    "n_kpis_with_data": n_kpis - nd,
                    "progress_pct": _pct(ratio),
                    "status": status,
                    "n_on_track": on,
                    "n_at_risk": at,
                    "n_off_track": off,
                    "n_no_data": nd,
                }
            )
    assert_rows_equal(
        duckdb_build.marts["mart_unit_progress"], expected, ("unit_code", "period_no")
    )


def test_group_progress_weighs_each_policy_equally(duckdb_build: DbtBuild):
    # each policy's mean capped ratio, worked out by hand in POLICY_PROGRESS
    p001 = [row[0] for row in POLICY_PROGRESS["P001"]]
    p002 = [row[0] for row in POLICY_PROGRESS["P002"]]
    p003 = [row[0] for row in POLICY_PROGRESS["P003"]]
    p005 = [row[0] for row in POLICY_PROGRESS["P005"]]
    # (group, ratio, status, on, at_risk, off) per period — G1 has a policy but no targets.
    # P005 (G2) is a new fact: G2 and the city now weigh it too (G2 was P002 alone: at risk but
    # for P3; the city's P1 was on track with three policies, at risk with four).
    groups = {
        "G2": [
            ((p002[0] + p005[0]) / 2, AT, 0, 2, 0),
            ((p002[1] + p005[1]) / 2, AT, 0, 1, 1),
            ((p002[2] + p005[2]) / 2, AT, 1, 0, 1),
            ((p002[3] + p005[3]) / 2, OFF, 0, 1, 1),
            ((p002[4] + p005[4]) / 2, OFF, 0, 1, 1),
            ((p002[5] + p005[5]) / 2, OFF, 0, 1, 1),
        ],
        "G3": [
            ((p001[0] + p003[0]) / 2, ON, 1, 1, 0),
            ((p001[1] + p003[1]) / 2, ON, 2, 0, 0),
            ((p001[2] + p003[2]) / 2, AT, 1, 0, 1),
            ((p001[3] + p003[3]) / 2, AT, 1, 1, 0),
            ((p001[4] + p003[4]) / 2, AT, 1, 0, 1),
            ((p001[5] + p003[5]) / 2, AT, 1, 0, 1),
        ],
        "CITY": [
            ((p001[0] + p002[0] + p003[0] + p005[0]) / 4, AT, 1, 3, 0),
            ((p001[1] + p002[1] + p003[1] + p005[1]) / 4, ON, 2, 1, 1),
            ((p001[2] + p002[2] + p003[2] + p005[2]) / 4, AT, 2, 0, 2),
            ((p001[3] + p002[3] + p003[3] + p005[3]) / 4, AT, 1, 2, 1),
            ((p001[4] + p002[4] + p003[4] + p005[4]) / 4, AT, 1, 1, 2),
            ((p001[5] + p002[5] + p003[5] + p005[5]) / 4, AT, 1, 1, 2),
        ],
    }
    n_policies = {"G1": 0, "G2": 2, "G3": 2, "CITY": 4}
    expected = []
    for group, n in n_policies.items():
        for p in range(1, 7):
            ratio, status, on, at, off = groups.get(group, [(None, ND, 0, 0, 0)] * 6)[p - 1]
            expected.append(
                {
                    "fiscal_year": 2566,
                    "period_no": p,
                    "period_key": _key(p),
                    "group_code": group,
                    "is_city": group == "CITY",
                    "n_policies": n,
                    "n_policies_with_data": n,
                    "progress_pct": _pct(ratio),
                    "status": status,
                    "n_on_track": on,
                    "n_at_risk": at,
                    "n_off_track": off,
                    "n_no_data": 0,
                }
            )
    assert_rows_equal(
        duckdb_build.marts["mart_group_progress"], expected, ("group_code", "period_no")
    )


def test_submission_compliance_matches_hand_figures(duckdb_build: DbtBuild):
    expected = []
    for unit, periods in COMPLIANCE.items():
        for p, figures in enumerate(periods, 1):
            if figures is None:
                continue  # the unit owes no file for p
            first, status, days, files, received, accepted, quarantined = figures
            expected.append(
                {
                    "fiscal_year": 2566,
                    "period_no": p,
                    "period_key": _key(p),
                    "unit_code": unit,
                    "unit_type": UNIT_TYPE_GROUP[unit][0],
                    "due_date": COMPLIANCE_DUE[p - 1],
                    "first_received_at": first,
                    "compliance_status": status,
                    "days_late": days,
                    "n_files": files,
                    "n_rows_received": received,
                    "n_rows_accepted": accepted,
                    "n_rows_quarantined": quarantined,
                }
            )
    assert_rows_equal(
        duckdb_build.marts["mart_submission_compliance"], expected, ("unit_code", "period_no")
    )


def test_obstacles_come_from_current_rows_only(duckdb_build: DbtBuild):
    assert_rows_equal(
        duckdb_build.marts["mart_obstacles"], OBSTACLES, ("unit_code", "kpi_code", "period_no")
    )


def test_dims_hold_the_reference_rows(duckdb_build: DbtBuild):
    marts = duckdb_build.marts
    assert sorted(r["group_code"] for r in marts["dim_group"]) == ["G1", "G2", "G3"]
    # New facts: P005 with K0007–K0010; units ENV, 1004 and 1005 (SED sends the plans); P005's
    # assignments and targets in each of its three versions (2 + 3 + 3 and 6 + 7 + 6 rows).
    assert len(marts["dim_policy"]) == 5 and len(marts["dim_kpi"]) == 10
    assert len(marts["dim_unit"]) == 5 + 3 and len(marts["dim_assignment"]) == 8 + 8
    assert len(marts["dim_target"]) == 9 + 19 and len(marts["dim_dimension"]) == 4
    assert [
        (r["period_key"], r["due_date"])
        for r in sorted(marts["dim_period"], key=lambda r: r["period_no"])
    ] == [(_key(p), due) for p, due in enumerate(COMPLIANCE_DUE, start=1)]


def test_dims_take_each_policy_from_its_latest_version(duckdb_build: DbtBuild):
    marts = duckdb_build.marts
    assert {r["policy_code"]: r["plan_version_id"] for r in marts["dim_policy"]} == {
        "P001": 1, "P002": 1, "P003": 1, "P004": 1, "P005": 3,
    }  # fmt: skip
    kpis = {r["kpi_code"]: r for r in marts["dim_kpi"]}
    # K0010 was last in force at P3, in v2; K0006 has no target but its policy is in force
    assert {k: r["plan_version_id"] for k, r in kpis.items()} == {
        "K0001": 1, "K0002": 1, "K0003": 1, "K0004": 1, "K0005": 1, "K0006": 1,
        "K0007": 3, "K0008": 3, "K0009": 3, "K0010": 2,
    }  # fmt: skip
    assert {k: r["project_code"] for k, r in kpis.items() if r["project_code"]} == {
        "K0007": "P005-1",
        "K0008": "P005-1",
    }
    assert {k: r["baseline_value"] for k, r in kpis.items() if r["baseline_value"]} == {
        "K0009": 80.0
    }
    assert_rows_equal(
        marts["dim_project"],
        [
            {
                "project_code": "P005-1",
                "policy_code": "P005",
                "title_th": "ตรวจควันดำรถยนต์",
                "title_en": "Black-smoke checks on vehicles",
                "plan_version_id": 3,
            }
        ],
        ("project_code",),
    )


def test_dim_target_holds_every_version_with_its_validity(duckdb_build: DbtBuild):
    expected = [
        {
            "fiscal_year": 2566,
            "kpi_code": kpi,
            "unit_code": unit,
            "annual_target": annual,
            **{f"p{n}": value for n, value in enumerate(period_targets, start=1)},
            "plan_version_id": version,
            "valid_from_period": valid_from,
            "valid_to_period": valid_to,
        }
        for version, kpi, unit, annual, period_targets, valid_from, valid_to in DIM_TARGET
    ]
    assert_rows_equal(
        duckdb_build.marts["dim_target"], expected, ("plan_version_id", "kpi_code", "unit_code")
    )


def test_dim_assignment_gives_each_version_its_periods(duckdb_build: DbtBuild):
    p005 = sorted(
        (
            r["plan_version_id"],
            r["unit_code"],
            r["role"],
            r["valid_from_period"],
            r["valid_to_period"],
        )
        for r in duckdb_build.marts["dim_assignment"]
        if r["policy_code"] == "P005"
    )
    assert p005 == [
        (1, "1004", "R", 1, 2),
        (1, "ENV", "H", 1, 2),
        (2, "1004", "R", 3, 3),
        (2, "1005", "R", 3, 3),
        (2, "ENV", "H", 3, 3),
        (3, "1004", "R", 4, 6),
        (3, "1005", "R", 4, 6),
        (3, "ENV", "H", 4, 6),
    ]


def test_dim_plan_version_lists_every_version(duckdb_build: DbtBuild):
    expected = [
        {
            "plan_version_id": version,
            "fiscal_year": 2566,
            "sender_unit": sender,
            "file_name": name,
            "path": f"{sender}/plans/{name}",
            "received_at": received_at,
            "effective_from": effective_from,
            "n_policies": n_policies,
        }
        for version, sender, name, received_at, effective_from, n_policies in PLAN_VERSIONS
    ]
    assert_rows_equal(duckdb_build.marts["dim_plan_version"], expected, ("plan_version_id",))


def test_dim_policy_dimension_lists_every_dimension_of_a_policy(duckdb_build: DbtBuild):
    expected = [
        {"policy_code": policy, "dimension_code": dimension, "position": position,
         "is_primary": primary}
        for policy, dimension, position, primary in POLICY_DIMENSIONS
    ]  # fmt: skip
    assert_rows_equal(
        duckdb_build.marts["dim_policy_dimension"], expected, ("policy_code", "dimension_code")
    )


def test_plan_revisions_show_what_each_version_changed(duckdb_build: DbtBuild):
    expected = [
        {
            "fiscal_year": 2566,
            "policy_code": "P005",
            "plan_version_id": version,
            "replaces_version_id": replaces,
            "sender_unit": "ENV",
            "received_at": received_at,
            "effective_from": effective_from,
            "change_type": change,
            "kpi_code": kpi,
            "unit_code": unit,
            "role": role,
            "old_value": old,
            "new_value": new,
        }
        for version, replaces, received_at, effective_from, change, kpi, unit, role, old, new in (
            PLAN_REVISIONS
        )
    ]
    assert_rows_equal(
        duckdb_build.marts["mart_plan_revisions"],
        expected,
        ("plan_version_id", "change_type", "kpi_code", "unit_code"),
    )


def test_project_progress_rolls_up_its_kpis_h_and_r_apart(duckdb_build: DbtBuild):
    expected = [
        {
            "fiscal_year": 2566,
            "period_no": p,
            "period_key": _key(p),
            "project_code": "P005-1",
            "policy_code": "P005",
            "group_code": "G2",
            "is_key_project": False,
            "n_pairs": n_pairs,
            "n_pairs_with_data": n_pairs,
            "progress_pct": _pct(ratio),
            "h_progress_pct": _pct(h),
            "r_progress_pct": _pct(r),
            "status": status,
            "n_on_track": on,
            "n_at_risk": at,
            "n_off_track": off,
            "n_no_data": nd,
        }
        for p, (n_pairs, ratio, h, r, status, on, at, off, nd) in enumerate(
            PROJECT_PROGRESS, start=1
        )
    ]
    assert_rows_equal(
        duckdb_build.marts["mart_project_progress"], expected, ("project_code", "period_no")
    )


def test_raised_target_counts_from_its_period_only(duckdb_build: DbtBuild):
    # 1004 K0007: 40 to date at P3 against 60 × 3/6 = 30 (v2), at P4 against 90 × 4/6 = 60 (v3)
    p3, p4 = _fact(duckdb_build, "1004", "K0007", 3), _fact(duckdb_build, "1004", "K0007", 4)
    assert (p3["plan_version_id"], p3["annual_target"], p3["target_to_date"]) == (2, 60.0, 30.0)
    assert (p4["plan_version_id"], p4["annual_target"], p4["target_to_date"]) == (3, 90.0, 60.0)
    assert p3["status"] == ON and p4["status"] == OFF


def test_unit_added_at_p3_is_in_scope_and_owes_files_from_p3(duckdb_build: DbtBuild):
    facts = [
        r["period_no"] for r in duckdb_build.marts["fct_kpi_progress"] if r["unit_code"] == "1005"
    ]
    owed = [
        r["period_no"]
        for r in duckdb_build.marts["mart_submission_compliance"]
        if r["unit_code"] == "1005"
    ]
    assert sorted(facts) == sorted(owed) == [3, 4, 5, 6]
    assert _fact(duckdb_build, "1005", "K0007", 3)["role"] == "R"


def test_retired_kpi_leaves_scope_from_its_period(duckdb_build: DbtBuild):
    periods = [
        r["period_no"] for r in duckdb_build.marts["fct_kpi_progress"] if r["kpi_code"] == "K0010"
    ]
    assert sorted(periods) == [1, 2, 3]


def test_period_targets_and_baselines_name_their_rule(duckdb_build: DbtBuild):
    # sum KPI: the period targets to date (100 + 200 at P2, not 600 × 2/6)
    env_k0007 = _fact(duckdb_build, "ENV", "K0007", 2)
    assert (env_k0007["target_rule"], env_k0007["target_to_date"]) == ("period_targets", 300.0)
    # last KPI: the latest period target so far (P1's 50 at P2, P3's 80 at P5)
    p2, p5 = _fact(duckdb_build, "ENV", "K0008", 2), _fact(duckdb_build, "ENV", "K0008", 5)
    assert (p2["target_rule"], p2["target_to_date"], p5["target_to_date"]) == (
        "period_target", 50.0, 80.0,
    )  # fmt: skip
    # baseline 80, target 95, actual 86: (86 − 80) / (95 − 80), not 86 / 95
    baseline = _fact(duckdb_build, "ENV", "K0009", 3)
    assert baseline["baseline_value"] == 80.0
    assert math.isclose(baseline["achievement_ratio"], 0.4)


def test_no_personal_data_outside_raw(duckdb_build: DbtBuild):
    leaked = [
        f"{table}.{column}"
        for table, columns in duckdb_build.columns.items()
        for column in columns
        if column in ("reporter", "raw_reporter", "raw_cells")
    ]
    assert not leaked
    assert "staging.stg_raw__submission_rows" in duckdb_build.columns
    for rows in duckdb_build.marts.values():
        for row in rows:
            assert not any(isinstance(v, str) and "081-234-5678" in v for v in row.values())


# ---------------------------------------------------------------- PostgreSQL: same marts


def _sort_key(value) -> str:
    # floats may differ in the last bits between adapters: sort on a rounded text
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.6f}"
    return "" if value is None else str(value)


def _sorted_rows(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: tuple(_sort_key(v) for v in r.values()))


@pytest.mark.postgres
def test_postgres_build_passes_every_model_and_test(postgres_build: DbtBuild):
    statuses = _statuses(postgres_build)
    assert statuses and all(s in ("success", "pass") for s in statuses.values()), statuses


@pytest.mark.postgres
@pytest.mark.parametrize("mart", MARTS)
def test_postgres_marts_equal_duckdb(mart: str, duckdb_build: DbtBuild, postgres_build: DbtBuild):
    duck = _sorted_rows(duckdb_build.marts[mart])
    pg = _sorted_rows(postgres_build.marts[mart])
    assert len(pg) == len(duck)
    assert [list(r) for r in pg[:1]] == [list(r) for r in duck[:1]]  # same columns, same order
    for pg_row, duck_row in zip(pg, duck, strict=True):
        mismatched = {
            k: (pg_row[k], duck_row[k]) for k in duck_row if not _same(pg_row[k], duck_row[k])
        }
        assert not mismatched, f"{mart}: {mismatched}"


# ---------------------------------------------------------------- docs and exposures


def _assert_no_warnings(build: DbtBuild) -> None:
    assert "WARN=0" in build.result.stdout
    assert "[WARNING]" not in build.result.stdout + build.result.stderr


def test_build_emits_no_warnings(duckdb_build: DbtBuild):
    _assert_no_warnings(duckdb_build)


@pytest.mark.postgres
def test_postgres_build_emits_no_warnings(postgres_build: DbtBuild):
    _assert_no_warnings(postgres_build)


def test_every_mart_and_column_is_documented(duckdb_build: DbtBuild):
    manifest = json.loads((duckdb_build.work_dir / "target" / "manifest.json").read_text())
    marts = {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == "marts"
    }
    assert set(marts) == set(MARTS)
    undocumented = [name for name, node in marts.items() if not node["description"].strip()]
    undocumented += [
        f"{name}.{column}"
        for name, node in marts.items()
        for column in duckdb_build.columns[f"marts.{name}"]
        if not node["columns"].get(column, {}).get("description", "").strip()
    ]
    assert not undocumented
    assert all(
        node["config"]["persist_docs"] == {"relation": True, "columns": True}
        for node in marts.values()
    )


def test_exposures_name_the_marts_they_read(duckdb_build: DbtBuild):
    manifest = json.loads((duckdb_build.work_dir / "target" / "manifest.json").read_text())
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert set(exposures) == {
        "executive_dashboard",
        "meeting_reports",
        "executive_reports",
        "run_summary",
        "report_index",
        "bi_tools",
    }

    def reads(name: str) -> set[str]:
        return {uid.rsplit(".", 1)[1] for uid in exposures[name]["depends_on"]["nodes"]}

    assert exposures["executive_dashboard"]["type"] == "dashboard"
    assert exposures["executive_dashboard"]["owner"]["name"].startswith(
        "Strategy and Evaluation Department"
    )
    # What each report's code queries (bma_pipeline_tests/reports/test_lineage.py records it).
    assert reads("executive_dashboard") == {
        "mart_group_progress",
        "mart_policy_progress",
        "mart_submission_compliance",
        "dim_group",
        "dim_policy",
        "dim_dimension",
        "dim_unit",
        "rpt_policy_lead_units",
        "rpt_most_lagging_policies",
        "mart_project_progress",
        "dim_project",
        "mart_commitments",
        "rpt_meetings_by_group",
        "rpt_plan_revisions_on_agenda",
    }
    assert reads("meeting_reports") == {
        "fct_kpi_progress",
        "mart_policy_progress",
        "mart_submission_compliance",
        "mart_obstacles",
        "dim_assignment",
        "dim_dimension",
        "dim_kpi",
        "dim_policy",
        "dim_unit",
        "rpt_kpi_unit_attention",
        "rpt_kpi_units_by_status",
        "mart_project_progress",
        "dim_project",
        "mart_meetings",
        "rpt_commitments_followed_up",
        "rpt_plan_revisions_on_agenda",
    }
    assert reads("executive_reports") == {
        "mart_policy_progress",
        "mart_meetings",
        "mart_meeting_decisions",
        "mart_meeting_attendance",
        "mart_commitments",
        "rpt_commitments_followed_up",
        "dim_assignment",
        "dim_dimension",
        "dim_kpi",
        "dim_policy",
        "dim_unit",
    }
    assert reads("bi_tools") == set(MARTS)
    assert all(e["description"].strip() for e in exposures.values())
