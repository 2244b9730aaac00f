"""Two runs at once both succeed in turn; a run killed mid-load leaves nothing half-done."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bma_pipeline.intake.ledger import ingest_landing
from bma_pipeline.warehouse import WarehouseBusy, WarehouseLocation, connect, warehouse_lock
from bma_sample.catalogue import sample_catalogue
from bma_sample.submissions import generate_submissions

pytestmark = pytest.mark.slow


def _hold_lock(path: str, seconds: float, ready) -> None:
    with warehouse_lock(WarehouseLocation.parse(path)):
        ready.set()
        time.sleep(seconds)


def test_a_second_writer_waits_for_the_first(tmp_path):
    path = str(tmp_path / "w.duckdb")
    ready = multiprocessing.get_context("spawn").Event()
    holder = multiprocessing.get_context("spawn").Process(
        target=_hold_lock, args=(path, 1.5, ready)
    )
    holder.start()
    assert ready.wait(30)
    started = time.monotonic()
    with connect(path) as wh:  # would fail on DuckDB's own file lock without waiting
        wh.execute("create table t as select 1 as x")
    waited = time.monotonic() - started
    holder.join(10)
    assert waited >= 0.5
    with pytest.raises(WarehouseBusy):
        holder = multiprocessing.get_context("spawn").Process(
            target=_hold_lock, args=(path, 5, ready)
        )
        ready.clear()
        holder.start()
        assert ready.wait(30)
        with warehouse_lock(WarehouseLocation.parse(path), timeout_s=0.5):
            pass
    holder.join(10)


def _run_cli(landing: Path, warehouse: str, reports: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bma_pipeline.cli",
            "run",
            "--landing",
            str(landing),
            "--warehouse",
            warehouse,
            "--reports",
            str(reports),
            "--as-of",
            "2023-01-20T09:00:00",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "DAGSTER_HOME": ""},
    )


def test_two_runs_launched_together_both_succeed(tmp_path):
    landing = tmp_path / "landing"
    generate_submissions(landing, 2566, [1], seed=11)
    warehouse = str(tmp_path / "w.duckdb")
    runs = [_run_cli(landing, warehouse, tmp_path / f"reports{n}") for n in (1, 2)]
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], "\n\n".join(outputs)
    with connect(warehouse, read_only=True) as wh:
        files = wh.scalar("select count(*) from raw.submission_files")
        distinct = wh.scalar("select count(distinct sha256) from raw.submission_files")
        rows = wh.scalar("select count(*) from raw.submission_rows")
        quarantine_twice = wh.scalar(
            "select count(*) from (select file_id, row_number from raw.quarantined_rows "
            "group by 1, 2 having count(*) > 1) d"
        )
    assert files == distinct == len([p for p in landing.glob("*/*") if p.is_file()])
    assert rows > 0 and quarantine_twice == 0
    # Without --pdf the meeting packs are written as HTML only.
    assert list((tmp_path / "reports1").glob("*/meetings/*.html"))
    assert not list((tmp_path / "reports1").rglob("*.pdf"))
    for n, output in enumerate(outputs, start=1):  # the summary names the index once, last
        index = str((tmp_path / f"reports{n}" / "index.html").resolve())
        assert output.count(index) == 1, output
        assert output.rstrip().endswith(index)


_INGEST_SCRIPT = """
import sys
from pathlib import Path
from bma_pipeline.intake.ledger import ingest_landing
from bma_sample.catalogue import sample_catalogue
from bma_pipeline.warehouse import connect
units = set(sample_catalogue().units["unit_code"])
with connect(sys.argv[2]) as wh:
    ingest_landing(wh, Path(sys.argv[1]), units, progress=lambda m: print(m, flush=True))
"""


def test_a_run_killed_mid_load_then_rerun_leaves_no_duplicate_or_partial_file(tmp_path):
    landing = tmp_path / "landing"
    generate_submissions(landing, 2566, [1, 2], seed=5)
    killed = str(tmp_path / "killed.duckdb")
    process = subprocess.Popen(
        [sys.executable, "-c", _INGEST_SCRIPT, str(landing), killed],
        stdout=subprocess.PIPE,
        text=True,
    )
    # Kill it as soon as it reports progress: some files are in, others are not.
    assert process.stdout is not None
    process.stdout.readline()
    process.send_signal(signal.SIGKILL)
    process.wait(30)

    units = set(sample_catalogue().units["unit_code"])
    with connect(killed) as wh:
        before = wh.scalar("select count(*) from raw.submission_files")
        ingest_landing(wh, landing, units)
    clean = str(tmp_path / "clean.duckdb")
    with connect(clean) as wh:
        ingest_landing(wh, landing, units)

    query = (
        "select f.path, f.sha256, f.n_rows, count(r.row_number) as stored "
        "from raw.submission_files f left join raw.submission_rows r using (file_id) "
        "group by 1, 2, 3 order by 1"
    )
    with connect(killed, read_only=True) as wh:
        after_kill = wh.query(query)
    with connect(clean, read_only=True) as wh:
        expected = wh.query(query)
    assert before < len(expected), "the kill came too late to test anything"
    assert after_kill.equals(expected)
    assert (after_kill["n_rows"] == after_kill["stored"]).all()
