"""On PostgreSQL nothing is written without the writer lock, even when its session is killed.

The lock is a session advisory lock: terminating the session that holds it releases it at
once. Python writes hold it on the connection they write with, so they die with it; dbt
(a subprocess) is stopped by the step's watchdog and refused by each model's own check,
and the step is retried under a new lock.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from bma_pipeline.warehouse import (
    PG_WRITER_LOCK_KEY,
    WarehouseLocation,
    WriterLockLost,
    connect,
    warehouse_lock,
)
from bma_sample.submissions import generate_submissions

pytestmark = pytest.mark.postgres

_HOLDER = (
    "select pid from pg_locks where locktype = 'advisory' and granted and objsubid = 1 "
    "and (classid::bigint << 32) | objid::bigint = %s"
)

# Every DDL statement that commits, and whether some session held the writer lock as it ran.
_AUDIT = f"""
create schema audit;
create table audit.ddl (
    at timestamptz default clock_timestamp(),
    pid integer default pg_backend_pid(),
    command text,
    object text,
    lock_held boolean
);
create function audit.log_ddl() returns event_trigger language plpgsql as $$
declare command record;
begin
    for command in select * from pg_event_trigger_ddl_commands() loop
        insert into audit.ddl (command, object, lock_held)
        values (command.command_tag, command.object_identity,
                exists ({_HOLDER.replace("%s", str(PG_WRITER_LOCK_KEY))}));
    end loop;
end $$;
create event trigger audit_ddl on ddl_command_end execute function audit.log_ddl();
"""


# Terminate the lock's session while a dbt session runs a model's statement inside the model's
# transaction (dbt's query comment names the node) — not a data test's select nor a unit test's
# temporary table, which take no lock, nor the drop of the replaced relation after the commit —
# in one statement: checked and killed at one moment, however late this process is scheduled.
_KILL_MID_MODEL = f"""
select pg_terminate_backend(holder.pid), holder.pid, writing.query
from ({_HOLDER.replace("%s", str(PG_WRITER_LOCK_KEY))}) as holder, pg_stat_activity as writing
where writing.application_name = 'dbt' and writing.datname = current_database()
    and writing.state = 'active' and writing.query like '%"node_id": "model.%'
    and position('__dbt_backup' in writing.query) = 0
limit 1
"""


def _terminate(url: str, pid: int) -> None:
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("select pg_terminate_backend(%s)", [pid])


def test_a_writer_connection_that_is_terminated_writes_nothing_more(pg_database_url):
    with pytest.raises(psycopg.OperationalError):
        with connect(pg_database_url) as wh:
            wh.execute("create table kept (x integer)")
            pid = wh.scalar("select pg_backend_pid()")
            _terminate(pg_database_url, int(pid))
            wh.execute("create table written_unlocked (x integer)")
    with connect(pg_database_url, read_only=True) as wh:
        assert wh.table_exists("public", "kept")
        assert not wh.table_exists("public", "written_unlocked")
    with warehouse_lock(WarehouseLocation.parse(pg_database_url), timeout_s=2):
        pass  # the lock went with the session: the next writer does not wait


def test_a_lost_lock_is_seen_by_the_watchdog_and_by_the_check(pg_database_url):
    location = WarehouseLocation.parse(pg_database_url)
    lost = threading.Event()
    with warehouse_lock(location) as lock:
        lock.ensure_held()
        with lock.watch(on_lost=lost.set):
            _terminate(pg_database_url, lock.holder.backend_pid)
            assert lost.wait(10), "the watchdog did not notice the lost lock"
        with pytest.raises(WriterLockLost, match=f"backend pid {lock.holder.backend_pid}"):
            lock.ensure_held()
    # Leaving the block does not fail on the dead session's release.


def test_dbt_s_schemas_are_created_under_the_lock_before_dbt_starts(pg_database_url):
    """dbt creates missing schemas before any model's own lock check, so the step creates
    them first, on the session holding the lock; once the lock is lost it creates none."""
    from bma_pipeline.defs.transform.assets import model_schemas

    with psycopg.connect(pg_database_url, autocommit=True) as con:
        con.execute(_AUDIT)
    location = WarehouseLocation.parse(pg_database_url)
    with warehouse_lock(location) as lock:
        lock.create_schemas(model_schemas())
        _terminate(pg_database_url, lock.holder.backend_pid)
        with pytest.raises(WriterLockLost):
            lock.create_schemas(["written_unlocked"])
    with psycopg.connect(pg_database_url) as con:
        created = con.execute("select object, lock_held from audit.ddl order by at").fetchall()
    assert sorted(created) == [("intermediate", True), ("marts", True), ("staging", True)]


@pytest.mark.slow
def test_killing_the_lock_session_mid_dbt_never_lets_dbt_write_unlocked(
    tmp_path: Path, pg_database_url: str
):
    landing = tmp_path / "landing"
    generate_submissions(landing, 2566, [1], seed=3)
    with psycopg.connect(pg_database_url, autocommit=True) as con:
        con.execute(_AUDIT)
    run = subprocess.Popen(
        [sys.executable, "-m", "bma_pipeline.cli", "run", "--landing", str(landing)]
        + ["--warehouse", pg_database_url, "--reports", str(tmp_path / "reports")]
        + ["--as-of", "2023-01-05T09:00:00"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "DAGSTER_HOME": ""},
    )
    terminated = None
    deadline = time.monotonic() + 300
    with psycopg.connect(pg_database_url, autocommit=True) as con:
        while terminated is None and run.poll() is None and time.monotonic() < deadline:
            killed = con.execute(_KILL_MID_MODEL).fetchone()
            if killed:
                terminated, killed_during = killed[1], killed[2]
            time.sleep(0.05)
    output = run.communicate(timeout=600)[0]
    assert terminated is not None, f"dbt never ran under the lock:\n{output[-3000:]}"
    # The step stopped with a clear message and was retried under a new lock, or failed.
    assert f"(backend pid {terminated}) ended, so the step stopped writing" in output, (
        f"killed during: {killed_during[:300]}\n{output}"
    )
    with psycopg.connect(pg_database_url) as con:
        unlocked = con.execute(
            "select at, pid, command, object from audit.ddl where not lock_held order by at"
        ).fetchall()
        audited = con.execute("select count(*) from audit.ddl").fetchone()[0]
    assert audited > 0
    assert unlocked == [], f"written without the writer lock: {unlocked}"
    if run.returncode == 0:
        with connect(pg_database_url, read_only=True) as wh:
            assert wh.scalar("select count(*) from marts.mart_group_progress") > 0
