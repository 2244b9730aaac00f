"""The H–R meeting cycle in dbt (DOMAIN §7): mart_meetings and mart_commitments from the golden
fixture's minutes (golden_minutes.py), every row written by hand, on DuckDB and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from .conftest import DbtBuild
from .test_dbt_golden import assert_rows_equal

DUE = {1: date(2022, 12, 10), 2: date(2023, 2, 10), 3: date(2023, 4, 10),
       4: date(2023, 6, 10), 5: date(2023, 8, 10), 6: date(2023, 10, 10)}  # fmt: skip
SUPPORT = {"DDS": 3, "1001": 1, "ENV": 1}  # ENV: 2 from P3 (1005 joins P005)


def _meeting(unit, period, status, meeting_date=None, received=None, file_id=None, versions=0,
             present=0, share=None, decisions=0, commitments=0):  # fmt: skip
    support = 2 if unit == "ENV" and period >= 3 else SUPPORT[unit]
    return {
        "fiscal_year": 2566,
        "period_no": period,
        "period_key": f"2566-P{period}",
        "h_unit_code": unit,
        "due_date": DUE[period],
        "meeting_status": status,
        "meeting_date": meeting_date,
        "received_at": received,
        "minutes_file_id": file_id,
        "n_minutes_versions": versions,
        "n_support_units": support,
        "n_present": present,
        "attendance_share": share,
        "n_decisions": decisions,
        "n_commitments": commitments,
    }


# fmt: off
MEETINGS = [
    _meeting("DDS", 1, "held", date(2022, 12, 5), datetime(2022, 12, 7, 10), 1, 1, 2, 2 / 3, 1, 3),
    _meeting("DDS", 2, "held", date(2023, 2, 8), datetime(2023, 2, 9, 9), 2, 1, 1, 1 / 3),
    # file 4 replaced file 3: two versions, the later one counts
    _meeting("DDS", 3, "held", date(2023, 4, 5), datetime(2023, 4, 8, 11), 4, 2, 3, 1.0, 1, 1),
    # met ten days after the deadline
    _meeting("1001", 1, "late", date(2022, 12, 20), datetime(2022, 12, 21, 9, 30), 5, 1, 1, 1.0,
             1, 1),
    _meeting("1001", 2, "missing"),
    _meeting("1001", 3, "missing"),  # file 6's meeting row is quarantined
    _meeting("ENV", 1, "held", date(2022, 11, 25), datetime(2022, 11, 28, 16), 7, 1, 1, 1.0, 0, 1),
    # met on the deadline (received later): held; 1004 absent
    _meeting("ENV", 2, "held", date(2023, 2, 10), datetime(2023, 2, 20, 10), 8, 1, 0, 0.0, 0, 1),
    _meeting("ENV", 3, "missing"),  # file 9 arrives after as_of
    *[_meeting(unit, period, "pending") for unit in SUPPORT for period in (4, 5, 6)],
]
# fmt: on


ACTIONS = {
    "DDS-01": "สำรวจจุดมืดให้ครบ",
    "DDS-02": "ส่งรายชื่อผู้รับเหมา",
    "DDS-03": "จัดซื้อรถเก็บขยะ",
    "DDS-04": "ติดตั้งไฟเพิ่ม 20 จุด",
    "1001-01": "อบรมผู้รายงานข้อมูล",
    "ENV-01": "ตรวจควันดำรถโดยสาร",
    "ENV-02": "ประสานกรมการขนส่ง",
}


def _commitment(commitment_id, unit, period, made_period, made_on, owner, due, policy, kpi,
                at_end, days_at_end, now, days_now, closed=None, note=None):  # fmt: skip
    return {
        "fiscal_year": 2566,
        "period_no": period,
        "period_key": f"2566-P{period}",
        "h_unit_code": unit,
        "commitment_id": commitment_id,
        "action": ACTIONS[commitment_id],
        "owner_unit": owner,
        "policy_code": policy,
        "kpi_code": kpi,
        "due_date": due,
        "made_fiscal_year": 2566,
        "made_period_no": made_period,
        "made_at_meeting_date": made_on,
        "status_at_period_end": at_end,
        "days_overdue_at_period_end": days_at_end,
        "status_now": now,
        "days_overdue_now": days_now,
        "closed_fiscal_year": None if closed is None else 2566,
        "closed_period_no": closed,
        "latest_note": note,
    }


D1, D2, D3 = date(2022, 12, 5), date(2022, 12, 20), date(2022, 11, 25)
# Period ends: P1 2022-11-30, P2 2023-01-31, P3 2023-03-31; as_of 2023-04-20. A commitment's
# status at a period's end counts the updates made at that period's meeting.
# fmt: off
COMMITMENTS = [
    # DDS-01: made P1, still open at P2's meeting, done at P3's (file 4; file 3 said open)
    *[_commitment("DDS-01", "DDS", p, 1, D1, "1001", date(2023, 1, 31), "P001", "K0001", s, None,
                  "done", None, 3, "สำรวจครบแล้ว")
      for p, s in ((1, "open"), (2, "open"), (3, "done"))],
    # DDS-02: due 15 Jan, never updated: overdue 16 days at P2's end, 75 at P3's, 95 at as_of
    *[_commitment("DDS-02", "DDS", p, 1, D1, "1002", date(2023, 1, 15), "P001", None, s, d,
                  "overdue", 95) for p, s, d in ((1, "open", None), (2, "overdue", 16),
                                                 (3, "overdue", 75))],
    # DDS-03: dropped at P2's meeting
    *[_commitment("DDS-03", "DDS", p, 1, D1, "DDS", date(2023, 3, 15), "P003", "K0005", s, None,
                  "dropped", None, 2, "งบประมาณไม่พอ")
      for p, s in ((1, "open"), (2, "dropped"), (3, "dropped"))],
    # DDS-04: made at P3's meeting, due 30 Jun
    _commitment("DDS-04", "DDS", 3, 3, date(2023, 4, 5), "1002", date(2023, 6, 30), "P001", None,
                "open", None, "open", None),
    # 1001-01: due 31 Mar; its "done" (file 6) is quarantined: open on 31 Mar, overdue by as_of
    *[_commitment("1001-01", "1001", p, 1, D2, "1002", date(2023, 3, 31), "P002", "K0003", "open",
                  None, "overdue", 20) for p in (1, 2, 3)],
    # ENV-01: done at P2's meeting
    *[_commitment("ENV-01", "ENV", p, 1, D3, "1004", date(2022, 12, 31), "P005", "K0007", s, None,
                  "done", None, 2) for p, s in ((1, "open"), (2, "done"), (3, "done"))],
    # ENV-02: made P2, due 28 Feb: overdue 31 days at P3's end, 51 at as_of (file 9 comes later)
    *[_commitment("ENV-02", "ENV", p, 2, date(2023, 2, 10), "1004", date(2023, 2, 28), "P005",
                  None, s, d, "overdue", 51) for p, s, d in ((2, "open", None),
                                                          (3, "overdue", 31))],
]
# fmt: on


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def build(request) -> DbtBuild:
    return request.getfixturevalue(f"{request.param}_build")


def test_mart_meetings_holds_the_hand_written_rows(build: DbtBuild):
    assert_rows_equal(
        build.marts["mart_meetings"], MEETINGS, ("h_unit_code", "fiscal_year", "period_no")
    )


def test_mart_commitments_holds_the_hand_written_rows(build: DbtBuild):
    assert_rows_equal(
        build.marts["mart_commitments"],
        COMMITMENTS,
        ("h_unit_code", "commitment_id", "fiscal_year", "period_no"),
    )


def test_replaced_minutes_leave_no_commitment_behind(duckdb_build: DbtBuild):
    """DDS-05 was made only in file 3, which file 4 replaced."""
    ids = {row["commitment_id"] for row in duckdb_build.marts["mart_commitments"]}
    assert "DDS-05" not in ids
