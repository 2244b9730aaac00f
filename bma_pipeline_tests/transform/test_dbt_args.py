import json

from bma_pipeline.defs.resources import PipelineSettings
from bma_pipeline.defs.transform.assets import dbt_build_args

SETTINGS = PipelineSettings(
    landing_dir="l", reports_dir="r", as_of="2023-04-20T09:00:00", deadline_days=12
)


def test_a_partition_reaches_dbt_as_vars():
    args = dbt_build_args(SETTINGS, "2566-P3")
    assert args[:2] == ["build", "--vars"]
    assert json.loads(args[2]) == {
        "as_of": "2023-04-20T09:00:00",
        "deadline_days": 12,
        "period_key": "2566-P3",
    }
    assert len(args) == 3


def test_full_refresh_rebuilds_every_period():
    args = dbt_build_args(SETTINGS, "2566-P3", full_refresh=True)
    assert json.loads(args[2])["period_key"] is None
    assert args[3:] == ["--full-refresh"]


def test_unpartitioned_run_has_no_period():
    assert json.loads(dbt_build_args(SETTINGS, None)[2])["period_key"] is None
