"""Judging pending minutes in rounds is judging them file after file: a file is judged against
its sender's files judged before it (commitments made at other meetings, updates of them), and
only those, whatever round size."""

from __future__ import annotations

import os
import shutil
from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from bma_pipeline.columns import MINUTES
from bma_pipeline.fiscal import Period
from bma_pipeline.intake.workbook_ledger import ingest_workbooks
from bma_pipeline.minutes.apply import (
    commitments_made_elsewhere,
    judging_rounds,
    minutes_context,
    validate_pending_minutes,
)
from bma_pipeline.minutes.rules import judge_minutes, meeting_period
from bma_pipeline.plans.store import read_plan_in_force
from bma_pipeline.validation.workbook_verdicts import record_verdicts
from bma_pipeline.warehouse import connect
from bma_pipeline.workbook_writer import write_workbook
from bma_sample.catalogue import sample_catalogue
from bma_sample.minutes import write_sample_minutes

SENDER = "CSC"  # leads P157 and P158 in the sample plan (not the sample's file with bad rows)
POLICY = "P157"
QUARANTINE = (
    f"select f.file_name, q.sheet, q.row_number, q.reason_codes, q.message_en "
    f"from {MINUTES.quarantine.qualified} q join {MINUTES.files.qualified} f using (file_id) "
    "order by f.file_id, q.sheet, q.row_number"
)


def _minutes(landing, name: str, period: Period, meeting: date, commitments, updates) -> None:
    catalog = sample_catalogue()
    a = catalog.assignments
    led = a.loc[(a["unit_code"] == SENDER) & (a["role"] == "H"), "policy_code"]
    support = sorted(set(a.loc[a["policy_code"].isin(led) & (a["role"] == "R"), "unit_code"]))
    frames = {
        "meeting": pd.DataFrame([{"period_key": period.key, "meeting_date": meeting}]),
        "attendance": pd.DataFrame({"unit_code": support, "present": True}),
        "decisions": pd.DataFrame([{"decision_no": 1, "text": "เร่งรัด", "policy_code": POLICY}]),
        "commitments": pd.DataFrame(
            [
                {
                    "commitment_id": c,
                    "action": "ติดตาม",
                    "owner_unit": SENDER,
                    "due_date": meeting + timedelta(days=30),
                    "policy_code": POLICY,
                }
                for c in commitments
            ]
        ),  # fmt: skip
        "updates": pd.DataFrame([{"commitment_id": c, "status": s} for c, s in updates]),
    }
    path = landing / SENDER / "meetings" / name
    write_workbook(MINUTES, frames, path, f"รายงานการประชุม {SENDER}")
    received = datetime.combine(meeting, datetime.min.time()).timestamp() + 3600
    os.utime(path, (received, received))


@pytest.fixture(scope="module")
def pending(tmp_path_factory, plan_warehouse) -> str:
    """The sample plan's warehouse with every lead unit's minutes of P1 ingested, not judged;
    the sender's own four files (a P3 replacement among them) are written by hand."""
    root = tmp_path_factory.mktemp("minutes")
    landing = root / "landing"
    catalog = sample_catalogue()
    write_sample_minutes(landing, 2566, [1], 5, {1: catalog})
    shutil.rmtree(landing / SENDER, ignore_errors=True)
    # P1 updates a commitment only made at P2: unknown when P1 is judged.
    _minutes(landing, "2566-P1_minutes.xlsx", Period(2566, 1), date(2022, 12, 2),
             ["CSC-2566-01"], [("CSC-2566-02", "open")])  # fmt: skip
    # P2 makes CSC-2566-01 again (made at P1) and CSC-2566-02; updates P1's.
    _minutes(landing, "2566-P2_minutes.xlsx", Period(2566, 2), date(2023, 2, 2),
             ["CSC-2566-01", "CSC-2566-02"], [("CSC-2566-01", "done")])  # fmt: skip
    # P3 and its replacement make the same commitment: same meeting, no duplicate.
    for name, day in (("2566-P3_minutes.xlsx", 3), ("2566-P3_minutes_rev1.xlsx", 5)):
        _minutes(landing, name, Period(2566, 3), date(2023, 4, day),
                 ["CSC-2566-03"], [("CSC-2566-02", "done")])  # fmt: skip
    path = str(root / "pending.duckdb")
    shutil.copy(plan_warehouse, path)
    with connect(path) as wh:
        units = set(wh.query("select unit_code from reference.units")["unit_code"])
        report = ingest_workbooks(wh, landing, MINUTES, units)
        assert report.files_ingested > 20
    return path


def _one_by_one(wh) -> None:
    """The reference: each pending file judged and recorded before the next is looked at."""
    plan = read_plan_in_force(wh)
    pending = wh.query(
        f"select file_id, unit_folder from {MINUTES.files.qualified} "
        "where outcome = 'ingested' and validated_at is null order by received_at, file_name"
    )
    for file_id, sender in pending.itertuples(index=False):
        rows = wh.query(
            f"select * from {MINUTES.rows.qualified} where file_id = :f", {"f": int(file_id)}
        )
        sheets = {name: frame.reset_index(drop=True) for name, frame in rows.groupby("sheet")}
        period = meeting_period(sheets.get("meeting"))
        others = commitments_made_elsewhere(wh, sender, period, int(file_id))
        context = minutes_context(sender, period, plan, others)
        record_verdicts(wh, MINUTES, int(file_id), judge_minutes(sheets, context))


@pytest.fixture(scope="module")
def judged_one_by_one(pending, tmp_path_factory) -> pd.DataFrame:
    path = str(tmp_path_factory.mktemp("one_by_one") / "w.duckdb")
    shutil.copy(pending, path)
    with connect(path) as wh:
        _one_by_one(wh)
        return wh.query(QUARANTINE)


def test_the_reference_quarantines_what_only_order_decides(judged_one_by_one):
    """The fixture means what it says: its own files fail on what came before them."""
    own = judged_one_by_one[judged_one_by_one["message_en"].str.contains("CSC-2566")]
    assert own[["file_name", "sheet", "reason_codes"]].values.tolist() == [
        ["2566-P1_minutes.xlsx", "updates", "unknown_commitment"],
        ["2566-P2_minutes.xlsx", "commitments", "duplicate_commitment"],
    ]


@pytest.mark.parametrize("round_files", [2, 200])
def test_rounds_of_any_size_quarantine_what_one_by_one_does(
    pending, judged_one_by_one, tmp_path, round_files
):
    path = str(tmp_path / "w.duckdb")
    shutil.copy(pending, path)
    with connect(path) as wh:
        report = validate_pending_minutes(wh, round_files=round_files)
        rounded = wh.query(QUARANTINE)
        judged = wh.query(f"select count(*) as n from {MINUTES.files.qualified} "
                          "where validated_at is null and outcome = 'ingested'")  # fmt: skip
    assert judged["n"].iloc[0] == 0
    assert report.rows_quarantined == len(judged_one_by_one) > 2
    pd.testing.assert_frame_equal(rounded, judged_one_by_one)


def test_a_sender_is_in_a_round_once_and_in_received_order():
    pending = pd.DataFrame(
        {"file_id": [1, 2, 3, 4, 5, 6], "unit_folder": ["A", "B", "A", "A", "C", "B"]}
    )
    rounds = [r["file_id"].tolist() for r in judging_rounds(pending, size=2)]
    assert rounds == [[1, 2], [5], [3, 6], [4]]
