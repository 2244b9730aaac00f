"""The daemon-driven flow, for real: `dagster-daemon` on PostgreSQL storage picks up a
dropped file through the landing sensor, queues and launches the run, and the
PostgreSQL warehouse's marts show the period."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from bma_pipeline.warehouse import connect
from bma_sample.submissions import generate_submissions

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
TIMEOUT_S = 420


def test_dropped_file_reaches_the_marts_through_the_daemon(tmp_path, dagster_home, pg_database_url):
    landing, reports = tmp_path / "landing", tmp_path / "reports"
    landing.mkdir()
    env = {
        **os.environ,
        "BMA_WAREHOUSE": pg_database_url,
        "BMA_LANDING_DIR": str(landing),
        "BMA_REPORTS_DIR": str(reports),
        "BMA_AS_OF": "2023-01-05T09:00:00",
    }
    daemon = subprocess.Popen(
        [str(Path(sys.executable).parent / "dagster-daemon"), "run", "-w", "workspace.yaml"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "daemon.log", "w"),  # noqa: SIM115 - closed with the process
        start_new_session=True,
    )
    try:
        # Drop the files after the daemon is up, as an upload would.
        generate_submissions(landing, 2566, [1], seed=3)
        instance = dg.DagsterInstance.get()
        deadline = time.monotonic() + TIMEOUT_S
        runs = []
        while time.monotonic() < deadline:
            runs = instance.get_runs()
            if runs and runs[0].is_finished:
                break
            time.sleep(3)
        log = (tmp_path / "daemon.log").read_text(errors="replace")[-3000:]
        assert runs, f"the sensor launched no run in {TIMEOUT_S}s; daemon log:\n{log}"
        run = runs[0]
        assert run.status == dg.DagsterRunStatus.SUCCESS, log
        assert run.tags.get("dagster/partition") == "2566-P1"
        assert run.tags.get("dagster/sensor_name") == "landing_sensor"
    finally:
        os.killpg(daemon.pid, signal.SIGTERM)
        daemon.wait(30)

    with connect(pg_database_url, read_only=True) as wh:
        city = wh.scalar(
            "select progress_pct from marts.mart_group_progress "
            "where period_key = '2566-P1' and group_code = 'CITY'"
        )
        files = wh.scalar("select count(*) from raw.submission_files")
    assert city is not None and float(city) > 0
    assert files == len([p for p in landing.glob("*/*") if p.is_file()])
