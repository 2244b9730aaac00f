"""The committed dashboard bundle (`bi/superset/bundle/`) as Superset's own export.

`bundle.py` holds the definition (datasets, charts, layout, fixed UUIDs). Superset's export
format is Superset's: rather than keep a hand-written copy of it, `make superset-bundle` imports
the definition into a scratch Superset (its own metadata in a temporary folder, no warehouse
needed: importing and exporting never connect to it), exports the dashboard through
`/api/v1/dashboard/export/` and writes that export, normalised, into the bundle folder. The
test Superset of `bma_pipeline_tests/bi/test_superset.py` exports the committed bundle again
after importing it and must get the same files: an import/export round trip is stable.

Normalising removes only what belongs to one installation or one moment, never a setting:
the export's timestamp; the database ids Superset writes into positions, chart params and
query contexts (UUIDs stay); the warehouse URL (provisioning sets it at import); file names
carrying ids (files are named after the chart key, dataset table, database and dashboard
slug instead); the order of a dataset's columns and metrics (Superset writes them neither in the
imported order nor sorted, so nothing guarantees it from one import to the next: they are
sorted by name); and YAML is written as UTF-8 so Thai stays readable (Superset escapes it).
What does not belong here: the definition (`bundle.py`) and the REST client and import
(`provision.py`).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bma_tools.superset import bundle as sb
from bma_tools.superset.provision import SupersetClient

REPO = Path(__file__).resolve().parents[2]
BUNDLE_DIR = REPO / "bi" / "superset" / "bundle"
SUPERSET_SH = REPO / "bi" / "superset" / "superset.sh"
EXPORT_TIMESTAMP = "1970-01-01T00:00:00+00:00"  # the export's own time is not part of the bundle
_CHART_KEYS = {chart.uuid: chart.key for chart in sb.CHARTS}


def export_dashboard(client: SupersetClient, slug: str = sb.DASHBOARD_SLUG) -> dict[str, str]:
    """The dashboard as Superset exports it: path inside the bundle → YAML text."""
    [dashboard] = client.find("dashboard", "slug", slug)
    data = client.export_dashboard(dashboard["id"])
    files = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            _, relative = name.split("/", 1)  # drop the export's root folder
            files[relative] = archive.read(name).decode("utf-8")
    return files


def _dataset_ref(dataset: Mapping[str, Any]) -> str:
    return f"{dataset['table_name']}__table"


def _chart(content: dict[str, Any], datasets: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    ref = _dataset_ref(datasets[content["dataset_uuid"]])
    content["params"]["datasource"] = ref
    if content.get("query_context"):
        context = json.loads(content["query_context"])
        context["datasource"] = {**context.get("datasource", {}), "id": 0, "type": "table"}
        context.get("form_data", {})["datasource"] = ref
        for query in context.get("queries", []):
            if "datasource" in query:
                query["datasource"] = context["datasource"]
        content["query_context"] = json.dumps(context, ensure_ascii=False, sort_keys=True)
    return content


def _dashboard(content: dict[str, Any]) -> dict[str, Any]:
    for node in content.get("position", {}).values():
        if isinstance(node, dict) and node.get("type") == "CHART":
            node["meta"]["chartId"] = 0
    return content


def _dataset(content: dict[str, Any]) -> dict[str, Any]:
    content["columns"] = sorted(content.get("columns", []), key=lambda c: c["column_name"])
    content["metrics"] = sorted(content.get("metrics", []), key=lambda m: m["metric_name"])
    return content


def normalize(files: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """An export (path → YAML text) as the committed bundle holds it (path → content)."""
    contents = {path: yaml.safe_load(text) for path, text in files.items()}
    databases = {c["uuid"]: c for p, c in contents.items() if p.startswith("databases/")}
    datasets = {c["uuid"]: c for p, c in contents.items() if p.startswith("datasets/")}
    out: dict[str, dict[str, Any]] = {}
    for path, content in contents.items():
        kind = path.split("/", 1)[0]
        if path == "metadata.yaml":
            out[path] = {**content, "timestamp": EXPORT_TIMESTAMP}
        elif kind == "databases":
            if content["uuid"] == sb.DATABASE_UUID:
                content["sqlalchemy_uri"] = sb.DATABASE_URI_PLACEHOLDER
            out[f"databases/{sb.slug(content['database_name'])}.yaml"] = content
        elif kind == "datasets":
            database = sb.slug(databases[content["database_uuid"]]["database_name"])
            out[f"datasets/{database}/{content['table_name']}.yaml"] = _dataset(content)
        elif kind == "charts":
            key = _CHART_KEYS.get(content["uuid"], content["uuid"])
            out[f"charts/{key}.yaml"] = _chart(content, datasets)
        elif kind == "dashboards":
            out[f"dashboards/{content['slug'] or content['uuid']}.yaml"] = _dashboard(content)
        else:
            out[path] = content
    return dict(sorted(out.items()))


def render_files(contents: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    return {path: sb.render_yaml(dict(content)) for path, content in contents.items()}


def write_files(rendered: Mapping[str, str], out: Path) -> list[Path]:
    """Replace every YAML file under `out` by `rendered` (a chart dropped from the definition
    leaves no stale file behind)."""
    for old in out.rglob("*.yaml"):
        old.unlink()
    written = []
    for relative, text in rendered.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def export_definition(home: Path, superset_venv: Path) -> dict[str, str]:
    """Import the definition (`bundle.py`) into a scratch Superset whose metadata lives in
    `home`, export the dashboard and return the normalised bundle (path → YAML text)."""
    definition = home / "definition"
    shutil.rmtree(definition, ignore_errors=True)
    sb.write_bundle(definition)
    port = _free_port()
    env = {
        **os.environ,
        "SUPERSET_VENV": str(superset_venv),
        "PIPELINE_PYTHON": sys.executable,
        "BMA_SUPERSET_HOME": str(home),
        "SUPERSET_PORT": str(port),
        "BMA_SUPERSET_BUNDLE": str(definition),
        "BMA_SUPERSET_WAREHOUSE": sb.DATABASE_URI_PLACEHOLDER,  # never connected to
        "BMA_SUPERSET_DUCKDB": str(home / "no-duckdb-here.duckdb"),
    }
    username = env.setdefault("SUPERSET_ADMIN_USERNAME", "admin")
    password = env.setdefault("SUPERSET_ADMIN_PASSWORD", "admin")
    try:
        up = subprocess.run(
            [str(SUPERSET_SH), "up"], env=env, capture_output=True, text=True, timeout=900
        )
        if up.returncode != 0:
            raise RuntimeError(f"scratch Superset did not come up:\n{up.stdout}\n{up.stderr}")
        client = SupersetClient(f"http://127.0.0.1:{port}")
        client.login(username, password)
        return render_files(normalize(export_dashboard(client)))
    finally:
        subprocess.run([str(SUPERSET_SH), "stop"], env=env, capture_output=True, timeout=60)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BUNDLE_DIR)
    parser.add_argument(
        "--home", type=Path, default=None, help="scratch Superset folder (default: a new one)"
    )
    parser.add_argument("--superset-venv", type=Path, default=REPO / ".venv-superset")
    args = parser.parse_args(argv)
    if not (args.superset_venv / "bin" / "superset").exists():
        print(f"no Superset venv at {args.superset_venv} (make superset-venv)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="superset-export-") as scratch:
        home = args.home or Path(scratch)
        home.mkdir(parents=True, exist_ok=True)
        rendered = export_definition(home, args.superset_venv)
    for path in write_files(rendered, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
