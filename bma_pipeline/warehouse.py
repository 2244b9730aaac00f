"""One small interface over the two warehouses: a DuckDB file (default) and PostgreSQL.

What belongs here: opening a connection from a path or URL, executing SQL,
reading a query into pandas, bulk-writing a frame (DuckDB: Arrow scan;
PostgreSQL: COPY), transactions, and the environment dbt needs to reach the
same warehouse. What does not: any table's meaning (the layers own their DDL).

Values always travel as bound parameters or bulk loads, never interpolated into SQL
text. Parameters are named (`:name`, a list value expands to `(v1, v2, …)` after `in`):
SQLAlchemy's `text()` compiles them into each driver's own placeholders (DuckDB `?`,
psycopg `%(name)s`, escaping `%`) and the driver binds the values, so a literal `?`, a
`::` cast or a PostgreSQL JSON operator in a statement stays as written. A statement
without parameters goes to the driver untouched. Identifiers are quoted by `quote_ident`.
"""

from __future__ import annotations

import fcntl
import io
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlparse

import pandas as pd
from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql.base import PGDialect
from sqlalchemy.engine.default import DefaultDialect

WarehouseKind = Literal["duckdb", "postgres"]
# The warehouse's schemas (the layers write them; dbt's are staging, intermediate, marts).
SCHEMAS = frozenset(
    {"raw", "reference", "plans", "staging", "intermediate", "marts", "bi", "bi_store"}
)
Params = Mapping[str, Any]

# Compilers only (no engine, no connection): DuckDB binds `?`, psycopg `%(name)s`.
_DIALECTS = {
    "duckdb": DefaultDialect(paramstyle="qmark"),
    "postgres": PGDialect(paramstyle="pyformat"),
}


def quote_ident(name: str) -> str:
    """An identifier quoted for DuckDB and PostgreSQL alike ("raw", "we""ird")."""
    return _DIALECTS["postgres"].identifier_preparer.quote_identifier(name)


def bind_params(kind: WarehouseKind, sql: str, params: Params) -> tuple[str, Any]:
    """`sql` with named parameters as the driver's statement and arguments.

    A list, tuple or set value is an expanding parameter (`where code in :codes`).
    """
    clause = text(sql).bindparams(
        *(
            bindparam(name, list(value), expanding=True)
            if isinstance(value, list | tuple | set | frozenset)
            else bindparam(name, value)
            for name, value in params.items()
        )
    )
    compiled = clause.compile(dialect=_DIALECTS[kind], compile_kwargs={"render_postcompile": True})
    values = compiled.params
    if kind == "duckdb":
        return str(compiled), [values[name] for name in compiled.positiontup or []]
    return str(compiled), values


@dataclass(frozen=True)
class WarehouseLocation:
    """Where the warehouse is: a DuckDB file path or a PostgreSQL URL."""

    kind: WarehouseKind
    target: str  # absolute DuckDB path, or the PostgreSQL URL

    @classmethod
    def parse(cls, path_or_url: str | Path) -> WarehouseLocation:
        text = str(path_or_url)
        if text.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
            return cls("postgres", text)
        if text.startswith("duckdb:///"):
            text = text.removeprefix("duckdb:///")
        path = Path(text).expanduser().resolve()
        if path.stem.lower() in SCHEMAS:
            # DuckDB names a database after its file: "plans" would shadow the schema plans.
            raise ValueError(
                f"warehouse file {path}: a DuckDB file may not be named like one of the "
                f"warehouse's schemas ({', '.join(sorted(SCHEMAS))}); name it e.g. warehouse.duckdb"
            )
        return cls("duckdb", str(path))

    def dbt_env(self) -> dict[str, str]:
        """Environment variables that point dbt's profile (dbt_project/profiles.yml) here."""
        if self.kind == "duckdb":
            return {"BMA_DBT_TARGET": "duckdb", "BMA_DUCKDB_PATH": self.target}
        url = urlparse(self.target.replace("postgresql+psycopg://", "postgresql://"))
        return {
            "BMA_DBT_TARGET": "postgres",
            "BMA_PG_HOST": url.hostname or "127.0.0.1",
            "BMA_PG_PORT": str(url.port or 5432),
            "BMA_PG_USER": unquote(url.username or "postgres"),
            "BMA_PG_PASSWORD": unquote(url.password or ""),
            "BMA_PG_DBNAME": (url.path or "/postgres").lstrip("/") or "postgres",
        }

    @property
    def display(self) -> str:
        """The location without a password, for logs and summaries."""
        if self.kind == "duckdb":
            return self.target
        url = urlparse(self.target)
        if url.password:
            return self.target.replace(f":{url.password}@", ":***@")
        return self.target


