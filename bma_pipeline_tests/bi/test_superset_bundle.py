"""The committed Superset bundle is what the generator writes, and it reads only `bi` views."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from bma_tools.superset import bundle as sb

BUNDLE = Path(__file__).resolve().parents[2] / "bi" / "superset" / "bundle"


def test_committed_bundle_matches_the_generator():
    expected = {path: sb.render_yaml(content) for path, content in sb.bundle_files().items()}
    committed = {
        p.relative_to(BUNDLE).as_posix(): p.read_text(encoding="utf-8")
        for p in BUNDLE.rglob("*.yaml")
    }
    assert committed == expected, "run: python -m bma_tools.superset.bundle"


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
    assert len(charts) == len(sb.CHARTS) == 8
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
