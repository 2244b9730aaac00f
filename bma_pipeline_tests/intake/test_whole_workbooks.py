"""Plan and minutes workbooks are taken whole, as submissions are: a file written moments ago
waits as `incomplete` (no rows) until its size and mtime have settled, upload names are never
read, and the waiting record goes once the file is taken or gone. However many files are
parsed together, the ledger is the same."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from bma_pipeline.columns import MINUTES, PLAN
from bma_pipeline.intake.workbook_ledger import ingest_workbooks
from bma_pipeline.warehouse import connect
from bma_pipeline.workbook_writer import write_workbook
from bma_sample.submissions import generate_submissions

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


@pytest.fixture(scope="module")
def sample_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample landing of one period (plans and minutes workbooks), plus a copy of one
    minutes workbook under another name, a broken one and one written moments ago."""
    landing = tmp_path_factory.mktemp("workbooks") / "landing"
    generate_submissions(landing, 2566, [1], seed=3)
    minutes = sorted(landing.glob("*/meetings/*.xlsx"))
    assert len(minutes) > 10
    copy = minutes[0].with_name("copy of " + minutes[0].name)
    shutil.copy2(minutes[0], copy)
    broken = minutes[1].parent / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    os.utime(broken, (NOW - 3600, NOW - 3600))
    fresh = _minutes(landing, "fresh.xlsx", mtime=NOW - 5)
    assert fresh.exists()
    return landing


@pytest.mark.parametrize("kind", [MINUTES, PLAN], ids=lambda kind: kind.name)
def test_workbooks_parsed_in_chunks_give_the_same_ledger(tmp_path, sample_landing, kind):
    units = {p.name for p in sample_landing.iterdir() if p.is_dir()}
    ledgers = {}
    for chunk_files in (1, 3, 1000):
        with connect(tmp_path / f"w{chunk_files}.duckdb") as wh:
            report = ingest_workbooks(
                wh,
                sample_landing,
                kind,
                units,
                settle_seconds=30,
                clock=lambda: NOW,
                chunk_files=chunk_files,
            )
            files = wh.query(f"select * from {kind.files.qualified} order by file_id")
            rows = wh.query(
                f"select * from {kind.rows.qualified} order by file_id, sheet, row_number"
            )
        ledgers[chunk_files] = (report.files_ingested, report.rows_ingested, files, rows)
    ingested, n_rows, files, rows = ledgers[1]
    assert ingested >= 2 and n_rows == len(rows) > 0
    assert (files["outcome"] == "ingested").sum() == ingested
    if kind is MINUTES:
        assert set(files["outcome"]) == {"ingested", "duplicate", "rejected", "incomplete"}
    for chunk_files in (3, 1000):
        other = ledgers[chunk_files]
        assert other[:2] == (ingested, n_rows)
        # Same records, ids and reasons; only the clock's reading differs.
        pd.testing.assert_frame_equal(
            other[2].drop(columns="ingested_at"), files.drop(columns="ingested_at")
        )
        pd.testing.assert_frame_equal(other[3], rows)