class Warehouse:
    """An open connection. Use `connect()`; the connection closes on exit."""

    kind: WarehouseKind

    def __init__(self, location: WarehouseLocation, connection: Any) -> None:
        self.location = location
        self.kind = location.kind
        self._con = connection

    # -- reading ---------------------------------------------------------
    def _statement(self, sql: str, params: Params | None) -> tuple[str, Any]:
        if not params:
            return sql, None
        return bind_params(self.kind, sql, params)

    def query(self, sql: str, params: Params | None = None) -> pd.DataFrame:
        statement, args = self._statement(sql, params)
        if self.kind == "duckdb":
            return self._con.execute(statement, args or []).df()
        with self._con.cursor() as cur:
            cur.execute(statement, args)
            if cur.description is None:
                return pd.DataFrame()
            columns = [d.name for d in cur.description]
            return pd.DataFrame(cur.fetchall(), columns=columns)

    def scalar(self, sql: str, params: Params | None = None) -> Any:
        frame = self.query(sql, params)
        return None if frame.empty else frame.iat[0, 0]

    def table_exists(self, schema: str, table: str) -> bool:
        sql = (
            "select count(*) from information_schema.tables "
            "where table_schema = :schema and table_name = :table"
        )
        return bool(self.scalar(sql, {"schema": schema, "table": table}))

    # -- writing ---------------------------------------------------------
    def execute(self, sql: str, params: Params | None = None) -> None:
        statement, args = self._statement(sql, params)
        if self.kind == "duckdb":
            self._con.execute(statement, args or [])
        else:
            with self._con.cursor() as cur:
                cur.execute(statement, args)

    def ensure_schema(self, schema: str) -> None:
        self.execute(f"create schema if not exists {quote_ident(schema)}")

    def create_table(self, schema: str, table: str, columns: Mapping[str, str]) -> None:
        """Create a table if it is missing, with portable column types; a table an older
        version created gains the columns it lacks (null in its existing rows)."""
        self.ensure_schema(schema)
        target = f"{quote_ident(schema)}.{quote_ident(table)}"
        cols = ", ".join(f"{quote_ident(c)} {t}" for c, t in columns.items())
        self.execute(f"create table if not exists {target} ({cols})")
        present = set(
            self.query(
                "select column_name from information_schema.columns "
                "where table_schema = :schema and table_name = :table",
                {"schema": schema, "table": table},
            )["column_name"]
        )
        for column, sql_type in columns.items():
            if column not in present:
                self.execute(f"alter table {target} add column {quote_ident(column)} {sql_type}")

    def encrypt_password(self, password: str, role: str) -> str:
        """PostgreSQL's SCRAM-SHA-256 verifier of a password, computed by libpq (psycopg)."""
        if self.kind != "postgres":
            raise ValueError("passwords are a PostgreSQL matter; DuckDB has no roles")
        verifier = self._con.pgconn.encrypt_password(
            password.encode(), role.encode(), b"scram-sha-256"
        )
        return verifier.decode("ascii")

    def literal(self, value: str) -> str:
        """A PostgreSQL text literal quoted by psycopg, for statements that take no parameters
        (ALTER ROLE … PASSWORD)."""
        if self.kind != "postgres":
            raise ValueError("literals for utility statements are a PostgreSQL matter")
        from psycopg import sql

        return sql.Literal(value).as_string(self._con)

    def append(self, schema: str, table: str, frame: pd.DataFrame) -> int:
        """Bulk-insert a frame into an existing table, matching columns by name."""
        if frame.empty:
            return 0
        target = f"{quote_ident(schema)}.{quote_ident(table)}"
        columns = ", ".join(quote_ident(c) for c in frame.columns)
        if self.kind == "duckdb":
            self._con.register("_bma_frame", frame)
            try:
                self._con.execute(
                    f"insert into {target} ({columns}) select {columns} from _bma_frame"
                )
            finally:
                self._con.unregister("_bma_frame")
        else:
            buffer = io.StringIO()
            frame.to_csv(buffer, index=False, header=False, na_rep="\\N")
            buffer.seek(0)
            copy_sql = f"copy {target} ({columns}) from stdin with (format csv, null '\\N')"
            with self._con.cursor() as cur, cur.copy(copy_sql) as copy:
                while chunk := buffer.read(1 << 20):
                    copy.write(chunk)
        return len(frame)

    def replace(
        self, schema: str, table: str, frame: pd.DataFrame, columns: Mapping[str, str]
    ) -> int:
        """Drop and recreate a table with the given column types, then load the frame."""
        self.ensure_schema(schema)
        self.execute(f"drop table if exists {quote_ident(schema)}.{quote_ident(table)} cascade")
        self.create_table(schema, table, columns)
        return self.append(schema, table, frame[list(columns)])

    @contextmanager
    def transaction(self) -> Iterator[Warehouse]:
        """All statements inside commit together or not at all."""
        if self.kind == "duckdb":
            self._con.execute("begin transaction")
            try:
                yield self
            except BaseException:
                self._con.execute("rollback")
                raise
            self._con.execute("commit")
        else:
            with self._con.transaction():
                yield self


