"""A run whose process is killed becomes FAILURE, with the reason, instead of STARTED forever.

Dagster's run monitoring asks the run launcher whether a STARTED run's worker lives;
`LocalRunLauncher` (deploy/dagster*.yaml) answers from the worker's host and pid. The next
`bma-pipeline run` applies the same check where no daemon runs.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest
from dagster._daemon.monitoring.run_monitoring import monitor_started_run

from bma_pipeline.defs.run_monitoring import LocalRunLauncher, fail_dead_runs, this_host
from bma_sample.submissions import generate_submissions

# A one-op job that waits, run in-process in its own process as `bma-pipeline run` runs.
_SLEEPER = """
import sys, time
import dagster as dg
from bma_pipeline.defs.run_monitoring import RUN_HOST_TAG, in_process_run_tags

@dg.op
def wait_a_while():
    time.sleep(600)

@dg.job
def sleeper():
    wait_a_while()

tags = in_process_run_tags()
if sys.argv[2] == "host-only":  # as a daemon-launched run: host tag only, pid from RUN_START
    tags = {RUN_HOST_TAG: tags[RUN_HOST_TAG]}
sleeper.execute_in_process(instance=dg.DagsterInstance.from_config(sys.argv[1]), tags=tags)
"""


def _start(args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        args,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )


def _started_run(
    instance: dg.DagsterInstance, known: set[str], step_running: bool
) -> dg.DagsterRun:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        for run in instance.get_runs():
            if run.run_id in known or run.status != dg.DagsterRunStatus.STARTED:
                continue
            steps = instance.get_records_for_run(
                run.run_id, of_type=dg.DagsterEventType.STEP_START
            ).records
            if steps or not step_running:
                return run
        time.sleep(0.2)
    raise AssertionError("no run started within 180 s")


def _kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)


def _monitor(instance: dg.DagsterInstance, run_id: str) -> dg.DagsterRun:
    """One pass of Dagster's own run monitoring (the daemon's) over one run."""
    record = instance.get_run_record_by_id(run_id)
    monitor_started_run(instance, None, record, logging.getLogger("run_monitoring"))
    return instance.get_run_by_id(run_id)


def _failure_message(instance: dg.DagsterInstance, run_id: str) -> str:
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.RUN_FAILURE).records
    return records[-1].event_log_entry.dagster_event.message or ""


def test_the_instance_uses_the_launcher_that_can_check_workers(local_dagster_home: Path):
    instance = dg.DagsterInstance.from_config(str(local_dagster_home))
    assert isinstance(instance.run_launcher, LocalRunLauncher)
    assert instance.run_monitoring_enabled
    assert instance.run_launcher.supports_check_run_worker_health


@pytest.mark.parametrize("tags", ["in-process", "host-only"])
def test_dagsters_monitoring_fails_a_killed_run_and_spares_a_live_one(
    local_dagster_home: Path, tags: str
):
    instance = dg.DagsterInstance.from_config(str(local_dagster_home))
    script = [sys.executable, "-c", _SLEEPER, str(local_dagster_home), tags]
    alive, doomed = _start(script), None
    try:
        live_run = _started_run(instance, set(), step_running=True)
        doomed = _start(script)
        dead_run = _started_run(instance, {live_run.run_id}, step_running=True)
        _kill(doomed)
        assert instance.get_run_by_id(dead_run.run_id).status == dg.DagsterRunStatus.STARTED
        assert _monitor(instance, dead_run.run_id).status == dg.DagsterRunStatus.FAILURE
        assert _monitor(instance, live_run.run_id).status == dg.DagsterRunStatus.STARTED
    finally:
        _kill(alive)
        if doomed is not None and doomed.poll() is None:
            _kill(doomed)
    message = _failure_message(instance, dead_run.run_id)
    assert f"on {this_host()}) is gone — killed or crashed" in message, message


def test_a_run_on_another_host_is_never_judged_here(local_dagster_home: Path):
    instance = dg.DagsterInstance.from_config(str(local_dagster_home))
    process = _start([sys.executable, "-c", _SLEEPER, str(local_dagster_home), "in-process"])
    try:
        run = _started_run(instance, set(), step_running=False)
        instance.add_run_tags(run.run_id, {"bma/worker_host": "another-machine"})
        _kill(process)
        assert fail_dead_runs(instance, by="a test") == []
        assert _monitor(instance, run.run_id).status == dg.DagsterRunStatus.STARTED
    finally:
        if process.poll() is None:
            _kill(process)


@pytest.mark.slow
def test_a_killed_bma_pipeline_run_is_failed_by_the_next_one(local_dagster_home: Path, tmp_path):
    landing = tmp_path / "landing"
    generate_submissions(landing, 2566, [1], seed=3)
    command = [sys.executable, "-m", "bma_pipeline.cli", "run", "--landing", str(landing)]
    command += ["--warehouse", str(tmp_path / "w.duckdb"), "--as-of", "2023-01-05T09:00:00"]
    instance = dg.DagsterInstance.from_config(str(local_dagster_home))
    killed = _start([*command, "--reports", str(tmp_path / "reports1")])
    run = _started_run(instance, set(), step_running=True)
    time.sleep(2)  # mid-run: intake or validation is writing
    _kill(killed)
    assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.STARTED
    assert run.tags["bma/worker_pid"] == str(killed.pid)

    second = subprocess.run(
        [*command, "--reports", str(tmp_path / "reports2")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert second.returncode == 0, second.stderr[-3000:]
    assert f"marked 1 earlier run(s) failed, their process being gone: {run.run_id}" in (
        second.stderr
    )
    assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.FAILURE
    assert f"(pid {killed.pid} on {this_host()}) is gone" in _failure_message(instance, run.run_id)
    assert "marked failed by bma-pipeline run" in _failure_message(instance, run.run_id)
