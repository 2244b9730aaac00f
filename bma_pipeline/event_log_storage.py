"""Dagster's SQLite event log, with one open connection per database file instead of one per event.

What belongs here: how the local Dagster instance (`make demo`, `make dev`, `bma-pipeline run`
with DAGSTER_HOME; deploy/dagster.local.yaml) writes its event log. Production uses
PostgreSQL (deploy/dagster.yaml) and does not use this.

Why: Dagster's `SqliteEventLogStorage` builds an engine, opens the file, commits and closes it
for every event, and a run at bangkok scale stores ~950 events in its run's file and ~580
again in the index file. Closing the last connection checkpoints the write-ahead log, and with
SQLite's default `synchronous=FULL` every commit waits for the disk: 3–4 ms an event here,
several seconds of every run. This keeps each file's connection open (the files, their
schema and the WAL journal mode are Dagster's own) and commits with `synchronous=NORMAL`,
which in WAL mode keeps the file consistent through a crash and may lose only the last
events written before a power loss — the run's history, never the warehouse.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as db
from dagster._config import StringSource
from dagster._config.config_schema import UserConfigSchema
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS, create_db_conn_string
from dagster._serdes import ConfigurableClassData
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

# Files kept open at once: the run being written and the index, plus a few a webserver reads.
OPEN_FILES = 8


def _commit_without_waiting_for_disk(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class LocalSqliteEventLogStorage(SqliteEventLogStorage):
    """`SqliteEventLogStorage` in `<home>/history/runs`, keeping connections open.

    Configured in dagster.yaml with the instance folder, where Dagster's default keeps it too:

        event_log_storage:
          module: bma_pipeline.event_log_storage
          class: LocalSqliteEventLogStorage
          config:
            home: {env: DAGSTER_HOME}
    """

    def __init__(self, home: str, inst_data: ConfigurableClassData | None = None) -> None:
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        super().__init__(os.path.join(home, "history", "runs"), inst_data)

    @classmethod
    def config_type(cls) -> UserConfigSchema:
        return {"home": StringSource}

    @classmethod
    def from_config_value(  # type: ignore[override]
        cls, inst_data: ConfigurableClassData | None, config_value: dict[str, Any]
    ) -> LocalSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        """The shard's engine, its one connection kept open (called under `_db_lock`)."""
        engine = self._engines.get(shard)
        if engine is not None:
            self._engines.move_to_end(shard)
            return engine
        engine = db.create_engine(
            create_db_conn_string(self._base_dir, shard),
            poolclass=StaticPool,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        )
        db.event.listen(engine, "connect", _commit_without_waiting_for_disk)
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        self._engines[shard] = engine
        while len(self._engines) > OPEN_FILES:
            _, oldest = self._engines.popitem(last=False)
            oldest.dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            with self._engine(shard).connect() as conn, conn.begin():
                yield conn

    def _close_all(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()

    def wipe(self) -> None:
        self._close_all()  # before Dagster deletes the run files under them
        super().wipe()

    def dispose(self) -> None:
        self._close_all()
        super().dispose()