DEFAULT_LOCK_TIMEOUT_S = 15 * 60
# DuckDB's buffer pool (its default is 80% of RAM). At nationwide scale (2.4 M ledger rows) the
# pool kept ~500 MB of table blocks resident beside the pipeline's frames and the run's peak RSS
# went past 2 GB; loads and batch reads here need little, larger work spills to disk. dbt's
# connection is a separate process building the marts: it gets its own, larger cap.
DEFAULT_DUCKDB_MEMORY_LIMIT = "512MB"
DEFAULT_DBT_DUCKDB_MEMORY_LIMIT = "1GB"
_MEMORY_SIZE = re.compile(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)

# Advisory lock id shared by every writer of a PostgreSQL warehouse.
PG_WRITER_LOCK_KEY = 0x424D41
LOCK_POLL_S = 0.5  # how often a waiting writer retries, and a watched lock is checked


def check_memory_limit(value: str) -> str:
    """`value` when DuckDB reads it as a memory size ('512MB', '1GB', '2GiB'), else a ValueError.

    It is written into a `set memory_limit` statement, so nothing else may pass.
    """
    if not _MEMORY_SIZE.fullmatch(value.strip()):
        raise ValueError(
            f"memory limit {value!r} is not a size DuckDB reads: write it like 512MB, 1GB or 2GiB"
        )
    return value.strip()


class WarehouseBusy(TimeoutError):
    """Another run kept the warehouse for longer than the lock timeout."""


class WriterLockLost(ConnectionError):
    """The PostgreSQL session holding the writer lock ended while a step needed the lock.

    A ConnectionError, so the step is retried like any lost connection: the retry takes the
    lock again before it writes.
    """


@dataclass(frozen=True)
class WriterLockHolder:
    """The PostgreSQL session holding the writer lock, as another session can recognise it.

    A backend pid alone may be reused after the session ends; with its start time it names
    one session. dbt checks it in each model's transaction (macro `assert_writer_lock_held`).
    """

    key: int
    backend_pid: int
    backend_start: str  # UTC, 'YYYY-MM-DDTHH:MM:SS.ffffff'

    def as_dbt_var(self) -> dict[str, Any]:
        return {"key": self.key, "pid": self.backend_pid, "backend_start": self.backend_start}


