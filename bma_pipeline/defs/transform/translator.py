"""How dbt resources appear in Dagster: keys, groups and owners from the dbt folder."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

from bma_pipeline.defs.resources import OWNER

# dbt folder (first path element under models/) → Dagster group.
_GROUP_BY_FOLDER = {"staging": "transform", "intermediate": "transform", "marts": "marts"}


def _folder(props: Mapping[str, Any]) -> str:
    fqn = props.get("fqn") or []
    return fqn[1] if len(fqn) > 2 else "marts"


class BmaDbtTranslator(DagsterDbtTranslator):
    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        """Sources keep `<source>/<table>` (so `raw/submission_rows` is the intake asset);
        models are keyed `<folder>/<model>`, e.g. `marts/fct_kpi_progress`."""
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return dg.AssetKey([_folder(dbt_resource_props), dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """staging and intermediate models → `transform`; marts → `marts`."""
        return _GROUP_BY_FOLDER.get(_folder(dbt_resource_props), "transform")

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        """Every model is owned by the team that runs the system."""
        return [OWNER]
