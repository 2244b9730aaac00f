"""The dbt project as Dagster assets: one asset per model, dbt tests as asset checks."""

import functools
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import dbt_assets
from dagster_dbt.asset_utils import DAGSTER_DBT_UNIQUE_ID_METADATA_KEY

from bma_pipeline import unchanged_models
from bma_pipeline.defs.partitions import period_partitions
from bma_pipeline.defs.publish.assets import PUBLISHED
from bma_pipeline.defs.resources import WAREHOUSE_POOL, PipelineSettings, WarehouseResource
from bma_pipeline.defs.retries import retry_on_transient_errors
from bma_pipeline.defs.transform.project import dbt_project
from bma_pipeline.defs.transform.resource import BmaDbtCliResource
from bma_pipeline.defs.transform.translator import BmaDbtTranslator
from bma_pipeline.publish.gate import prefetch_gx
from bma_pipeline.unchanged_models import Decision
from bma_pipeline.warehouse import (
    WarehouseLocation,
    WriterLock,
    WriterLockHolder,
    connect_holding,
    warehouse_lock,
)


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
        # Closed before dbt starts: dbt's process opens the DuckDB file itself.
        with connect_holding(lock, warehouse.location, warehouse.duckdb_memory_limit) as wh:
            decision = unchanged_models.decide(
                wh, Path(dbt_project.project_dir), _last_manifest(target_path), config.full_refresh
            )
        left_out = _left_out(context, decision)
        context.log.info(_decision_line(decision, left_out))
        if decision.reused is not None:
            # First: Dagster takes a multi-asset's outputs in dependency order, and the marts
            # dbt builds next depend on these.
            yield from _unchanged_results(context, decision.reused, set(left_out))
        args = [*invocation.args, *_exclude_args(left_out)]
        build = dbt.cli(args, env=invocation.env, context=context, target_path=target_path)
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
        if decision.reused is None and decision.fingerprint is not None:
            _stamp_if_vouched(context, lock, warehouse, target_path, decision.fingerprint)


def _last_manifest(target_path: Path) -> dict[str, Any]:
    """The manifest of the last dbt invocation on this warehouse (the project as dbt parsed
    it then), else the prepared one."""
    return unchanged_models.read_artifact(target_path, "manifest.json") or json.loads(
        Path(dbt_project.manifest_path).read_text(encoding="utf-8")
    )


def _left_out(context: dg.AssetExecutionContext, decision: Decision) -> dict[str, str]:
    """dbt id → name of the unchanged nodes `dbt build` leaves out: all of them, in a run of the
    whole dbt asset set (a run of a part builds what it selected, as dagster-dbt selects it)."""
    assets_def = context.assets_def
    everything = set(context.selected_asset_keys) == set(assets_def.keys) and set(
        context.selected_asset_check_keys
    ) == {spec.key for spec in assets_def.check_specs}
    if decision.reused is None or not everything:
        return {}
    return {uid: uid.split(".")[2] for uid in sorted(decision.leaves_out)}


def _exclude_args(left_out: dict[str, str]) -> list[str]:
    """dbt's arguments leaving out these models and tests. Indirect selection `cautious`: a test
    is left out with the models when all its parents are (dbt's default, `eager`, would also
    leave out a mart's test against a left-out dim, which reads this run's mart)."""
    if not left_out:
        return []
    return ["--indirect-selection", "cautious", "--exclude", " ".join(left_out.values())]


def _unique_id(spec: dg.AssetSpec | dg.AssetCheckSpec) -> str | None:
    return spec.metadata.get(DAGSTER_DBT_UNIQUE_ID_METADATA_KEY)


def _decision_line(decision: Decision, left_out: dict[str, str]) -> str:
    if decision.reused is None:
        return f"dbt: building the models of plans and reference data ({decision.reason})"
    if not left_out:
        return "dbt: building what this run selected of the models (a part of them)"
    models = sum(1 for uid in left_out if uid.startswith("model."))
    return (
        f"dbt: leaving {models} models of plans and reference data and {len(left_out) - models} "
        f"of their tests out of this build: {decision.reason}"
    )


def _unchanged_results(
    context: dg.AssetExecutionContext, stamp: unchanged_models.Stamp, left_out: set[str]
) -> Iterator[dg.Output | dg.AssetCheckResult]:
    """Each model left out is materialized as it stands, each of its tests as passed: the build
    of `stamp.built_at` wrote them from the same inputs and code, and every test passed then."""
    note = (
        f"not rebuilt: its inputs (plans, reference data, dbt code) are those of the build of "
        f"{stamp.built_at:%Y-%m-%d %H:%M:%S}, which wrote it and passed every test on it"
    )
    assets_def = context.assets_def
    unchanged = {
        key
        for key in context.selected_asset_keys
        if _unique_id(assets_def.get_asset_spec(key)) in left_out
    }
    # Dagster takes a multi-asset's outputs in dependency order.
    order = TopologicalSorter(
        {key: assets_def.asset_deps.get(key, set()) & unchanged for key in unchanged}
    )
    for key in order.static_order():
        yield dg.Output(
            None,
            output_name=assets_def.get_output_name_for_asset_key(key),
            metadata={"rebuilt": False, "dbt": note},
        )
    for check_key in sorted(context.selected_asset_check_keys, key=str):
        if _unique_id(assets_def.get_spec_for_check_key(check_key)) in left_out:
            yield dg.AssetCheckResult(
                asset_key=check_key.asset_key,
                check_name=check_key.name,
                passed=True,
                metadata={"run": False, "dbt": note},
            )


def _stamp_if_vouched(
    context: dg.AssetExecutionContext,
    lock: WriterLock,
    warehouse: WarehouseResource,
    target_path: Path,
    fingerprint: str,
) -> None:
    """Stamp the models of plans and reference data when this build ran and passed all of them
    and their tests (a build of a subset, or with a failure, vouches for nothing)."""
    manifest = unchanged_models.read_artifact(target_path, "manifest.json")
    results = unchanged_models.read_artifact(target_path, "run_results.json")
    vouched = unchanged_models.vouched_nodes(manifest, results) if manifest and results else None
    if not vouched:
        return
    with connect_holding(lock, warehouse.location, warehouse.duckdb_memory_limit) as wh:
        unchanged_models.write_stamp(wh, fingerprint, vouched)
    context.log.info(
        f"dbt: {len(vouched)} nodes of plans and reference data built and passed; a run with the "
        "same inputs leaves them out"
    )


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
