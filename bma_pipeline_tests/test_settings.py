"""Settings are passed, never read from the environment deep inside: their defaults agree.

The deadline default has one definition (bma_pipeline.fiscal) that dbt_project.yml repeats.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bma_pipeline.cli import build_parser
from bma_pipeline.defs.resources import PipelineSettings
from bma_pipeline.fiscal import DEFAULT_DEADLINE_DAYS

DBT_PROJECT = Path(__file__).resolve().parents[1] / "dbt_project" / "dbt_project.yml"


def test_the_deadline_default_is_the_same_for_dbt_the_settings_and_the_command():
    dbt_vars = yaml.safe_load(DBT_PROJECT.read_text())["vars"]
    assert dbt_vars["deadline_days"] == DEFAULT_DEADLINE_DAYS == 10
    assert PipelineSettings(landing_dir="l", reports_dir="r").deadline_days == 10
    args = build_parser().parse_args(["run", "--landing", "l", "--warehouse", "w"])
    assert args.deadline_days == 10
