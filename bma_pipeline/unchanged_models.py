"""The dbt models a run may leave as they are: those built from plans and reference data alone.

About half of the project's dbt nodes (the dims, the plan staging views, the plan
intermediates and `mart_plan_revisions`: 29 of 62 models with 80 of 187 tests) read only the
schemas `plans` and `reference`, and no run setting (as-of time, period, thresholds) or clock:
their tables are a function of those tables and of the dbt code. A new plan or a change of
reference data is rare — most runs bring submissions or minutes only — yet every `dbt build`
rebuilt and tested them all, about 40 ms of dbt's own work a node (bangkok10: a third of a
one-period run). So the dbt step leaves them out of the build (`dbt build --exclude …`) when
what they read is what their last complete build read:

- the fingerprint of schema plans' inputs, which the plan step stores with the tables it
  writes (`plans.build_inputs`, `bma_pipeline/plans/freshness.py`);
- the content of the reference tables they read;
- the dbt project's code (models, macros, tests, `dbt_project.yml`, profile) and the versions
  of dbt and its adapters.

The stamp (`intermediate.plan_models_build`) records that fingerprint with the nodes it
covers, taken from the manifest of the build that wrote it, and only after a build in which
every one of those models and tests succeeded; it is removed before any build that rebuilds
them. So it never vouches for tables it did not write, and a failed or partial build rebuilds
them next time. A missing relation, a full refresh or a fingerprint of other inputs rebuilds
them too.

What does not belong here: running dbt or reporting to Dagster (`defs/transform/assets.py`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as distribution_version
from pathlib import Path
from typing import Any

import pandas as pd

from bma_pipeline.columns import PLAN_MODELS_BUILD, PLANS_SCHEMA, REFERENCE_SCHEMA
from bma_pipeline.intake.ledger import BANGKOK
from bma_pipeline.plans.freshness import stored_fingerprint
from bma_pipeline.warehouse import Warehouse

# Schemas whose tables change only with a new plan or new reference data.
STABLE_SCHEMAS = frozenset({PLANS_SCHEMA, REFERENCE_SCHEMA})
# SQL or Jinja that makes a node depend on the run rather than on its inputs: a dbt var or an
# environment variable (as_of, the period, thresholds), the clock, the invocation.
_RUN_STATE = re.compile(
    r"\bvar\s*\(|\benv_var\s*\(|run_started_at|invocation_id|current_timestamp|\bnow\s*\(|"
    r"\brandom\s*\("
)
# The writer-lock hooks every model runs (macros/writer_lock.sql) read the run's vars to check
# the lock holder; they guard the write and never shape the rows.
_LOCK_HOOK_MACROS = frozenset({"assert_writer_lock_held"})
# What of the dbt project decides what these models write.
_PROJECT_CODE = ("models", "macros", "tests", "dbt_project.yml", "profiles.yml")
_DBT_DISTRIBUTIONS = ("dbt-core", "dbt-duckdb", "dbt-postgres")
# A build's node statuses that vouch for the node.
_SUCCEEDED = frozenset({"success", "pass"})


@dataclass(frozen=True)
class StableNodes:
    """The models built from stable schemas alone, and the tests over them alone (dbt ids)."""

    models: frozenset[str]
    tests: frozenset[str]

    @property
    def all(self) -> frozenset[str]:
        return self.models | self.tests


def stable_nodes(manifest: Mapping[str, Any]) -> StableNodes:
    """The models whose every source is in `STABLE_SCHEMAS`, and which (like every model they
    are built from) read no run state, directly or through a macro; and the data tests whose
    every parent is such a model."""
    nodes, sources, macros = manifest["nodes"], manifest["sources"], manifest["macros"]
    state_macros = _macros_reading_run_state(macros)
    stable: dict[str, bool] = {}

    def is_stable(unique_id: str) -> bool:
        if unique_id in stable:
            return stable[unique_id]
        stable[unique_id] = False  # a cycle (none in dbt) is not stable
        if unique_id.startswith("source."):
            found = sources[unique_id]["schema"] in STABLE_SCHEMAS
        else:
            node = nodes.get(unique_id)
            found = (
                node is not None
                and node["resource_type"] == "model"
                and not _RUN_STATE.search(node.get("raw_code") or "")
                and not any(m in state_macros for m in node["depends_on"].get("macros", []))
                and all(is_stable(parent) for parent in node["depends_on"].get("nodes", []))
            )
        stable[unique_id] = found
        return found

    models = frozenset(
        uid for uid, node in nodes.items() if node["resource_type"] == "model" and is_stable(uid)
    )
    tests = frozenset(
        uid
        for uid, node in nodes.items()
        if node["resource_type"] == "test"
        and node["depends_on"].get("nodes")
        and set(node["depends_on"]["nodes"]) <= models
        and not _RUN_STATE.search(node.get("raw_code") or "")
        and not any(m in state_macros for m in node["depends_on"].get("macros", []))
    )
    return StableNodes(models, tests)


def _macros_reading_run_state(macros: Mapping[str, Any]) -> frozenset[str]:
    """Macros that read run state themselves or through a macro they call (lock hooks aside)."""
    reading: dict[str, bool] = {}

    def reads(unique_id: str) -> bool:
        if unique_id in reading:
            return reading[unique_id]
        reading[unique_id] = False
        macro = macros.get(unique_id)
        found = (
            macro is not None
            and macro["name"] not in _LOCK_HOOK_MACROS
            and (
                bool(_RUN_STATE.search(macro.get("macro_sql") or ""))
                or any(reads(m) for m in macro.get("depends_on", {}).get("macros", []))
            )
        )
        reading[unique_id] = found
        return found

    return frozenset(uid for uid in macros if reads(uid))


def code_fingerprint(project_dir: Path) -> str:
    """The dbt project's code and the dbt versions: any change rebuilds the stable models."""
    digest = hashlib.sha256()
    for name in _DBT_DISTRIBUTIONS:
        try:
            digest.update(f"{name}=={distribution_version(name)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{name} absent\n".encode())
    for entry in _PROJECT_CODE:
        root = project_dir / entry
        paths = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in paths:
            if path.is_file():
                digest.update(path.relative_to(project_dir).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _reference_content(wh: Warehouse) -> Iterable[bytes]:
    """Each reference table's rows in a fixed order, as text."""
    tables = wh.query(
        "select table_name from information_schema.tables where table_schema = :schema "
        "order by table_name",
        {"schema": REFERENCE_SCHEMA},
    )["table_name"]
    for table in tables:
        frame = wh.query(f"select * from {REFERENCE_SCHEMA}.{table}")
        frame = frame.sort_values(list(frame.columns), ignore_index=True)
        yield table.encode() + b"\0" + frame.to_csv(index=False).encode()


def inputs_fingerprint(wh: Warehouse, project_dir: Path) -> str | None:
    """What the stable models would read now, hashed; None when schema plans carries no
    fingerprint of its inputs (never built, or written without one): nothing to compare."""
    plans = stored_fingerprint(wh)
    if plans is None:
        return None
    digest = hashlib.sha256(f"plans {plans}\ncode {code_fingerprint(project_dir)}\n".encode())
    for content in _reference_content(wh):
        digest.update(content)
    return digest.hexdigest()


@dataclass(frozen=True)
class Stamp:
    """The last complete build of the stable models: what it read, which nodes, when."""

    fingerprint: str
    nodes: frozenset[str]
    built_at: datetime


def read_stamp(wh: Warehouse) -> Stamp | None:
    table = PLAN_MODELS_BUILD
    if not wh.table_exists(table.schema, table.name):
        return None
    found = wh.query(f"select fingerprint, nodes, built_at from {table.qualified}")
    if len(found) != 1:
        return None
    row = found.iloc[0]
    nodes = frozenset(str(row["nodes"]).split(",")) if row["nodes"] else frozenset()
    return Stamp(str(row["fingerprint"]), nodes, pd.Timestamp(row["built_at"]).to_pydatetime())


def drop_stamp(wh: Warehouse) -> None:
    wh.execute(f"drop table if exists {PLAN_MODELS_BUILD.qualified}")


def write_stamp(wh: Warehouse, fingerprint: str, nodes: Iterable[str]) -> Stamp:
    built_at = datetime.now(BANGKOK).replace(tzinfo=None, microsecond=0)
    ids = sorted(nodes)
    frame = pd.DataFrame(
        {"fingerprint": [fingerprint], "nodes": [",".join(ids)], "built_at": [built_at]}
    )
    table = PLAN_MODELS_BUILD
    with wh.transaction():
        wh.replace(table.schema, table.name, frame, table.sql_types)
    return Stamp(fingerprint, frozenset(ids), built_at)


def _relations(wh: Warehouse) -> set[tuple[str, str]]:
    found = wh.query("select table_schema, table_name from information_schema.tables")
    return set(zip(found["table_schema"], found["table_name"], strict=True))


@dataclass(frozen=True)
class Decision:
    """Whether this build may leave the stable models out, and why.

    `fingerprint` is what they would read now (None: unknown, so they are built and not
    stamped); `reused` the stamp that vouches for them when they are left out.
    """

    fingerprint: str | None
    reused: Stamp | None
    reason: str

    @property
    def leaves_out(self) -> frozenset[str]:
        return self.reused.nodes if self.reused is not None else frozenset()


def decide(
    wh: Warehouse, project_dir: Path, manifest: Mapping[str, Any], full_refresh: bool = False
) -> Decision:
    """Leave the stable models out of this build when the stamp's fingerprint is what they
    would read now and every relation it covers exists; otherwise drop the stamp (they are
    rebuilt, and stamped again only once that build has succeeded)."""
    fingerprint = inputs_fingerprint(wh, project_dir)
    stamp = read_stamp(wh)
    reason = _why_rebuild(wh, manifest, fingerprint, stamp, full_refresh)
    if reason is None:
        assert stamp is not None
        return Decision(fingerprint, stamp, f"inputs unchanged since {stamp.built_at}")
    if stamp is not None:
        drop_stamp(wh)
    return Decision(fingerprint, None, reason)


def _why_rebuild(
    wh: Warehouse,
    manifest: Mapping[str, Any],
    fingerprint: str | None,
    stamp: Stamp | None,
    full_refresh: bool,
) -> str | None:
    if full_refresh:
        return "full refresh"
    if fingerprint is None:
        return "schema plans has no fingerprint of its inputs"
    if stamp is None:
        return "no complete build of them recorded"
    if stamp.fingerprint != fingerprint:
        return "plans, reference data or dbt code changed since their last build"
    nodes = manifest["nodes"]
    if not stamp.nodes or any(uid not in nodes for uid in stamp.nodes):
        return "the project's nodes changed since their last build"
    relations = _relations(wh)
    missing = [
        uid
        for uid in sorted(stamp.nodes)
        if nodes[uid]["resource_type"] == "model"
        and (nodes[uid]["schema"], nodes[uid].get("alias") or nodes[uid]["name"]) not in relations
    ]
    if missing:
        return f"{nodes[missing[0]]['name']} is missing from the warehouse"
    return None


def vouched_nodes(manifest: Mapping[str, Any], run_results: Mapping[str, Any]) -> frozenset[str]:
    """The stable nodes of a build's manifest, when every one of them ran and succeeded in it
    (its run_results.json); empty otherwise (a partial or failed build vouches for nothing)."""
    wanted = stable_nodes(manifest).all
    statuses = {result["unique_id"]: result["status"] for result in run_results["results"]}
    if not wanted or any(statuses.get(uid) not in _SUCCEEDED for uid in wanted):
        return frozenset()
    return wanted


def read_artifact(target_path: Path, name: str) -> dict[str, Any] | None:
    """A dbt artefact (manifest.json, run_results.json) of the last invocation, if any."""
    path = target_path / name
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
