"""Who reads which dbt model, as the dbt manifest says: one source for the lineage.

The marts published to `bi` are every model dbt writes to the `marts` schema (the marts and
the report models under `models/marts/reports/`), and each report's inputs are its exposure's
`depends_on` in `dbt_project/models/marts/_exposures.yml`. Dagster's deps of the publish step
and of the report assets, the publish step itself and the tests all read them here, so adding
a mart or a report input is one edit in dbt.

What belongs here: reading the manifest that `make setup` prepares (`dagster-dbt project
prepare-and-package`); it is only read, never produced by `dbt parse` here (a parse at import
time makes the code location slow and fragile). What does not: Dagster asset keys
(`defs/transform/translator.py` maps dbt nodes to keys).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PUBLISHED_SCHEMA = "marts"  # every model dbt writes here is published to `bi`


def manifest_path() -> Path:
    """The prepared manifest: the dbt project's own (`DbtProject.manifest_path`)."""
    from bma_pipeline.defs.transform.project import dbt_project

    return Path(dbt_project.manifest_path)


@functools.cache
def manifest() -> Mapping[str, Any]:
    path = manifest_path()
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: run `make setup` (dagster-dbt project prepare-and-package) "
            "to prepare the dbt manifest"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def _models() -> dict[str, Mapping[str, Any]]:
    return {
        uid: node for uid, node in manifest()["nodes"].items() if node["resource_type"] == "model"
    }


def mart_models() -> tuple[str, ...]:
    """Names of the models dbt writes to the `marts` schema, sorted: what `bi` publishes."""
    return tuple(
        sorted(node["name"] for node in _models().values() if node["schema"] == PUBLISHED_SCHEMA)
    )


def exposure(name: str) -> Mapping[str, Any]:
    exposures = {e["name"]: e for e in manifest()["exposures"].values()}
    if name not in exposures:
        raise KeyError(
            f"no dbt exposure {name!r} in {manifest_path()} (known: {', '.join(sorted(exposures))})"
        )
    return exposures[name]


def exposure_model_nodes(name: str) -> list[Mapping[str, Any]]:
    """The manifest nodes of the models exposure `name` depends on, sorted by name."""
    models = _models()
    nodes = [models[uid] for uid in exposure(name)["depends_on"]["nodes"] if uid in models]
    return sorted(nodes, key=lambda node: node["name"])


def exposure_models(name: str) -> tuple[str, ...]:
    """Names of the models exposure `name` depends on, sorted."""
    return tuple(node["name"] for node in exposure_model_nodes(name))
