"""The landing sensor: a new file → one run for its period; the same file again → none."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg

from bma_pipeline.definitions import build_definitions
from bma_pipeline.defs.intake.sensors import evaluate_landing

HEADER = "รหัสหน่วยงาน,ปีงบประมาณ,งวดที่,รหัสตัวชี้วัด,ผลการดำเนินงาน\n"


def _write(path: Path, text: str, received: datetime) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    stamp = received.replace(tzinfo=ZoneInfo("Asia/Bangkok")).timestamp()
    os.utime(path, (stamp, stamp))


def _evaluate(landing: Path, cursor: str | None):
    defs = build_definitions(str(landing.parent / "w.duckdb"), str(landing), str(landing.parent))
    sensor = defs.resolve_sensor_def("landing_sensor")
    settings = defs.resources["settings"]
    with dg.build_sensor_context(
        cursor=cursor, repository_def=defs.get_repository_def(), resources={"settings": settings}
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
