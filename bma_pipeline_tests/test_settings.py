"""Settings are passed, never read from the environment deep inside: their defaults agree.

The deadline default has one definition (bma_pipeline.fiscal) that dbt_project.yml repeats;
the DuckDB memory caps and GX's analytics are settings of the objects that use them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from bma_pipeline.cli import build_parser
from bma_pipeline.defs.resources import PipelineSettings, WarehouseResource
from bma_pipeline.fiscal import DEFAULT_DEADLINE_DAYS
from bma_pipeline.warehouse import connect

DBT_PROJECT = Path(__file__).resolve().parents[1] / "dbt_project" / "dbt_project.yml"


def test_the_deadline_default_is_the_same_for_dbt_the_settings_and_the_command():
    dbt_vars = yaml.safe_load(DBT_PROJECT.read_text())["vars"]
    assert dbt_vars["deadline_days"] == DEFAULT_DEADLINE_DAYS == 10
    assert PipelineSettings(landing_dir="l", reports_dir="r").deadline_days == 10
    args = build_parser().parse_args(["run", "--landing", "l", "--warehouse", "w"])
    assert args.deadline_days == 10


def test_the_pipelines_duckdb_connections_take_their_memory_cap_from_the_resource(tmp_path):
    path = str(tmp_path / "w.duckdb")
    with connect(path) as wh:  # the default: 512MB
        assert wh.scalar("select current_setting('memory_limit')") == "488.2 MiB"
    with WarehouseResource(url=path, duckdb_memory_limit="300MB").connect() as wh:
        assert wh.scalar("select current_setting('memory_limit')") == "286.1 MiB"
    assert WarehouseResource(url=path).dbt_duckdb_memory_limit == "1GB"


def test_a_memory_cap_duckdb_cannot_read_is_refused_before_it_reaches_sql():
    with pytest.raises(ValueError, match="is not a size DuckDB reads"):
        WarehouseResource(url="w.duckdb", dbt_duckdb_memory_limit="1GB'; drop table x; --")


def test_great_expectations_runs_with_analytics_off_in_its_own_config():
    from bma_pipeline.publish.gate import gx_context

    before = dict(os.environ)
    context = gx_context()
    assert context.config.analytics_enabled is False
    assert context.variables.progress_bars.globally is False
    assert dict(os.environ) == before  # nothing set for the whole process
