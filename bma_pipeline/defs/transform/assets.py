"""The dbt project as Dagster assets: one asset per model, dbt tests as asset checks."""

import functools
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import dbt_assets

from bma_pipeline.defs.partitions import period_partitions
from bma_pipeline.defs.publish.assets import PUBLISHED
from bma_pipeline.defs.resources import WAREHOUSE_POOL, PipelineSettings, WarehouseResource
from bma_pipeline.defs.retries import retry_on_transient_errors
from bma_pipeline.defs.transform.project import dbt_project
from bma_pipeline.defs.transform.resource import BmaDbtCliResource
from bma_pipeline.defs.transform.translator import BmaDbtTranslator
from bma_pipeline.publish.gate import prefetch_gx
from bma_pipeline.warehouse import WarehouseLocation, WriterLockHolder, warehouse_lock


class DbtRunConfig(dg.Config):
    """Launchpad options for the dbt models."""

    full_refresh: bool = False  # rebuild every period instead of the run's partition


def dbt_vars(settings: PipelineSettings, period_key: str | None) -> dict[str, Any]:
    """The run's settings as dbt vars (see dbt_project.yml for each var's meaning).

    `period_key` is the partition ('2566-P2'); null means every period.
    """
    return {
        "as_of": settings.as_of_time().isoformat(timespec="seconds"),
        "deadline_days": settings.deadline_days,
        "period_key": period_key,
    }


# The run's vars reach dbt in this environment variable, read by the `run_var` macro, rather
# than as `--vars`: dbt re-parses the whole project when --vars differ from the prepared
# manifest's (every run has a new as_of), ~3–5 s per invocation here; the environment keeps
# partial parsing valid. `dbt build --vars ...` by hand still works (the macro falls back).
RUN_VARS_ENV = "BMA_DBT_RUN_VARS"
# dbt's own log file (target/<invocation>/dbt.log) at info, not debug: debug writes every
# statement, ~25% of a full build's time here (py-spy); the run log keeps dbt's info output.
DBT_FILE_LOG_ENV = {"DBT_LOG_LEVEL_FILE": "info"}
# DuckDB's buffer pool in dbt's process, read by dbt_project/profiles.yml.
DBT_MEMORY_LIMIT_ENV = "BMA_DBT_DUCKDB_MEMORY_LIMIT"


def dbt_run_env(
    settings: PipelineSettings,
    period_key: str | None,
    full_refresh: bool = False,
    writer_lock: WriterLockHolder | None = None,
) -> dict[str, str]:
    """The environment that gives dbt the run's vars, for one period or all (full refresh)."""
    run_vars = dbt_vars(settings, None if full_refresh else period_key)
    if writer_lock is not None:
        run_vars["writer_lock"] = writer_lock.as_dbt_var()
    return {RUN_VARS_ENV: json.dumps(run_vars)}


def dbt_build_args(full_refresh: bool = False) -> list[str]:
    """`dbt build`, rebuilding every period from scratch on a full refresh."""
    return ["build", "--full-refresh"] if full_refresh else ["build"]


@dataclass(frozen=True)
class DbtInvocation:
    """One `dbt build`: its arguments and the variables added to its environment."""

    args: list[str]
    env: dict[str, str]


def dbt_build_invocation(
    settings: PipelineSettings,
    warehouse: WarehouseResource,
    period_key: str | None,
    full_refresh: bool = False,
    writer_lock: WriterLockHolder | None = None,
    extra_args: Sequence[str] = (),
) -> DbtInvocation:
    """The run's partition and settings as the arguments and environment of one `dbt build`.

    Everything dbt needs travels with the invocation, never through this process's
    environment: the profile (which warehouse, DuckDB's memory cap in dbt), and the run's
    vars (`RUN_VARS_ENV`) — the period (none on a full refresh, which rebuilds every
    period), as_of, deadline_days and, on PostgreSQL, the session holding the writer lock,
    which each model checks before it commits (macro `assert_writer_lock_held`).
    """
    return DbtInvocation(
        args=[*dbt_build_args(full_refresh), *extra_args],
        env={
            **DBT_FILE_LOG_ENV,
            **warehouse.location.dbt_env(),
            DBT_MEMORY_LIMIT_ENV: warehouse.dbt_duckdb_memory_limit,
            **dbt_run_env(settings, period_key, full_refresh, writer_lock),
        },
    )


