"""The local instance's event log: Dagster's SQLite files, connections kept open."""

from __future__ import annotations

import time

import dagster as dg
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from bma_pipeline.event_log_storage import OPEN_FILES, LocalSqliteEventLogStorage


@dg.asset
def counted() -> int:
    return 1


def _log(run_id: str, message: str) -> EventLogEntry:
    return EventLogEntry(
        error_info=None,
        level=20,
        user_message=message,
        run_id=run_id,
        timestamp=time.time(),
        dagster_event=None,
        job_name="j",
    )


def test_the_local_instance_keeps_its_runs_where_dagster_does_and_reads_them_back(
    local_dagster_home,
):
    instance = dg.DagsterInstance.from_config(str(local_dagster_home))
    storage = instance.event_log_storage
    assert isinstance(storage, LocalSqliteEventLogStorage)
    result = dg.materialize([counted], instance=instance)
    assert result.success
    run_id = result.run_id
    assert (local_dagster_home / "history" / "runs" / f"{run_id}.db").is_file()
    with storage.run_connection(run_id) as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    written = len(storage.get_records_for_run(run_id).records)
    instance.dispose()

    # what Dagster's own SQLite storage reads from the same files, as another process would
    plain = SqliteEventLogStorage(str(local_dagster_home / "history" / "runs"))
    assert len(plain.get_records_for_run(run_id).records) == written > 5
    latest = plain.get_latest_materialization_events([dg.AssetKey("counted")])
    assert latest[dg.AssetKey("counted")].run_id == run_id
    plain.dispose()


def test_open_files_are_bounded_and_a_wipe_starts_afresh(tmp_path):
    storage = LocalSqliteEventLogStorage(str(tmp_path))
    runs = [f"run{n}" for n in range(OPEN_FILES + 3)]
    for run_id in runs:
        storage.store_event(_log(run_id, f"first of {run_id}"))
    assert len(storage._engines) <= OPEN_FILES
    for run_id in runs:  # the closed ones open again
        storage.store_event(_log(run_id, f"second of {run_id}"))
        messages = [
            r.event_log_entry.user_message for r in storage.get_records_for_run(run_id).records
        ]
        assert messages == [f"first of {run_id}", f"second of {run_id}"]
    assert len(storage._engines) <= OPEN_FILES

    storage.wipe()
    assert storage.get_records_for_run(runs[0]).records == []
    storage.store_event(_log(runs[0], "after the wipe"))
    assert [
        r.event_log_entry.user_message for r in storage.get_records_for_run(runs[0]).records
    ] == ["after the wipe"]
    storage.dispose()
