"""The report models (`models/marts/reports/rpt_*`) on the golden fixture: lead units, the most
lagging policies, the units needing attention, each KPI's units by status and the rows of every
file, against figures worked out by hand from golden_fixture.py (PostgreSQL gives the same rows:
test_dbt_golden.py compares every published model across adapters).
"""

from __future__ import annotations

from bma_pipeline.summary import collect_summary
from bma_pipeline.warehouse import connect

from .conftest import DbtBuild
from .test_dbt_golden import AT, KPI_PROGRESS, ND, OFF, ON, POLICY_PROGRESS, assert_rows_equal

DRAINAGE, PHRA_NAKHON = "สำนักการระบายน้ำ", "สำนักงานเขตพระนคร"
ENVIRONMENT = "สำนักสิ่งแวดล้อม"


def _rows(build: DbtBuild, model: str, **where: object) -> list[dict]:
    return [r for r in build.marts[model] if all(r[k] == v for k, v in where.items())]


def test_lead_units_are_one_label_per_policy_and_period(duckdb_build: DbtBuild):
    # P004 has no lead unit (1001 only supports it): it shows the dash, like every report did.
    # No revision changes a lead unit, so each period has the same labels.
    labels = [
        {"policy_code": "P001", "n_lead_units": 1, "lead_unit_codes": "DDS",
         "lead_units_th": DRAINAGE},
        {"policy_code": "P002", "n_lead_units": 1, "lead_unit_codes": "1001",
         "lead_units_th": PHRA_NAKHON},
        {"policy_code": "P003", "n_lead_units": 1, "lead_unit_codes": "DDS",
         "lead_units_th": DRAINAGE},
        {"policy_code": "P004", "n_lead_units": 0, "lead_unit_codes": None, "lead_units_th": "–"},
        {"policy_code": "P005", "n_lead_units": 1, "lead_unit_codes": "ENV",
         "lead_units_th": ENVIRONMENT},
    ]  # fmt: skip
    expected = [
        {"fiscal_year": 2566, "period_no": p, "period_key": f"2566-P{p}", **label}
        for p in range(1, 7)
        for label in labels
    ]
    assert_rows_equal(
        duckdb_build.marts["rpt_policy_lead_units"],
        expected,
        ("fiscal_year", "period_no", "policy_code"),
    )


def test_most_lagging_are_the_off_track_and_at_risk_policies_lowest_first(duckdb_build: DbtBuild):
    # By hand from POLICY_PROGRESS: P005 is behind every period and lowest but in P3: P1 P005
    # 86.7 % before P001 93.3 % and P002 96.3 % (all at risk); P2 P005 77.5 % (off track) before
    # P002 99.6 %; P3 P003 75 % before P005 77.5 % (both off track); P4–P6 P005 (61.6, 59.3,
    # 51.2 %) before P001 (90, 78, 70 %) and P002 (95.2, 89.9, 86.3 %). On-track policies never
    # show.
    ranked = {1: ["P005", "P001", "P002"], 2: ["P005", "P002"], 3: ["P003", "P005"],
              4: ["P005", "P001", "P002"], 5: ["P005", "P001", "P002"],
              6: ["P005", "P001", "P002"]}  # fmt: skip
    for period, codes in ranked.items():
        rows = sorted(
            _rows(duckdb_build, "rpt_most_lagging_policies", period_no=period),
            key=lambda r: r["lag_rank"],
        )
        assert [(r["lag_rank"], r["policy_code"]) for r in rows] == list(
            enumerate(codes, start=1)
        ), period
        for row in rows:
            progress, _, _, status, *_ = POLICY_PROGRESS[row["policy_code"]][period - 1]
            assert status in (AT, OFF) and row["status"] == status
            assert abs(row["progress_pct"] - 100 * progress) < 1e-9
            lead = {"P002": PHRA_NAKHON, "P005": ENVIRONMENT}.get(row["policy_code"], DRAINAGE)
            assert row["lead_units_th"] == lead
            assert row["period_key"] == f"2566-P{period}"


_ATTENTION_ORDER = {OFF: 0, AT: 1, ND: 2, ON: 3}


