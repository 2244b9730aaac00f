"""Fixtures for the dbt transform tests: load the hand-made warehouse, run `dbt build`, read marts.

What belongs here: loading golden_fixture.py into a fresh DuckDB file or a fresh PostgreSQL
database, running dbt in a subprocess against it, and reading the marts back as plain rows.
What does not: expected figures (test_dbt_golden.py).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bma_pipeline.publish.publish import published_marts

from . import golden_fixture

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")
PG_HOST = os.environ.get("BMA_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("BMA_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("BMA_TEST_PG_USER", "postgres")
PG_PASSWORD = os.environ.get("BMA_TEST_PG_PASSWORD", "")
PG_ADMIN_DBNAME = os.environ.get("BMA_TEST_PG_DBNAME", "test")

MARTS = list(published_marts())  # every mart is published to `bi`


@dataclass
class DbtBuild:
    """One finished `dbt build` over the golden fixture."""

    marts: dict[str, list[dict]]
    columns: dict[str, list[str]]  # schema.table → column names, every dbt schema
    result: subprocess.CompletedProcess
    run_results: dict
    location: str  # the DuckDB file, or the PostgreSQL database name
    work_dir: Path  # target/ (manifest.json, run_results.json) and logs/


def _ddl(schema: str, table: str, columns: dict[str, str]) -> str:
    cols = ", ".join(f"{name} {sql_type}" for name, sql_type in columns.items())
    return f"create table {schema}.{table} ({cols})"


Tables = dict[tuple[str, str], tuple[dict[str, str], list[tuple]]]


def _load(con, mark: str, tables: Tables) -> None:
    """Create and fill `tables` (schema.table → columns, rows) on a DB-API connection whose
    driver takes `mark` as its positional placeholder."""
    cur = con.cursor()
    for schema in dict.fromkeys(schema for schema, _ in tables):
        cur.execute(f"create schema if not exists {schema}")
    for (schema, table), (columns, rows) in tables.items():
        cur.execute(_ddl(schema, table, columns))
        if rows:
            marks = ", ".join(mark for _ in columns)
            cur.executemany(f"insert into {schema}.{table} values ({marks})", rows)


def load_fixture_duckdb(path: Path, tables: Tables = golden_fixture.TABLES) -> None:
    import duckdb

    with duckdb.connect(str(path)) as con:
        _load(con, "?", tables)


def load_fixture_postgres(dbname: str, tables: Tables = golden_fixture.TABLES) -> None:
    import psycopg

    with psycopg.connect(**pg_params(dbname)) as con:
        _load(con, "%s", tables)


def pg_params(dbname: str) -> dict:
    return {
        "host": PG_HOST,
        "port": PG_PORT,
        "user": PG_USER,
        "password": PG_PASSWORD or None,
        "dbname": dbname,
        "connect_timeout": 5,
    }


def run_dbt_build(
    target: str, work_dir: Path, env_extra: dict[str, str]
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        **env_extra,
        "BMA_DBT_TARGET": target,
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    args = [
        str(DBT_EXECUTABLE),
        "build",
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target",
        target,
        "--vars",
        json.dumps({"as_of": golden_fixture.AS_OF}),
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
        "--no-partial-parse",
    ]
    return subprocess.run(args, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)


def _finished(result: subprocess.CompletedProcess, work_dir: Path) -> dict:
    run_results_path = work_dir / "target" / "run_results.json"
    if result.returncode != 0:
        pytest.fail(
            f"dbt build failed ({result.returncode}):\n"
            f"{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
        )
    return json.loads(run_results_path.read_text())


def _rows(cursor, query: str) -> list[dict]:
    cursor.execute(query)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


_COLUMNS_QUERY = """
    select table_schema, table_name, column_name
    from information_schema.columns
    where table_schema in ('staging', 'intermediate', 'marts')
    order by table_schema, table_name, ordinal_position
"""


def _read(cursor) -> tuple[dict[str, list[dict]], dict[str, list[str]]]:
    marts = {name: _rows(cursor, f"select * from marts.{name}") for name in MARTS}
    columns: dict[str, list[str]] = {}
    for row in _rows(cursor, _COLUMNS_QUERY):
        columns.setdefault(f"{row['table_schema']}.{row['table_name']}", []).append(
            row["column_name"]
        )
    return marts, columns


@pytest.fixture(scope="session")
def duckdb_build(tmp_path_factory) -> DbtBuild:
    import duckdb

    work_dir = tmp_path_factory.mktemp("dbt_duckdb")
    warehouse = work_dir / "warehouse.duckdb"
    load_fixture_duckdb(warehouse)  # the connection is closed before dbt takes the file lock
    result = run_dbt_build("duckdb", work_dir, {"BMA_DUCKDB_PATH": str(warehouse)})
    run_results = _finished(result, work_dir)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        marts, columns = _read(con.cursor())
    return DbtBuild(marts, columns, result, run_results, str(warehouse), work_dir)


def postgres_reachable() -> bool:
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh database bma_test_<random> on the test server, dropped afterwards."""
    if not postgres_reachable():
        pytest.skip(f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT}")
    import psycopg

    dbname = f"bma_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(**pg_params(PG_ADMIN_DBNAME), autocommit=True)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL at {PG_HOST}:{PG_PORT} refused a connection: {error}")
    with admin:
        admin.execute(f"create database {dbname}")
        try:
            yield dbname
        finally:
            admin.execute(f"drop database if exists {dbname} with (force)")


@pytest.fixture(scope="session")
def postgres_build(postgres_database, tmp_path_factory) -> DbtBuild:
    import psycopg

    work_dir = tmp_path_factory.mktemp("dbt_postgres")
    load_fixture_postgres(postgres_database)
    env = {
        "BMA_PG_HOST": PG_HOST,
        "BMA_PG_PORT": str(PG_PORT),
        "BMA_PG_USER": PG_USER,
        "BMA_PG_PASSWORD": PG_PASSWORD,
        "BMA_PG_DBNAME": postgres_database,
    }
    result = run_dbt_build("postgres", work_dir, env)
    run_results = _finished(result, work_dir)
    with psycopg.connect(**pg_params(postgres_database)) as con:
        marts, columns = _read(con.cursor())
    return DbtBuild(marts, columns, result, run_results, postgres_database, work_dir)