class WriterLock:
    """A held writer lock.

    On DuckDB it is an flock on `<file>.lock`, which lasts as long as this process keeps the
    file open: it cannot be lost, so the checks here do nothing. PostgreSQL's advisory lock
    lives in a server session that can end under us (`_PostgresWriterLock`).
    """

    holder: WriterLockHolder | None = None

    def ensure_held(self) -> None:
        """Raise `WriterLockLost` unless the lock is still held."""

    @contextmanager
    def watch(self, on_lost: Callable[[], None]) -> Iterator[None]:
        """Call `on_lost` as soon as the lock is lost while the block runs."""
        yield

    def create_schemas(self, names: Iterable[str]) -> None:
        """Create missing schemas under the lock (dbt creates its schemas before any model's
        own lock check runs; on DuckDB the file lock already covers it)."""

    def session(self) -> Any:
        """The PostgreSQL session holding the lock; None on DuckDB (the file lock's holder is
        this process)."""
        return None


_HOLDER_SQL = (
    "select pid, to_char(backend_start at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') "
    "from pg_stat_activity where pid = pg_backend_pid()"
)
_HELD_SQL = (
    "select count(*) from pg_locks where locktype = 'advisory' and granted "
    "and pid = pg_backend_pid() and objsubid = 1 "
    "and (classid::bigint << 32) | objid::bigint = %s::bigint"
)


class _PostgresWriterLock(WriterLock):
    """The advisory lock held by a side session while another process (dbt) writes."""

    def __init__(self, con: Any, location: WarehouseLocation, holder: WriterLockHolder) -> None:
        self._con = con
        self._location = location
        self.holder = holder
        self.lost = False

    def is_held(self) -> bool:
        import psycopg

        try:
            row = self._con.execute(_HELD_SQL, [self.holder.key]).fetchone()
        except psycopg.Error:
            return False  # the session is gone, and its lock with it
        return bool(row and row[0])

    def session(self) -> Any:
        return self._con

    def create_schemas(self, names: Iterable[str]) -> None:
        import psycopg
        from psycopg import sql

        self.ensure_held()
        try:
            with self._con.transaction():
                self.ensure_held()  # on the session that commits the schemas
                for name in sorted(set(names)):
                    self._con.execute(
                        sql.SQL("create schema if not exists {}").format(sql.Identifier(name))
                    )
        except psycopg.Error:
            self.ensure_held()  # a session that ended is the reason to report
            raise

    def ensure_held(self) -> None:
        if self.lost or not self.is_held():
            self.lost = True
            raise WriterLockLost(
                f"writer lock on {self._location.display} lost: the session holding it "
                f"(backend pid {self.holder.backend_pid}) ended, so the step stopped writing; "
                "it is retried under a new lock"
            )

    @contextmanager
    def watch(self, on_lost: Callable[[], None]) -> Iterator[None]:
        stop = threading.Event()

        def poll() -> None:
            while not stop.wait(LOCK_POLL_S):
                if not self.is_held():
                    self.lost = True
                    on_lost()
                    return

        watchdog = threading.Thread(target=poll, name="writer-lock-watchdog", daemon=True)
        watchdog.start()
        try:
            yield
        finally:
            stop.set()
            watchdog.join()


def _take_pg_lock(con: Any, location: WarehouseLocation, timeout_s: float) -> WriterLockHolder:
    """Take the session advisory lock on `con`, waiting up to `timeout_s` for other writers."""
    deadline = time.monotonic() + timeout_s
    while not con.execute("select pg_try_advisory_lock(%s)", [PG_WRITER_LOCK_KEY]).fetchone()[0]:
        if time.monotonic() > deadline:
            raise WarehouseBusy(f"warehouse {location.display} busy for {timeout_s:.0f}s")
        time.sleep(LOCK_POLL_S)
    pid, started = con.execute(_HOLDER_SQL).fetchone()
    return WriterLockHolder(PG_WRITER_LOCK_KEY, int(pid), str(started))


def _release_pg_lock(con: Any) -> None:
    import psycopg

    try:
        con.execute("select pg_advisory_unlock(%s)", [PG_WRITER_LOCK_KEY])
    except psycopg.Error:
        pass  # the session ended, which released the lock; the step reports what it lost