def _in_scope(kpi: str, period: int) -> list[tuple[str, dict]]:
    """The hand-worked (unit, figures) pairs of `kpi` in scope at `period`."""
    return [
        (unit, f)
        for (unit, k), f in KPI_PROGRESS.items()
        if k == kpi and period in f.get("periods", range(1, 7))
    ]


def _at(figures: dict, name: str, period: int) -> object:
    """A hand-worked figure of a pair at `period` (its lists hold its in-scope periods only)."""
    return figures[name][list(figures.get("periods", range(1, 7))).index(period)]


def _attention_by_hand(kpi: str, period: int) -> list[str]:
    """The rule as the packs state it, over the hand-worked KPI figures: off track, at risk,
    no data, on track; lowest ratio first; lead before supporting units; then unit code."""
    pairs = _in_scope(kpi, period)

    def key(pair: tuple[str, dict]) -> tuple:
        unit, figures = pair
        ratio = _at(figures, "ratio", period)
        return (
            _ATTENTION_ORDER[_at(figures, "status", period)],
            ratio is None,
            ratio or 0.0,
            figures["role"] != "H",
            unit,
        )

    return [unit for unit, _ in sorted(pairs, key=key)]


def test_units_needing_attention_are_ranked_per_kpi_and_period(duckdb_build: DbtBuild):
    # Written out for K0001: P2 has 1001 and 1002 both at exactly 1.0 (by unit code), P5 two
    # units off track (1002 at 0.4 before DDS at 0.72), P3 the off-track R unit before the H unit.
    by_hand = {1: ["1001", "DDS", "1002"], 2: ["1001", "1002", "DDS"],
               3: ["1002", "DDS", "1001"], 4: ["1002", "DDS", "1001"],
               5: ["1002", "DDS", "1001"], 6: ["1002", "DDS", "1001"]}  # fmt: skip
    ranks = {}
    for row in duckdb_build.marts["rpt_kpi_unit_attention"]:
        ranks.setdefault((row["kpi_code"], row["period_no"]), []).append(row)
    for period, units in by_hand.items():
        rows = sorted(ranks[("K0001", period)], key=lambda r: r["attention_rank"])
        assert [r["unit_code"] for r in rows] == units, period
    # K0003 P1: the H unit and its R unit both at 1.0 — the lead unit first.
    assert [r["unit_code"] for r in sorted(ranks[("K0003", 1)], key=lambda r: r["attention_rank"])
            ] == ["1001", "1002"]  # fmt: skip
    for (kpi, period), rows in ranks.items():
        ordered = sorted(rows, key=lambda r: r["attention_rank"])
        assert [r["attention_rank"] for r in ordered] == list(range(1, len(rows) + 1))
        assert [r["unit_code"] for r in ordered] == _attention_by_hand(kpi, period), (kpi, period)
        for row in rows:
            assert row["needs_attention"] is (row["status"] != ON)
    # K0001–K0005 and K0007–K0009 have targets all year, K0010 in P1–P3 (retired), K0006 none
    assert len(ranks) == 8 * 6 + 3


def test_each_kpis_units_are_counted_by_status(duckdb_build: DbtBuild):
    counted = duckdb_build.marts["rpt_kpi_units_by_status"]
    rows = {(r["kpi_code"], r["period_no"]): r for r in counted}
    # K0001 P6: DDS (H) 0.6, 1001 (R) 8/12 and 1002 (R) 4/12, all three off track.
    k1 = rows[("K0001", 6)]
    assert (k1["n_units"], k1["n_lead_units"], k1["n_support_units"]) == (3, 1, 2)
    assert (k1["n_support_off_track"], k1["n_units_off_track"]) == (2, 3)
    assert abs(k1["lowest_off_track_ratio"] - 4 / 12) < 1e-9 and k1["is_decision_item"]
    # K0004 P1: 1001 (H) at risk, 1002 (R) never reported: no decision item.
    k4 = rows[("K0004", 1)]
    assert (k4["n_support_no_data"], k4["n_support_at_risk"], k4["n_units_off_track"]) == (1, 0, 0)
    assert k4["lowest_off_track_ratio"] is None and k4["is_decision_item"] is False
    for (kpi, period), row in rows.items():
        pairs = [f for _, f in _in_scope(kpi, period)]
        support = [f for f in pairs if f["role"] != "H"]
        statuses = [_at(f, "status", period) for f in support]
        assert row["n_units"] == len(pairs)
        assert row["n_support_units"] == len(support)
        for status in (ON, AT, OFF, ND):
            assert row[f"n_support_{status}"] == statuses.count(status), (kpi, period, status)
        off = [_at(f, "ratio", period) for f in pairs if _at(f, "status", period) == OFF]
        assert row["n_units_off_track"] == len(off)
        assert row["is_decision_item"] is bool(off)


