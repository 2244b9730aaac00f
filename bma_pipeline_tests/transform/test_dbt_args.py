import json
import os

from bma_pipeline.defs.resources import PipelineSettings, WarehouseResource
from bma_pipeline.defs.transform.assets import (
    RUN_VARS_ENV,
    dbt_build_args,
    dbt_build_invocation,
    dbt_run_env,
)
from bma_pipeline.defs.transform.project import dbt_project
from bma_pipeline.defs.transform.resource import VENV_DBT_EXECUTABLE, BmaDbtCliResource
from bma_pipeline.warehouse import WriterLockHolder

SETTINGS = PipelineSettings(
    landing_dir="l", reports_dir="r", as_of="2023-04-20T09:00:00", deadline_days=12
)


def test_a_partition_reaches_dbt_as_run_vars_in_the_environment():
    env = dbt_run_env(SETTINGS, "2566-P3")
    assert json.loads(env[RUN_VARS_ENV]) == {
        "as_of": "2023-04-20T09:00:00",
        "deadline_days": 12,
        "period_key": "2566-P3",
    }
    # No --vars on the command line: they would make dbt re-parse the whole project.
    assert dbt_build_args() == ["build"]


def test_full_refresh_rebuilds_every_period():
    assert (
        json.loads(dbt_run_env(SETTINGS, "2566-P3", full_refresh=True)[RUN_VARS_ENV])["period_key"]
        is None
    )
    assert dbt_build_args(full_refresh=True) == ["build", "--full-refresh"]


def test_unpartitioned_run_has_no_period():
    assert json.loads(dbt_run_env(SETTINGS, None)[RUN_VARS_ENV])["period_key"] is None


def test_a_partition_becomes_one_dbt_build_with_its_profile_and_vars(tmp_path):
    warehouse = WarehouseResource(url=str(tmp_path / "w.duckdb"), dbt_duckdb_memory_limit="768MB")
    invocation = dbt_build_invocation(
        SETTINGS, warehouse, "2566-P3", extra_args=("--indirect-selection", "cautious")
    )
    # No --vars and no profile flags: dbt would re-parse the project for every new as_of.
    assert invocation.args == ["build", "--indirect-selection", "cautious"]
    assert invocation.env == {
        "DBT_LOG_LEVEL_FILE": "info",
        "BMA_DBT_TARGET": "duckdb",
        "BMA_DUCKDB_PATH": str((tmp_path / "w.duckdb").resolve()),
        "BMA_DBT_DUCKDB_MEMORY_LIMIT": "768MB",
        "BMA_DBT_RUN_VARS": (
            '{"as_of": "2023-04-20T09:00:00", "deadline_days": 12, "period_key": "2566-P3"}'
        ),
    }


def test_a_full_refresh_on_postgres_rebuilds_every_period_under_the_named_lock_holder():
    warehouse = WarehouseResource(url="postgresql://bma:s%40cret@db.internal:6543/bma_prod")
    holder = WriterLockHolder(0x424D41, 4242, "2023-04-20T02:00:00.000001")
    invocation = dbt_build_invocation(
        SETTINGS, warehouse, "2566-P3", full_refresh=True, writer_lock=holder
    )
    assert invocation.args == ["build", "--full-refresh"]
    assert invocation.env == {
        "DBT_LOG_LEVEL_FILE": "info",
        **warehouse.location.dbt_env(),  # the profile's variables: test_warehouse.py
        "BMA_DBT_DUCKDB_MEMORY_LIMIT": "1GB",
        "BMA_DBT_RUN_VARS": (
            '{"as_of": "2023-04-20T09:00:00", "deadline_days": 12, "period_key": null, '
            '"writer_lock": {"key": 4345153, "pid": 4242, '
            '"backend_start": "2023-04-20T02:00:00.000001"}}'
        ),
    }


def test_dbt_gets_the_invocation_environment_and_this_process_keeps_its_own(tmp_path):
    dbt = BmaDbtCliResource(
        project_dir=dbt_project,
        profiles_dir=dbt_project.profiles_dir,
        dbt_executable=VENV_DBT_EXECUTABLE,
    )
    warehouse = tmp_path / "seen_by_dbt.duckdb"
    before = dict(os.environ)
    invocation = dbt.cli(
        [
            "show",
            "--inline",
            "select '{{ run_var(\"as_of\") }}' as as_of, '{{ target.path }}' as path",
            "--output",
            "json",
        ],
        env={
            "BMA_DUCKDB_PATH": str(warehouse),
            RUN_VARS_ENV: json.dumps({"as_of": "2023-01-02T03:04:05"}),
        },
        target_path=tmp_path / "target",
    )
    previews = [
        json.loads(event.raw_event["data"]["preview"])
        for event in invocation.stream_raw_events()
        if "preview" in event.raw_event.get("data", {})
    ]
    assert previews == [[{"as_of": "2023-01-02T03:04:05", "path": str(warehouse)}]]
    assert dict(os.environ) == before
