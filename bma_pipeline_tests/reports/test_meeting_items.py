"""Which items go on an H unit's agenda, on a hand-made period: no warehouse needed."""

from __future__ import annotations

import pandas as pd

from bma_pipeline.fiscal import Period
from bma_pipeline.reports.meeting import MeetingData, meeting_context

PERIOD = Period(2566, 3)


def _kpi_row(unit: str, role: str, ratio: float | None, status: str) -> dict:
    return {
        "policy_code": "P001",
        "kpi_code": "K0001",
        "kpi_th": "ไฟส่องสว่างที่ซ่อมแล้ว",
        "kpi_en": "Street lights repaired",
        "measure_unit_th": "จุด",
        "direction": "increase",
        "aggregation": "sum",
        "unit_code": unit,
        "unit_th": f"สำนักงานเขต{unit}",
        "role": role,
        "annual_target": 60.0,
        "period_value": None,
        "actual_ytd": None if ratio is None else 30 * ratio,
        "target_to_date": 30.0,
        "achievement_ratio": ratio,
        "status": status,
    }


def _compliance(unit: str, statuses: list[str]) -> list[dict]:
    return [
        {
            "unit_code": unit,
            "unit_th": f"สำนักงานเขต{unit}",
            "period_no": n,
            "period_key": f"2566-P{n}",
            "due_date": "2023-04-10",
            "first_received_at": None,
            "compliance_status": status,
            "days_late": None,
        }
        for n, status in enumerate(statuses, start=1)
    ]


def meeting_data() -> MeetingData:
    """PWD leads P001; districts 1001–1003 support it; 1001 missed P1 and P3, 1002 was late in
    P3 and is off track, 1003 missed only P2; PWD (H) itself is never listed as R."""
    units = pd.DataFrame(
        [
            {"unit_code": "PWD", "unit_type": "department", "name_th": "สำนักการโยธา",
             "name_en": "Public Works Department", "abbrev_th": "สนย."},
        ]
    )  # fmt: skip
    policies = pd.DataFrame(
        [
            {"lead_unit_code": "PWD", "policy_code": "P001", "title_th": "ไฟสว่างทั่วกรุง",
             "title_en": "Bright streets", "dimension_th": "ปลอดภัยดี", "is_key_project": True,
             "n_pairs": 4, "n_pairs_with_data": 3, "progress_pct": 80.0, "h_progress_pct": 100.0,
             "r_progress_pct": 70.0, "status": "at_risk", "n_on_track": 1, "n_at_risk": 1,
             "n_off_track": 1, "n_no_data": 1},
        ]
    )  # fmt: skip
    kpi_rows = pd.DataFrame(
        [
            _kpi_row("PWD", "H", 1.0, "on_track"),
            _kpi_row("1001", "R", None, "no_data"),
            _kpi_row("1002", "R", 0.5, "off_track"),
            _kpi_row("1003", "R", 0.9, "at_risk"),
        ]
    )
    assignments = pd.DataFrame(
        {"policy_code": ["P001"] * 4, "unit_code": ["PWD", "1001", "1002", "1003"],
         "role": ["H", "R", "R", "R"]}
    )  # fmt: skip
    compliance = pd.DataFrame(
        _compliance("PWD", ["missing", "missing", "missing"])  # H: not an R unit of its own
        + _compliance("1001", ["missing", "on_time", "missing"])
        + _compliance("1002", ["on_time", "on_time", "late"])
        + _compliance("1003", ["on_time", "missing", "on_time"])
    )
    obstacles = pd.DataFrame(
        [
            {"policy_code": "P001", "kpi_code": "K0001", "kpi_th": "ไฟส่องสว่างที่ซ่อมแล้ว",
             "unit_code": "1002", "unit_th": "สำนักงานเขต1002", "role": "R",
             "obstacles": "รอจัดซื้อหลอด LED", "reported_status": "delayed",
             "received_at": pd.Timestamp("2023-04-12 10:00")},
        ]
    )  # fmt: skip
    return MeetingData(PERIOD, units, policies, kpi_rows, assignments, compliance, obstacles)


def test_repeated_missing_supporting_units_need_a_decision():
    context = meeting_context(meeting_data(), "PWD")
    assert [u["unit_code"] for u in context["repeat_missing"]] == ["1001"]
    assert context["repeat_missing"][0]["periods"] == "2566-P1, 2566-P3"


def test_late_and_missing_supporting_units_this_period_exclude_the_lead_unit():
    context = meeting_context(meeting_data(), "PWD")
    listed = {c.unit_code: c.compliance_status for c in context["not_on_time"]}
    assert listed == {"1001": "missing", "1002": "late"}
    assert context["n_support_units"] == 3


def test_off_track_kpis_name_their_units():
    context = meeting_context(meeting_data(), "PWD")
    [item] = context["off_track"]
    assert (item["kpi_code"], item["n_units"], item["n_pairs"]) == ("K0001", 1, 4)
    assert item["units"] == "เขต1002"  # district offices by their short name, as on the tiles
    assert [o.obstacles for o in context["obstacles"]] == ["รอจัดซื้อหลอด LED"]