def _pg_url(location: WarehouseLocation) -> str:
    return location.target.replace("postgresql+psycopg://", "postgresql://")


@contextmanager
def warehouse_lock(
    location: WarehouseLocation,
    shared: bool = False,
    timeout_s: float = DEFAULT_LOCK_TIMEOUT_S,
) -> Iterator[WriterLock]:
    """One writer at a time, across processes: runs wait their turn instead of failing.

    For a writer in another process (dbt). DuckDB allows one read-write process or many
    read-only ones per file, so writers take an exclusive lock on `<file>.lock` and readers
    a shared one. PostgreSQL writers take a session advisory lock on a side connection
    (readers need none there); that session can end under the writer, so the caller checks
    it (`ensure_held`) and watches it while the other process writes (`watch`). Python writes
    go through `connect()`, which holds the lock on the writing connection itself.
    """
    if location.kind == "postgres":
        if shared:
            yield WriterLock()
            return
        import psycopg

        with psycopg.connect(_pg_url(location), autocommit=True) as con:
            holder = _take_pg_lock(con, location, timeout_s)
            try:
                yield _PostgresWriterLock(con, location, holder)
            finally:
                _release_pg_lock(con)
        return
    lock_path = Path(location.target + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(handle, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WarehouseBusy(
                        f"warehouse {location.display} busy for {timeout_s:.0f}s "
                        f"(lock file {lock_path})"
                    ) from None
                time.sleep(0.2)
        try:
            yield WriterLock()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def connect_holding(
    lock: WriterLock,
    location: WarehouseLocation,
    memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT,
) -> Iterator[Warehouse]:
    """A connection for this process while it holds `lock` (from `warehouse_lock`), which
    `connect()` would wait for: the DuckDB file itself (the file lock is this process's), or
    on PostgreSQL the session holding the advisory lock, so its writes are the lock holder's.
    Close it before another process (dbt) opens a DuckDB file."""
    lock.ensure_held()
    if location.kind == "postgres":
        session = lock.session()
        if session is None:
            raise ValueError("a reader's lock holds no session to write with")
        yield Warehouse(location, session)
        return
    with _duckdb(location, check_memory_limit(memory_limit)) as wh:
        yield wh


@contextmanager
def _duckdb(
    location: WarehouseLocation, limit: str, read_only: bool = False
) -> Iterator[Warehouse]:
    """The DuckDB file opened with its buffer pool capped at `limit`, closed on exit (the
    caller holds the file lock)."""
    import duckdb

    con = duckdb.connect(location.target, read_only=read_only)
    try:
        con.execute(f"set memory_limit = '{limit}'")
        yield Warehouse(location, con)
    finally:
        con.close()


@contextmanager
def connect(
    path_or_url: str | Path,
    read_only: bool = False,
    memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT,
    lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S,
) -> Iterator[Warehouse]:
    """Open the warehouse; writers wait for each other (see `warehouse_lock`), at most
    `lock_timeout_s` (then `WarehouseBusy`).

    On PostgreSQL a writer holds the advisory lock on the connection it writes with: if that
    session ends, the lock goes with it and so does every later write, so nothing is ever
    written without the lock. `memory_limit` caps DuckDB's buffer pool of this connection.
    """
    location = WarehouseLocation.parse(path_or_url)
    if location.kind == "postgres":
        import psycopg

        with psycopg.connect(_pg_url(location), autocommit=True) as con:
            if read_only:
                con.execute("set session characteristics as transaction read only")
                yield Warehouse(location, con)
                return
            _take_pg_lock(con, location, lock_timeout_s)
            try:
                yield Warehouse(location, con)
            finally:
                _release_pg_lock(con)
        return
    limit = check_memory_limit(memory_limit)
    with warehouse_lock(location, shared=read_only, timeout_s=lock_timeout_s):
        Path(location.target).parent.mkdir(parents=True, exist_ok=True)
        if read_only and not Path(location.target).exists():
            raise FileNotFoundError(f"no warehouse at {location.target}: run the pipeline first")
        with _duckdb(location, limit, read_only) as wh:
            yield wh
