"""The dbt project as Dagster assets: one asset per model, dbt tests as asset checks."""

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from bma_pipeline.defs.resources import WAREHOUSE_POOL, PipelineSettings, WarehouseResource
from bma_pipeline.defs.retries import retry_on_transient_errors
from bma_pipeline.defs.transform.project import dbt_project
from bma_pipeline.defs.transform.translator import BmaDbtTranslator
from bma_pipeline.warehouse import warehouse_lock


def dbt_vars(settings: PipelineSettings) -> dict[str, Any]:
    """The run's settings as dbt `--vars` (see dbt_project.yml for each var's meaning)."""
    return {
        "as_of": settings.as_of_time().isoformat(timespec="seconds"),
        "deadline_days": settings.deadline_days,
    }


def dbt_build_args(settings: PipelineSettings) -> list[str]:
    return ["build", "--vars", json.dumps(dbt_vars(settings), sort_keys=True)]


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    """dbt runs as a subprocess and reads its profile from these variables."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=BmaDbtTranslator(),
    pool=WAREHOUSE_POOL,
)
def bma_dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    settings: PipelineSettings,
) -> Iterator[Any]:
    """`dbt build` of the selected models against the configured warehouse."""
    # dbt writes the warehouse from a subprocess: hold the writer lock while it runs.
    with (
        retry_on_transient_errors(context),
        warehouse_lock(warehouse.location),
        _environment(warehouse.location.dbt_env()),
    ):
        yield from dbt.cli(dbt_build_args(settings), context=context).stream()
