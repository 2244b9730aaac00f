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
import time
from collections.abc import Iterator, Mapping
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
        return cls("duckdb", str(Path(text).expanduser().resolve()))

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
        """Create a table if it is missing, with portable column types."""
        self.ensure_schema(schema)
        cols = ", ".join(f"{quote_ident(c)} {t}" for c, t in columns.items())
        self.execute(
            f"create table if not exists {quote_ident(schema)}.{quote_ident(table)} ({cols})"
        )

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
_PG_WRITER_LOCK = 0x424D41  # advisory lock id shared by every writer of the warehouse


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


@contextmanager
def warehouse_lock(
    location: WarehouseLocation,
    shared: bool = False,
    timeout_s: float = DEFAULT_LOCK_TIMEOUT_S,
) -> Iterator[None]:
    """One writer at a time, across processes: runs wait their turn instead of failing.

    DuckDB allows one read-write process or many read-only ones per file, so writers
    take an exclusive lock on `<file>.lock` and readers a shared one. PostgreSQL
    writers take a session advisory lock (readers need none there).
    """
    if location.kind == "postgres":
        if shared:
            yield
            return
        import psycopg

        url = location.target.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url, autocommit=True) as con:
            con.execute(f"set lock_timeout = '{int(timeout_s * 1000)}ms'")
            deadline = time.monotonic() + timeout_s
            while not con.execute("select pg_try_advisory_lock(%s)", [_PG_WRITER_LOCK]).fetchone()[
                0
            ]:
                if time.monotonic() > deadline:
                    raise WarehouseBusy(f"warehouse {location.display} busy for {timeout_s:.0f}s")
                time.sleep(0.5)
            try:
                yield
            finally:
                con.execute("select pg_advisory_unlock(%s)", [_PG_WRITER_LOCK])
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
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def connect(
    path_or_url: str | Path,
    read_only: bool = False,
    memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT,
) -> Iterator[Warehouse]:
    """Open the warehouse; writers wait for each other (see `warehouse_lock`).

    `memory_limit` caps DuckDB's buffer pool of this connection.
    """
    location = WarehouseLocation.parse(path_or_url)
    with warehouse_lock(location, shared=read_only):
        if location.kind == "duckdb":
            import duckdb

            Path(location.target).parent.mkdir(parents=True, exist_ok=True)
            if read_only and not Path(location.target).exists():
                raise FileNotFoundError(
                    f"no warehouse at {location.target}: run the pipeline first"
                )
            con = duckdb.connect(location.target, read_only=read_only)
            try:
                con.execute(f"set memory_limit = '{check_memory_limit(memory_limit)}'")
                yield Warehouse(location, con)
            finally:
                con.close()
        else:
            import psycopg

            url = location.target.replace("postgresql+psycopg://", "postgresql://")
            with psycopg.connect(url, autocommit=True) as con:
                if read_only:
                    con.execute("set session characteristics as transaction read only")
                yield Warehouse(location, con)
