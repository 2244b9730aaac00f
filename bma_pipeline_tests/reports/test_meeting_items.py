"""Which items go on an H unit's agenda, on a hand-made period: no warehouse needed."""

from __future__ import annotations

import pandas as pd

from bma_pipeline.fiscal import Period
from bma_pipeline.reports.meeting import MeetingData, meeting_context

PERIOD = Period(2566, 3)


def _kpi_row(unit: str, role: str, ratio: float | None, status: str, attention_rank: int) -> dict:
    return {
        "policy_code": "P001",
        "project_code": None,  # straight under the policy
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
        "attention_rank": attention_rank,  # rpt_kpi_unit_attention's, given by hand
    }


def _kpi_counts(n_support: int, on: int, at_risk: int, off: int, no_data: int, lowest: float):
    """rpt_kpi_units_by_status's row for K0001 (one lead unit), given by hand."""
    return pd.DataFrame(
        [
            {"kpi_code": "K0001", "n_units": n_support + 1, "n_support_units": n_support,
             "n_support_on_track": on, "n_support_at_risk": at_risk, "n_support_off_track": off,
             "n_support_no_data": no_data, "n_units_off_track": off,
             "lowest_off_track_ratio": lowest, "is_decision_item": off > 0},
        ]
    )  # fmt: skip


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
    P3 and is off track, 1003 missed only P2; PWD (H) itself is never listed as R. Attention:
    1002 (off track) first, then 1003 (at risk), 1001 (no data), PWD (on track)."""
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
            _kpi_row("PWD", "H", 1.0, "on_track", 4),
            _kpi_row("1001", "R", None, "no_data", 3),
            _kpi_row("1002", "R", 0.5, "off_track", 1),
            _kpi_row("1003", "R", 0.9, "at_risk", 2),
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
    counts = _kpi_counts(3, on=0, at_risk=1, off=1, no_data=1, lowest=0.5)
    return MeetingData(
        PERIOD, units, policies, kpi_rows, assignments, compliance, obstacles, counts
    )


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


def national_data(n_support: int) -> MeetingData:
    """A nationwide-sized policy: PWD leads P001 with `n_support` R units, every one of which
    missed this period; units 0–4 are off track (worst first: R0004 … R0000), the rest on track
    (at 1.0, as PWD: the lead unit first, then by code)."""
    data = meeting_data()
    codes = [f"R{i:04d}" for i in range(n_support)]
    rows = [_kpi_row("PWD", "H", 1.0, "on_track", 6)]
    rows += [
        _kpi_row(code, "R", 0.1 * (5 - i), "off_track", 5 - i) if i < 5 else
        _kpi_row(code, "R", 1.0, "on_track", i + 2)
        for i, code in enumerate(codes)
    ]  # fmt: skip
    return MeetingData(
        PERIOD,
        data.units,
        data.policies,
        pd.DataFrame(rows),
        pd.DataFrame(
            {"policy_code": "P001", "unit_code": ["PWD", *codes], "role": ["H"] + ["R"] * n_support}
        ),
        pd.DataFrame(
            [c for code in codes for c in _compliance(code, ["on_time"] * 2 + ["missing"])]
        ),
        data.obstacles,
        _kpi_counts(n_support, on=n_support - 5, at_risk=0, off=5, no_data=0, lowest=0.1),
    )


def test_annex_of_a_national_kpi_lists_the_lead_and_the_units_needing_attention_first():
    from bma_pipeline.reports.meeting import ANNEX_UNITS_PER_KPI, ANNEX_UNITS_SHOWN

    context = meeting_context(national_data(ANNEX_UNITS_PER_KPI + 20), "PWD")
    [block] = context["policy_blocks"][0]["kpis"]
    assert block["n_rows"] == ANNEX_UNITS_PER_KPI + 21
    shown = [r.unit_code for r in block["rows"]]
    assert len(shown) == 1 + ANNEX_UNITS_SHOWN
    assert block["n_hidden"] == ANNEX_UNITS_PER_KPI + 20 - ANNEX_UNITS_SHOWN
    assert shown[:6] == ["PWD", "R0004", "R0003", "R0002", "R0001", "R0000"]
    assert context["policy_blocks"][0]["truncated"]
    # The summary and the decision item still count every unit.
    assert block["summary"]["n_support"] == ANNEX_UNITS_PER_KPI + 20
    assert context["off_track"][0]["n_units"] == 5


def test_a_bangkok_sized_kpi_is_listed_whole():
    from bma_pipeline.reports.meeting import ANNEX_UNITS_PER_KPI

    context = meeting_context(national_data(ANNEX_UNITS_PER_KPI - 1), "PWD")
    [block] = context["policy_blocks"][0]["kpis"]
    assert (block["n_rows"], block["n_hidden"]) == (ANNEX_UNITS_PER_KPI, 0)
    assert not context["policy_blocks"][0]["truncated"]


def test_long_lists_of_units_stop_at_the_cap_and_count_the_rest():
    from bma_pipeline.reports.meeting import LIST_CAP

    context = meeting_context(national_data(LIST_CAP + 30), "PWD")
    assert context["n_support_units"] == LIST_CAP + 30
    assert len(context["not_on_time"]) == LIST_CAP
    assert context["n_more_not_on_time"] == 30
    assert [c.unit_code for c in context["not_on_time"]][:2] == ["R0000", "R0001"]


def test_the_full_annex_of_a_cut_policy_is_written_as_csv(tmp_path):
    from bma_pipeline.reports.meeting import ANNEX_UNITS_PER_KPI, write_annex_csvs

    data = national_data(ANNEX_UNITS_PER_KPI + 20)
    [path] = write_annex_csvs(data, tmp_path)
    assert path == tmp_path / "annex" / "P001.csv"
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    assert len(frame) == ANNEX_UNITS_PER_KPI + 21
    assert list(frame.columns[:3]) == ["รหัสนโยบาย", "รหัสตัวชี้วัด", "ตัวชี้วัด"]
    assert set(frame["รหัสหน่วยงาน"]) == {
        "PWD",
        *(f"R{i:04d}" for i in range(ANNEX_UNITS_PER_KPI + 20)),
    }
    # A Bangkok-sized policy needs no CSV: its packs list every unit.
    assert write_annex_csvs(national_data(ANNEX_UNITS_PER_KPI - 1), tmp_path / "small") == []


def test_packs_rendered_by_several_processes_equal_packs_rendered_by_one(tmp_path):
    from bma_pipeline.reports.meeting import write_packs

    data = national_data(80)
    data.policies = pd.concat(  # a second lead unit, so there are two packs to share out
        [data.policies, data.policies.assign(lead_unit_code="R0000")], ignore_index=True
    )
    data.units = pd.concat(
        [data.units, data.units.assign(unit_code="R0000", name_th="เขต R0000")], ignore_index=True
    )
    one = write_packs(data, tmp_path / "one", "2023-04-20 09:00", workers=1)
    two = write_packs(data, tmp_path / "two", "2023-04-20 09:00", workers=2, parallel_from=2)
    assert [p.name for p in one] == [p.name for p in two] == ["PWD.html", "R0000.html"]
    for a, b in zip(one, two, strict=True):
        assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8")
    assert "R0004" in one[0].read_text(encoding="utf-8")
