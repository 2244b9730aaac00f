"""The landing sensor: a new file → one run for its period; the same file again, or a file the
ledger already holds, → none; a file still being written → not yet; a busy warehouse → a skip."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import pandas as pd
import pytest

from bma_pipeline.cli import run_pipeline
from bma_pipeline.columns import MINUTES, PLAN
from bma_pipeline.definitions import build_definitions
from bma_pipeline.defs.intake.sensors import evaluate_landing
from bma_pipeline.intake.ledger import ingest_landing, read_ledger_view
from bma_pipeline.intake.workbook_ledger import ingest_workbooks
from bma_pipeline.warehouse import connect
from bma_pipeline.workbook_writer import write_workbook
from bma_sample.submissions import generate_submissions

HEADER = "รหัสหน่วยงาน,ปีงบประมาณ,งวดที่,รหัสตัวชี้วัด,ผลการดำเนินงาน\n"
AS_OF = "2023-01-15T00:00:00"


def _write(path: Path, text: str, received: datetime) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    stamp = received.replace(tzinfo=ZoneInfo("Asia/Bangkok")).timestamp()
    os.utime(path, (stamp, stamp))


def _evaluate(landing: Path, cursor: str | None):
    defs = build_definitions(str(landing.parent / "w.duckdb"), str(landing), str(landing.parent))
    sensor = defs.resolve_sensor_def("landing_sensor")
    resources = {name: defs.resources[name] for name in ("settings", "warehouse")}
    with dg.build_sensor_context(
        cursor=cursor, repository_def=defs.get_repository_def(), resources=resources
    ) as context:
        return sensor.evaluate_tick(context)


def test_new_file_gives_one_run_for_its_period_and_the_same_file_none(tmp_path):
    landing = tmp_path / "landing"
    _write(landing / "1001" / "p2.csv", HEADER + "1001,2566,2,K0001,5\n", datetime(2023, 2, 3))
    first = _evaluate(landing, None)
    assert [r.partition_key for r in first.run_requests] == ["2566-P2"]
    assert first.run_requests[0].tags["bma/files"] == "1"

    again = _evaluate(landing, first.cursor)
    assert again.run_requests == []
    assert "no new files" in (again.skip_message or "")

    # A resubmission (new bytes) for P2 and a first file for P3 → one run each.
    _write(landing / "1001" / "p2_rev.csv", HEADER + "1001,2566,2,K0001,6\n", datetime(2023, 2, 9))
    _write(landing / "1002" / "p3.csv", HEADER + "1002,2566,3,K0001,1\n", datetime(2023, 4, 2))
    third = _evaluate(landing, again.cursor)
    assert sorted(r.partition_key for r in third.run_requests) == ["2566-P2", "2566-P3"]
    assert json.loads(third.cursor).keys() == {"1001/p2.csv", "1001/p2_rev.csv", "1002/p3.csv"}


def _workbook(landing: Path, relative: str, kind, frames: dict, received: datetime) -> None:
    path = landing / relative
    write_workbook(kind, frames, path, "test")
    stamp = received.replace(tzinfo=ZoneInfo("Asia/Bangkok")).timestamp()
    os.utime(path, (stamp, stamp))


def test_a_plan_runs_the_reported_periods_it_changes_and_minutes_their_meetings(tmp_path):
    landing = tmp_path / "landing"
    revision = {"plan": pd.DataFrame([{"fiscal_year": 2566, "effective_from": 4}])}
    _workbook(landing, "DDS/plans/p123_from_p4.xlsx", PLAN, revision, datetime(2023, 3, 20))
    meeting = {"meeting": pd.DataFrame([{"period_key": "2566-P3", "meeting_date": None}])}
    _workbook(landing, "DDS/meetings/2566-P3.xlsx", MINUTES, meeting, datetime(2023, 4, 12))
    # No period from P4 on is reported yet: the plan rides the latest run (P3's minutes).
    first = _evaluate(landing, None)
    assert {r.partition_key: r.tags["bma/files"] for r in first.run_requests} == {"2566-P3": "2"}
    assert _evaluate(landing, first.cursor).run_requests == []

    # Reports for P4 and P5 arrive with a second revision: it runs both, P6 waits for its files.
    _write(landing / "1001" / "p4.csv", HEADER + "1001,2566,4,K0001,5\n", datetime(2023, 6, 2))
    _write(landing / "1001" / "p5.csv", HEADER + "1001,2566,5,K0001,6\n", datetime(2023, 8, 2))
    _workbook(landing, "DDS/plans/p123_from_p4_rev.xlsx", PLAN, revision, datetime(2023, 8, 3))
    second = _evaluate(landing, first.cursor)
    assert {r.partition_key: r.tags["bma/files"] for r in second.run_requests} == {
        "2566-P4": "2",
        "2566-P5": "2",
    }


def test_a_plan_alone_runs_the_period_it_takes_effect_in(tmp_path):
    landing = tmp_path / "landing"
    revision = {"plan": pd.DataFrame([{"fiscal_year": 2566, "effective_from": 4}])}
    _workbook(landing, "DDS/plans/from_p4.xlsx", PLAN, revision, datetime(2023, 3, 20))
    assert [r.partition_key for r in _evaluate(landing, None).run_requests] == ["2566-P4"]


def test_a_plan_runs_the_periods_the_warehouse_already_reports(tmp_path):
    landing = tmp_path / "landing"
    _write(landing / "1001" / "p2.csv", HEADER + "1001,2566,2,K0001,5\n", datetime(2023, 2, 3))
    _write(landing / "1001" / "p5.csv", HEADER + "1001,2566,5,K0001,6\n", datetime(2023, 8, 2))
    with connect(tmp_path / "w.duckdb") as wh:
        ingest_landing(wh, landing, {"1001"}, settle_seconds=0)
    revision = {"plan": pd.DataFrame([{"fiscal_year": 2566, "effective_from": 4}])}
    _workbook(landing, "DDS/plans/from_p4.xlsx", PLAN, revision, datetime(2023, 8, 20))
    found = _evaluate(landing, None)
    assert [r.partition_key for r in found.run_requests] == ["2566-P5"]


def test_workbooks_their_ledgers_hold_request_nothing(tmp_path):
    landing = tmp_path / "landing"
    meeting = {"meeting": pd.DataFrame([{"period_key": "2566-P2", "meeting_date": None}])}
    _workbook(landing, "DDS/meetings/2566-P2.xlsx", MINUTES, meeting, datetime(2023, 2, 8))
    with connect(tmp_path / "w.duckdb") as wh:
        ingest_workbooks(wh, landing, MINUTES, {"DDS"}, settle_seconds=0)
        views = {"minutes": read_ledger_view(wh, MINUTES.files)}
    found = evaluate_landing(landing, {}, 10**8, workbook_ledgers=views)
    assert found.run_requests == [] and list(found.cursor) == ["DDS/meetings/2566-P2.xlsx"]
    # The submission ledger does not hold it: judged by its own ledger, not the submissions'.
    assert [r.partition_key for r in evaluate_landing(landing, {}, 10**8).run_requests] == [
        "2566-P2"
    ]


def test_a_replaced_file_is_seen_again(tmp_path):
    landing = tmp_path / "landing"
    path = landing / "1001" / "p1.csv"
    _write(path, HEADER + "1001,2566,1,K0001,5\n", datetime(2022, 12, 5))
    first = _evaluate(landing, None)
    _write(path, HEADER + "1001,2566,1,K0001,7\n", datetime(2022, 12, 6))
    second = _evaluate(landing, first.cursor)
    assert [r.partition_key for r in second.run_requests] == ["2566-P1"]
    assert second.run_requests[0].run_key != first.run_requests[0].run_key


def test_a_file_without_a_readable_period_is_placed_by_arrival_and_reported(tmp_path):
    landing = tmp_path / "landing"
    _write(landing / "1001" / "scan.pdf", "%PDF-1.4", datetime(2023, 6, 4, 10, 0))
    shutil.copy(landing / "1001" / "scan.pdf", landing / "1001" / "scan2.pdf")
    os.utime(landing / "1001" / "scan2.pdf", (0, 0))  # 1970: before every partition
    result = _evaluate(landing, None)
    # scan.pdf arrived in June 2023, while 2566-P4 (Apr–May) was being reported;
    # scan2.pdf's period lies before the partitions, so the first partition takes it.
    assert sorted(r.partition_key for r in result.run_requests) == ["2566-P1", "2566-P4"]
    _, _, notes = evaluate_landing(landing, {}, max_bytes=1 << 20)
    assert any("scan.pdf" in n and "received time" in n for n in notes)
    assert any("scan2.pdf" in n and "outside the partitions" in n for n in notes)


NOW = datetime(2025, 1, 10, 12, 0, tzinfo=ZoneInfo("Asia/Bangkok")).timestamp()


def _stamp(path: Path, posix_seconds: float) -> None:
    os.utime(path, ns=(int(posix_seconds * 1e9), int(posix_seconds * 1e9)))


def test_only_settled_files_are_requested_and_upload_names_never(tmp_path):
    landing = tmp_path / "landing"
    _write(landing / "1001" / "p2.csv", HEADER + "1001,2566,2,K0001,5\n", datetime(2023, 2, 3))
    _stamp(landing / "1001" / "p2.csv", NOW - 5)  # modified 5 s ago: maybe still being written
    _write(landing / "1002" / "p2.csv.part", HEADER, datetime(2023, 2, 3))
    _write(landing / "1002" / "~$p2.xlsx", "lock", datetime(2023, 2, 3))
    first = evaluate_landing(landing, {}, max_bytes=1 << 20, settle_seconds=30, now=NOW)
    assert first.run_requests == []
    assert first.settling == ["1001/p2.csv"]
    assert first.cursor == {}  # not remembered: looked at again next tick

    later = evaluate_landing(
        landing, first.cursor, max_bytes=1 << 20, settle_seconds=30, now=NOW + 25
    )
    assert [r.partition_key for r in later.run_requests] == ["2566-P2"]
    assert later.settling == [] and set(later.cursor) == {"1001/p2.csv"}


def test_a_future_mtime_is_requested_once_the_ledger_saw_it_an_interval_ago(tmp_path):
    landing = tmp_path / "landing"
    _write(landing / "1001" / "p2.csv", HEADER + "1001,2566,2,K0001,5\n", datetime(2023, 2, 3))
    _stamp(landing / "1001" / "p2.csv", NOW + 3600)
    with connect(str(tmp_path / "w.duckdb")) as wh:
        assert ingest_landing(wh, landing, {"1001"}, clock=lambda: NOW).files_incomplete == 1
        ledger = read_ledger_view(wh)
    soon = evaluate_landing(landing, {}, 1 << 20, ledger=ledger, settle_seconds=30, now=NOW + 10)
    assert soon.run_requests == [] and soon.settling == ["1001/p2.csv"]
    later = evaluate_landing(landing, {}, 1 << 20, ledger=ledger, settle_seconds=30, now=NOW + 31)
    assert [r.partition_key for r in later.run_requests] == ["2566-P2"]


_HOLDERS = {
    # a run of the pipeline: the warehouse lock, then DuckDB read-write
    "pipeline": "from bma_pipeline.warehouse import connect\n"
    "with connect(sys.argv[1]):\n"
    "    print('holding', flush=True); sys.stdin.read()",
    # a person with the DuckDB CLI open read-write (no warehouse lock)
    "duckdb": "import duckdb\n"
    "con = duckdb.connect(sys.argv[1])\n"
    "print('holding', flush=True); sys.stdin.read()",
}


@pytest.mark.parametrize("holder", sorted(_HOLDERS))
def test_a_busy_warehouse_skips_the_tick_and_keeps_the_cursor(tmp_path, holder):
    landing = tmp_path / "landing"
    _write(landing / "1001" / "p2.csv", HEADER + "1001,2566,2,K0001,5\n", datetime(2023, 2, 3))
    warehouse = tmp_path / "w.duckdb"
    with connect(str(warehouse)) as wh:
        ingest_landing(wh, landing, {"1001"})
    cursor = json.dumps({"1001/earlier.csv": "10:20"})
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys\n" + _HOLDERS[holder], str(warehouse)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
        busy = _evaluate(landing, cursor)
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(60)
    assert busy.run_requests == []
    assert "cannot be read now" in (busy.skip_message or "")
    assert str(warehouse) in (busy.skip_message or "")
    assert busy.cursor == cursor

    # Free again: the ledger holds the file, so even without a cursor nothing is requested.
    free = _evaluate(landing, None)
    assert free.run_requests == []
    assert "no new files" in (free.skip_message or "")


@pytest.mark.slow
def test_the_first_tick_after_a_cli_run_requests_nothing(tmp_path):
    """`make demo`, then `make dev`: the sensor starts with no cursor on a warehouse that
    `bma-pipeline run` filled; every landing file is in the ledger, so no run is launched."""
    landing = tmp_path / "landing"
    generate_submissions(landing, 2566, [1], seed=3)
    result = run_pipeline(
        landing, str(tmp_path / "w.duckdb"), tmp_path / "reports", as_of=AS_OF, quiet=True
    )
    assert result.success
    first = _evaluate(landing, None)
    assert first.run_requests == []
    assert "no new files" in (first.skip_message or "")
    files = sorted(p for p in landing.rglob("*") if p.is_file())
    assert any("/plans/" in str(p) for p in files) and any("/meetings/" in str(p) for p in files)
    assert set(json.loads(first.cursor)) == {p.relative_to(landing).as_posix() for p in files}

    # Re-stamped by a copy tool (same bytes, another mtime): the ledger holds the bytes.
    some = files[0]
    _stamp(some, some.stat().st_mtime - 3600)
    assert _evaluate(landing, None).run_requests == []
    # A file the ledger does not hold: one run, for its period.
    _write(landing / "1001" / "late_p2.csv", HEADER + "1001,2566,2,K0001,5\n", datetime(2023, 2, 3))
    assert [r.partition_key for r in _evaluate(landing, first.cursor).run_requests] == ["2566-P2"]
