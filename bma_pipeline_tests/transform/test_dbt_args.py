import json

from bma_pipeline.defs.resources import PipelineSettings
from bma_pipeline.defs.transform.assets import RUN_VARS_ENV, dbt_build_args, dbt_run_env

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
