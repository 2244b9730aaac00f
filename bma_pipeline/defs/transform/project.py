"""The dbt project, built once. Its manifest is prepared by `make setup`
(`dagster-dbt project prepare-and-package`), never parsed at import time."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parents[3] / "dbt_project"


@cache
def bma_dbt_project() -> DbtProject:
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


dbt_project = bma_dbt_project()