# file_id: (outcome, validated, received, accepted, quarantined, pending), from golden_fixture's
# _FILES and _ROWS: file 7 has one quarantined row, file 9 only one; file 10 arrived after as_of
# but is in the ledger; file 11 is a duplicate (no rows); file 12 is not validated yet; P005's
# files 13–18 are accepted whole.
FILE_ROWS = {
    1: ("ingested", True, 3, 3, 0, 0), 2: ("ingested", True, 3, 3, 0, 0),
    3: ("ingested", True, 2, 2, 0, 0), 4: ("ingested", True, 3, 3, 0, 0),
    5: ("ingested", True, 2, 2, 0, 0), 6: ("ingested", True, 2, 2, 0, 0),
    7: ("ingested", True, 3, 2, 1, 0), 8: ("ingested", True, 3, 3, 0, 0),
    9: ("ingested", True, 1, 0, 1, 0), 10: ("ingested", True, 1, 1, 0, 0),
    11: ("duplicate", False, 0, 0, 0, 0), 12: ("ingested", False, 1, 0, 0, 1),
    13: ("ingested", True, 4, 4, 0, 0), 14: ("ingested", True, 2, 2, 0, 0),
    15: ("ingested", True, 4, 4, 0, 0), 16: ("ingested", True, 3, 3, 0, 0),
    17: ("ingested", True, 2, 2, 0, 0), 18: ("ingested", True, 1, 1, 0, 0),
}  # fmt: skip


def test_every_files_rows_are_accepted_quarantined_or_pending(duckdb_build: DbtBuild):
    rows = {r["file_id"]: r for r in duckdb_build.marts["rpt_submission_file_row_counts"]}
    assert set(rows) == set(FILE_ROWS)
    for file_id, (outcome, validated, *counts) in FILE_ROWS.items():
        row = rows[file_id]
        assert (row["outcome"], row["is_validated"]) == (outcome, validated), file_id
        assert [
            row["n_rows_received"],
            row["n_rows_accepted"],
            row["n_rows_quarantined"],
            row["n_rows_pending_validation"],
        ] == counts, file_id
        assert row["n_rows_superseded"] == 0, file_id  # no partial file in the golden landing


def test_run_summary_counts_accepted_rows_as_the_marts_do(duckdb_build: DbtBuild):
    """A row of a file not validated yet (file 12) is not accepted: 40 rows = 37 accepted + 2
    quarantined + 1 pending, the accepted count the compliance mart sums per unit and period."""
    with connect(duckdb_build.location, read_only=True) as wh:
        summary = collect_summary(wh)
    assert summary.files == {"duplicate": 1, "ingested": 17}
    # golden_minutes.py: at P3 DDS met (file 4), 1001's meeting row is quarantined and ENV's
    # minutes arrive after as_of; DDS-02, 1001-01 and ENV-02 are overdue.
    assert summary.meetings == {"held": 1, "missing": 2}
    assert summary.commitments_overdue == 3
    assert summary.minutes == {
        "files": 9, "rows_received": 42, "rows_accepted": 39, "rows_quarantined": 3
    }  # fmt: skip
    assert (summary.rows_received, summary.rows_accepted) == (40, 37)
    assert (summary.rows_quarantined, summary.rows_pending_validation) == (2, 1)
    # every accepted row received by as_of counts in compliance; file 10 (after as_of) does not
    compliance = duckdb_build.marts["mart_submission_compliance"]
    in_compliance = sum(r["n_rows_accepted"] for r in compliance)
    assert in_compliance == summary.rows_accepted - FILE_ROWS[10][3]
