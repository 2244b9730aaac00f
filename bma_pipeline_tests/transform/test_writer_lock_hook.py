"""dbt writes on PostgreSQL only while the run's writer lock is held (macros/writer_lock.sql).

Every model checks, in its own transaction, that the session named in the run var
`writer_lock` still holds the warehouse's advisory lock; these tests hand dbt a live holder
and one whose session has ended.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import pytest

from bma_pipeline.defs.transform.assets import RUN_VARS_ENV
from bma_pipeline.warehouse import WarehouseLocation, WriterLockHolder, warehouse_lock

from .conftest import (
    DBT_EXECUTABLE,
    DBT_PROJECT_DIR,
    REPO_ROOT,
    golden_fixture,
    load_fixture_postgres,
)

pytestmark = pytest.mark.postgres

MODEL = "stg_reference__units"


def _dbt_run(url: str, holder: WriterLockHolder, work: Path) -> subprocess.CompletedProcess:
    run_vars = {"as_of": golden_fixture.AS_OF, "writer_lock": holder.as_dbt_var()}
    env = {
        **os.environ,
        **WarehouseLocation.parse(url).dbt_env(),
        RUN_VARS_ENV: json.dumps(run_vars),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    args = [str(DBT_EXECUTABLE), "run", "--select", MODEL, "--project-dir", str(DBT_PROJECT_DIR)]
    args += ["--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(work / "target")]
    args += ["--log-path", str(work / "logs")]
    return subprocess.run(args, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)


def _view_exists(url: str) -> bool:
    with psycopg.connect(url) as con:
        return con.execute(f"select to_regclass('staging.{MODEL}') is not null").fetchone()[0]


@pytest.fixture
def warehouse_url(pg_database_url: str) -> str:
    load_fixture_postgres(urlparse(pg_database_url).path.lstrip("/"))
    return pg_database_url


def test_a_model_is_written_while_the_named_session_holds_the_lock(warehouse_url, tmp_path):
    with warehouse_lock(WarehouseLocation.parse(warehouse_url)) as lock:
        result = _dbt_run(warehouse_url, lock.holder, tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    assert _view_exists(warehouse_url)


def test_a_model_is_not_written_once_the_holding_session_has_ended(warehouse_url, tmp_path):
    with warehouse_lock(WarehouseLocation.parse(warehouse_url)) as lock:
        holder = lock.holder
    # The session that held the lock is gone (its lock with it); dbt is told it is the holder.
    result = _dbt_run(warehouse_url, holder, tmp_path)
    assert result.returncode != 0
    assert f"writer lock lost: the session holding it (backend pid {holder.backend_pid})" in (
        result.stdout
    )
    assert not _view_exists(warehouse_url)
