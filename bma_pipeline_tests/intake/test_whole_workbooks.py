"""Plan and minutes workbooks are taken whole, as submissions are: a file written moments ago
waits as `incomplete` (no rows) until its size and mtime have settled, upload names are never
read, and the waiting record goes once the file is taken or gone."""

from __future__ import annotations

import os
from datetime import date

import pandas as pd

from bma_pipeline.columns import MINUTES
from bma_pipeline.intake.workbook_ledger import ingest_workbooks
from bma_pipeline.warehouse import connect
from bma_pipeline.workbook_writer import write_workbook

NOW = 1_700_000_000.0
UNITS = {"DDS", "1001"}
FRAMES = {
    "meeting": pd.DataFrame([{"period_key": "2566-P3", "meeting_date": date(2023, 3, 15)}]),
    "attendance": pd.DataFrame([{"unit_code": "1001", "present": True}]),
}


def _minutes(landing, name: str, mtime: float, frames=FRAMES):
    path = landing / "DDS" / "meetings" / name
    write_workbook(MINUTES, frames, path, "รายงานการประชุม")
    os.utime(path, (mtime, mtime))
    return path


def _files(wh) -> list[tuple]:
    return [
        tuple(r)
        for r in wh.query(
            f"select path, outcome, reason_code, n_rows from {MINUTES.files.qualified} "
            "order by file_id"
        ).itertuples(index=False)
    ]


def _ingest(wh, landing, now=NOW):
    return ingest_workbooks(wh, landing, MINUTES, UNITS, settle_seconds=30, clock=lambda: now)


def test_a_workbook_written_moments_ago_waits_then_is_taken_whole(tmp_path):
    landing = tmp_path / "landing"
    _minutes(landing, "2566-P3.xlsx", mtime=NOW - 5)
    with connect(tmp_path / "w.duckdb") as wh:
        first = _ingest(wh, landing)
        assert (first.files_ingested, first.files_incomplete) == (0, 1)
        assert _files(wh) == [("DDS/meetings/2566-P3.xlsx", "incomplete", "settling", 0)]
        assert wh.scalar(f"select count(*) from {MINUTES.rows.qualified}") == 0
        again = _ingest(wh, landing, NOW + 10)  # the same bytes, not settled yet: one record
        assert again.files_incomplete == 1 and len(_files(wh)) == 1
        taken = _ingest(wh, landing, NOW + 60)
        assert (taken.files_ingested, taken.rows_ingested) == (1, 2)
        assert _files(wh) == [("DDS/meetings/2566-P3.xlsx", "ingested", None, 2)]


def test_a_workbook_still_growing_is_recorded_again_and_taken_once_settled(tmp_path):
    landing = tmp_path / "landing"
    path = _minutes(landing, "2566-P3.xlsx", mtime=NOW - 5)
    with connect(tmp_path / "w.duckdb") as wh:
        _ingest(wh, landing)
        more = {**FRAMES, "attendance": pd.DataFrame(
            [{"unit_code": "1001", "present": True}, {"unit_code": "DDS", "present": True}]
        )}  # fmt: skip
        write_workbook(MINUTES, more, path, "รายงานการประชุม")
        os.utime(path, (NOW + 20, NOW + 20))
        _ingest(wh, landing, NOW + 25)
        assert [f[1] for f in _files(wh)] == ["incomplete"]  # replaced, not added
        taken = _ingest(wh, landing, NOW + 60)
        assert (taken.files_ingested, taken.rows_ingested) == (1, 3)
        assert [f[1] for f in _files(wh)] == ["ingested"]


def test_upload_names_are_never_read_and_a_vanished_waiting_file_leaves_no_record(tmp_path):
    landing = tmp_path / "landing"
    _minutes(landing, "2566-P3.xlsx.part", mtime=NOW - 3600)
    waiting = _minutes(landing, "2566-P2.xlsx", mtime=NOW - 5)
    with connect(tmp_path / "w.duckdb") as wh:
        report = _ingest(wh, landing)
        assert report.in_progress_names == ["DDS/meetings/2566-P3.xlsx.part"]
        assert [f[0] for f in _files(wh)] == ["DDS/meetings/2566-P2.xlsx"]
        waiting.unlink()
        _ingest(wh, landing, NOW + 60)
        assert _files(wh) == []
