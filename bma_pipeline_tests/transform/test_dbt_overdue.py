"""A commitment that turns overdue between two daily runs shows in the second run's
`commitments_overdue` check (the daily compliance job runs it): the golden fixture's marts
rebuilt as of 15 and 16 January 2023, the day DDS-02 (due 15 January) falls overdue."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from bma_pipeline.defs.jobs import compliance_refresh_job
from bma_pipeline.defs.minutes.checks import commitments_overdue
from bma_pipeline.defs.resources import WarehouseResource

from .conftest import DBT_EXECUTABLE, DBT_PROJECT_DIR, REPO_ROOT, DbtBuild


def _rebuild_as_of(warehouse, as_of: str, work_dir) -> None:
    env = {**os.environ, "BMA_DBT_TARGET": "duckdb", "BMA_DUCKDB_PATH": str(warehouse),
           "DO_NOT_TRACK": "1"}  # fmt: skip
    args = [str(DBT_EXECUTABLE), "run", "--select", "+mart_commitments",
            "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target", "duckdb", "--vars", json.dumps({"as_of": as_of}),
            "--target-path", str(work_dir / "target"),
            "--log-path", str(work_dir / "logs")]  # fmt: skip
    done = subprocess.run(args, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:]


@pytest.fixture(scope="module")
def daily_runs(duckdb_build: DbtBuild, tmp_path_factory) -> dict[str, object]:
    results = {}
    for as_of in ("2023-01-15T07:00:00", "2023-01-16T07:00:00"):
        work = tmp_path_factory.mktemp("daily")
        warehouse = work / "warehouse.duckdb"
        shutil.copy(duckdb_build.location, warehouse)
        _rebuild_as_of(warehouse, as_of, work)
        results[as_of[:10]] = commitments_overdue(warehouse=WarehouseResource(url=str(warehouse)))
    return results


def test_the_day_before_only_the_older_commitment_is_overdue(daily_runs):
    # ENV-01 was due 31 Dec; its "done" comes with ENV's P2 minutes, received 20 Feb.
    check = daily_runs["2023-01-15"]
    assert not check.passed and check.severity.value == "WARN"
    assert check.metadata["n_overdue"].value == 1
    assert check.metadata["n_new_overdue"].value == 0


def test_a_commitment_turned_overdue_since_the_day_before_is_named_as_new(daily_runs):
    check = daily_runs["2023-01-16"]
    assert check.metadata["n_overdue"].value == 2
    assert check.metadata["n_new_overdue"].value == 1
    assert check.metadata["new_overdue"].value == "DDS/DDS-02"
    row = "| DDS | DDS-02 | 1002 | P001 | 2023-01-15 | 1 | yes |"
    assert row in check.metadata["overdue"].value


def test_the_daily_compliance_job_runs_the_check():
    from bma_pipeline.definitions import defs

    checks = compliance_refresh_job.selection.resolve_checks(defs.resolve_asset_graph())
    assert any(key.name == "commitments_overdue" for key in checks)