def warehouse_target_path(location: WarehouseLocation) -> Path:
    """dbt's target folder for one warehouse, kept from run to run.

    dbt's partial parse file is valid only for the profile it was parsed with, and the
    profile includes the warehouse path (DuckDB) or host and database (PostgreSQL). With a
    fresh folder per invocation (dagster-dbt's default) every run re-parsed the project from
    the prepared manifest's profile: ~3–5 s per invocation here. One folder per warehouse
    lets the second invocation on a warehouse skip parsing. Invocations on one warehouse never
    overlap: they run under its writer lock.
    """
    key = hashlib.sha256(location.display.encode()).hexdigest()[:16]
    return Path(dbt_project.project_dir) / "target" / f"warehouse-{key}"


@functools.cache
def model_schemas() -> frozenset[str]:
    """The schemas the project's models are built in (from the prepared manifest)."""
    manifest = json.loads(Path(dbt_project.manifest_path).read_text(encoding="utf-8"))
    return frozenset(
        node["schema"]
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed", "snapshot")
    )


def _build(
    context: dg.AssetExecutionContext,
    config: DbtRunConfig,
    dbt: BmaDbtCliResource,
    warehouse: WarehouseResource,
    settings: PipelineSettings,
) -> Iterator[Any]:
    """`dbt build` while this run holds the writer lock, and only while it does.

    dbt writes from a subprocess, so the lock is held by a side session here. Its loss stops
    dbt at once (the watchdog kills it), every model checks the holder in its own
    transaction on PostgreSQL, and the step fails with `WriterLockLost`, which is retried:
    the retry takes the lock again before dbt writes anything.
    """
    period_key = context.partition_key if context.has_partition_key else None
    with retry_on_transient_errors(context), warehouse_lock(warehouse.location) as lock:
        invocation = dbt_build_invocation(
            settings, warehouse, period_key, config.full_refresh, lock.holder
        )
        lock.ensure_held()
        lock.create_schemas(model_schemas())  # dbt would create them before any model's check
        target_path = warehouse_target_path(warehouse.location)
        build = dbt.cli(
            invocation.args, env=invocation.env, context=context, target_path=target_path
        )
        selected = context.run.asset_selection
        if selected is None or PUBLISHED in selected:
            prefetch_gx()  # the publish gate's import, while dbt works in its own process
        with lock.watch(on_lost=build.process.kill):
            try:
                yield from build.stream()
            except Exception:
                # However dbt's end shows (a failed model, a cut-off event stream), a lost lock
                # is the reason to report, and the one the step is retried for.
                lock.ensure_held()
                raise
            # Lost after the last model committed (each checked it in its transaction): the
            # tests that ran after may have read another writer's work, so retry all the same.
            lock.ensure_held()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=BmaDbtTranslator(),
    partitions_def=period_partitions,
    pool=WAREHOUSE_POOL,
)
def bma_dbt_models(
    context: dg.AssetExecutionContext,
    config: DbtRunConfig,
    dbt: BmaDbtCliResource,
    warehouse: WarehouseResource,
    settings: PipelineSettings,
) -> Iterator[Any]:
    """One `dbt build` of every model the run selected, for the run's period (or all: full refresh).

    One invocation, not one per layer: each dbt start-up (imports, manifest, artefacts) costs
    ~4–5 s here. The staging views are partitioned with the rest so that one step builds them;
    a view holds every period, so each period's run rebuilds it and runs its tests on the raw
    tables as that run left them. The partition reaches dbt as `period_key`, read only by the
    period-local models.
    """
    yield from _build(context, config, dbt, warehouse, settings)
