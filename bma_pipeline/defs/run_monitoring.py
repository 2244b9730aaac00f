"""Dead runs become FAILURE: which process runs a Dagster run, and whether it still lives.

What belongs here: the run launcher named in `dagster.yaml` (local and deploy/), the tags
that name a run's process, and the check both the daemon and `bma-pipeline run` use. What
does not: launching or executing runs (Dagster's own launcher and executors do that).

Dagster's run monitoring (`run_monitoring` in dagster.yaml) fails a STARTED run whose worker
is gone only if the run launcher can say so, and Dagster 1.13's DefaultRunLauncher cannot
(`supports_check_run_worker_health` is False): it fails runs stuck STARTING or CANCELING,
never a killed STARTED one. Runs executed in-process by `bma-pipeline run` have no launcher
at all. So the worker's host and pid are recorded on the run — as tags for in-process runs
and at launch for daemon-launched ones, whose pid is the process that logged RUN_START —
and `LocalRunLauncher` answers the daemon's health check from them; `bma-pipeline run`
applies the same check to earlier runs before it starts (`fail_dead_runs`), so ghosts from
kills go even where no daemon runs.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import dagster as dg
from dagster._core.launcher import CheckRunHealthResult, LaunchRunContext, WorkerStatus

RUN_HOST_TAG = "bma/worker_host"
RUN_PID_TAG = "bma/worker_pid"
_PROC = Path("/proc")
# /proc gives a process's start in clock ticks since boot; boot time is whole seconds.
_START_SLACK_S = 2.0


def this_host() -> str:
    return socket.gethostname()


def in_process_run_tags() -> dict[str, str]:
    """Tags naming this process as the worker of the run it is about to execute in-process."""
    return {RUN_HOST_TAG: this_host(), RUN_PID_TAG: str(os.getpid())}


def _process_start_time(pid: int) -> float | None:
    """When process `pid` started (epoch seconds), None if it is gone or a zombie (Linux)."""
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
        btime = next(
            float(line.split()[1])
            for line in (_PROC / "stat").read_text().splitlines()
            if line.startswith("btime ")
        )
    except (OSError, StopIteration):
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state is field 3
    if fields[0] in ("Z", "X"):
        return None
    return btime + int(fields[19]) / os.sysconf("SC_CLK_TCK")


def process_alive(pid: int, started_by: float | None = None) -> bool:
    """Whether process `pid` lives and, with `started_by`, started no later than that.

    A pid is reused once its process is gone; a process that started after the run began
    cannot be the run's worker.
    """
    if _PROC.is_dir():
        started = _process_start_time(pid)
        if started is None:
            return False
        return started_by is None or started <= started_by + _START_SLACK_S
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _worker_pid(instance: dg.DagsterInstance, run: dg.DagsterRun) -> int | None:
    if run.tags.get(RUN_PID_TAG, "").isdigit():
        return int(run.tags[RUN_PID_TAG])
    records = instance.get_records_for_run(
        run.run_id, of_type=dg.DagsterEventType.RUN_START, limit=1
    ).records
    event = records[0].event_log_entry.dagster_event if records else None
    return event.pid if event is not None else None


def dead_worker_reason(
    instance: dg.DagsterInstance, run: dg.DagsterRun, started_at: float | None
) -> str | None:
    """Why run `run` has no live worker on this host, or None if it has one or cannot be told.

    A run whose worker is on another host, or that names no worker, is never judged here.
    """
    host = run.tags.get(RUN_HOST_TAG)
    if host != this_host():
        return None
    pid = _worker_pid(instance, run)
    if pid is None or process_alive(pid, started_by=started_at):
        return None
    return (
        f"the run's worker process (pid {pid} on {host}) is gone — killed or crashed — "
        "while the run was in progress"
    )


def fail_dead_runs(instance: dg.DagsterInstance, by: str) -> list[str]:
    """Mark FAILURE every in-progress run of this host whose worker process is gone.

    A dead run also gives back the pool slots it held (the `warehouse` pool has one): left
    claimed, they would keep every later writer waiting. Returns the failed run ids; `by`
    names who noticed, for the run's event log.
    """
    failed = []
    in_progress = dg.RunsFilter(
        statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING]
    )
    for record in instance.get_run_records(filters=in_progress):
        run = record.dagster_run
        started_at = record.start_time or record.create_timestamp.timestamp()
        reason = dead_worker_reason(instance, run, started_at)
        if reason is not None:
            instance.report_run_failed(run, f"{reason}; marked failed by {by}")
            if instance.event_log_storage.supports_global_concurrency_limits:
                instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
            failed.append(run.run_id)
    return failed


class LocalRunLauncher(dg.DefaultRunLauncher):
    """Dagster's DefaultRunLauncher, plus the worker health check run monitoring needs.

    It launches runs exactly as DefaultRunLauncher does (a process on the code server's
    machine, which deploy/workspace.yaml makes the daemon's own) and records that host on
    the run, so the daemon's monitoring can tell a killed worker from a live one.
    """

    def launch_run(self, context: LaunchRunContext) -> None:
        self._instance.add_run_tags(context.dagster_run.run_id, {RUN_HOST_TAG: this_host()})
        super().launch_run(context)

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: dg.DagsterRun) -> CheckRunHealthResult:
        record = self._instance.get_run_record_by_id(run.run_id)
        started_at = record.start_time if record is not None else None
        reason = dead_worker_reason(self._instance, run, started_at or time.time())
        if reason is None:
            # Alive, or not ours to judge (another host): never fail what cannot be seen.
            return CheckRunHealthResult(WorkerStatus.RUNNING)
        return CheckRunHealthResult(WorkerStatus.FAILED, reason)
