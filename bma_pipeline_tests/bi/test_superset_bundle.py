"""The committed Superset bundle is Superset's own export of the definition in bma_tools (every
setting made there is in it), and it reads only `bi` views."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from bma_tools.superset import bundle as sb
from bma_tools.superset import export

BUNDLE = Path(__file__).resolve().parents[2] / "bi" / "superset" / "bundle"


def missing_settings(definition: Any, exported: Any, where: str = "") -> list[str]:
    """Where the export lacks or changes something the definition sets (Superset may add)."""
    if isinstance(definition, dict) and isinstance(exported, dict):
        return [
            problem
            for key, value in definition.items()
            for problem in (
                missing_settings(value, exported[key], f"{where}/{key}")
                if key in exported
                else [f"{where}/{key}: not in the export"]
            )
        ]
    if isinstance(definition, list) and isinstance(exported, list):
        if len(definition) != len(exported):
            return [f"{where}: {len(definition)} items defined, {len(exported)} exported"]
        return [
            problem
            for i, (d, e) in enumerate(zip(definition, exported, strict=True))
            for problem in missing_settings(d, e, f"{where}[{i}]")
        ]
    return [] if definition == exported else [f"{where}: {definition!r} ≠ {exported!r}"]


def committed_bundle() -> dict[str, str]:
    return {
        p.relative_to(BUNDLE).as_posix(): p.read_text(encoding="utf-8")
        for p in BUNDLE.rglob("*.yaml")
    }


def test_committed_bundle_is_an_export_holding_the_definition():
    definition = export.normalize(
        {path: sb.render_yaml(content) for path, content in sb.bundle_files().items()}
    )
    committed = {path: yaml.safe_load(text) for path, text in committed_bundle().items()}
    assert set(committed) == set(definition), "run: make superset-bundle"
    problems = [
        problem
        for path, content in definition.items()
        for problem in missing_settings(content, committed[path], path)
    ]
    assert problems == [], "the definition changed since the export: run make superset-bundle"
    # Superset's own fields, which the definition never sets: the files are its export.
    [database] = [c for p, c in committed.items() if p.startswith("databases/")]
    assert database["configuration_method"] == "sqlalchemy_form"
    assert all("folders" in c for p, c in committed.items() if p.startswith("datasets/"))
    # and as the normaliser writes them: rendering again changes nothing
    assert export.render_files(committed) == committed_bundle()


def test_datasets_read_only_bi_views():
    for path in (BUNDLE / "datasets").rglob("*.yaml"):
        dataset = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert dataset["schema"] == "bi"
        relations = re.findall(r"\b(?:from|join)\s+([a-z_]+)\.([a-z_]+)", dataset["sql"])
        assert relations, path
        assert {schema for schema, _ in relations} == {"bi"}, path


def test_every_chart_has_a_query_context_on_its_dataset():
    datasets = {
        yaml.safe_load(p.read_text(encoding="utf-8"))["uuid"]
        for p in (BUNDLE / "datasets").rglob("*.yaml")
    }
    charts = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in BUNDLE.glob("charts/*.yaml")]
    assert len(charts) == len(sb.CHARTS) == 10
    for chart in charts:
        assert chart["dataset_uuid"] in datasets
        context = json.loads(chart["query_context"])
        assert context["queries"] and context["form_data"]["viz_type"] == chart["viz_type"]
        assert re.search(r"[\u0e00-\u0e7f]", chart["slice_name"]), "Thai title"
    layout = yaml.safe_load(next(BUNDLE.glob("dashboards/*.yaml")).read_text(encoding="utf-8"))
    placed = {
        v["meta"]["uuid"]
        for v in layout["position"].values()
        if isinstance(v, dict) and v.get("type") == "CHART"
    }
    assert placed == {c["uuid"] for c in charts}


def test_the_runtime_package_does_not_import_the_tooling():
    """Superset's builders and provisioning are tooling (bma_tools), never the pipeline's."""
    package = Path(__file__).resolve().parents[2] / "bma_pipeline"
    importing = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if re.search(r"^\s*(from|import)\s+bma_tools\b", path.read_text(encoding="utf-8"), re.M)
    ]
    assert importing == []
    assert not (package / "bi").exists()
