"""Provision a running Superset: the warehouse connection and the executive dashboard.

What belongs here: a small REST client for Superset (standard library only, so the pipeline's
venv and the tests can use it without Superset's own packages), turning the committed YAML
bundle into an import ZIP with the warehouse URL filled in, and importing it through
`/api/v1/assets/import/` — the import that overwrites databases, datasets, charts and the
dashboard alike (the CLI's `import-dashboards` keeps existing datasets and charts), so
re-running it after a bundle change updates everything and duplicates nothing (fixed UUIDs).
What does not: installing or starting Superset (`bi/superset/superset.sh`).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
from pathlib import Path
from typing import Any

import yaml

from bma_tools.superset import bundle as sb

DUCKDB_DATABASE_UUID = sb.fixed_uuid("database/bma_duckdb")
DUCKDB_DATABASE_NAME = "BMA warehouse (DuckDB file, read-only)"


class SupersetError(RuntimeError):
    pass


class SupersetClient:
    """Session-cookie + JWT client: log in, fetch a CSRF token, call the REST API."""

    def __init__(self, base_url: str, timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.token: str | None = None
        self.csrf: str | None = None

    def _request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str | None = None,
    ) -> tuple[int, bytes]:
        headers = {"Accept": "application/json", "Referer": self.base_url}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.csrf:
            headers["X-CSRFToken"] = self.csrf
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(
            self.base_url + path, data=body, method=method, headers=headers
        )
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def json(self, method: str, path: str, payload: Any = None) -> Any:
        body = None if payload is None else json.dumps(payload).encode()
        status, data = self._request(method, path, body, "application/json" if body else None)
        if status >= 400:
            raise SupersetError(f"{method} {path}: HTTP {status}: {data[:500]!r}")
        return json.loads(data) if data else None

    def healthy(self) -> bool:
        try:
            status, body = self._request("GET", "/health")
        except OSError:
            return False
        return status == 200 and body.strip() == b"OK"

    def wait_healthy(self, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.healthy():
                return
            time.sleep(1.0)
        raise SupersetError(f"Superset at {self.base_url} not healthy after {timeout:.0f} s")

    def login(self, username: str, password: str) -> None:
        result = self.json(
            "POST",
            "/api/v1/security/login",
            {"username": username, "password": password, "provider": "db", "refresh": True},
        )
        self.token = result["access_token"]
        self.csrf = self.json("GET", "/api/v1/security/csrf_token/")["result"]

    def import_assets(self, bundle: bytes, passwords: dict[str, str] | None = None) -> None:
        boundary = uuid.uuid4().hex
        parts = [
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="bundle"; '
                'filename="bundle.zip"\r\nContent-Type: application/zip\r\n\r\n'
            ).encode()
            + bundle
            + b"\r\n"
        ]
        if passwords:
            parts.append(
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="passwords"\r\n\r\n'
                    f"{json.dumps(passwords)}\r\n"
                ).encode()
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        status, data = self._request(
            "POST", "/api/v1/assets/import/", body, f"multipart/form-data; boundary={boundary}"
        )
        if status >= 400:
            raise SupersetError(f"asset import failed: HTTP {status}: {data[:2000]!r}")

    def find(self, resource: str, column: str, value: str) -> list[dict[str, Any]]:
        query = {"filters": [{"col": column, "opr": "eq", "value": value}], "page_size": 100}
        encoded = urllib.parse.quote(json.dumps(query))
        return self.json("GET", f"/api/v1/{resource}/?q={encoded}")["result"]

    def export_dashboard(self, dashboard_id: int) -> bytes:
        """The dashboard with its charts, datasets and database, as Superset's export ZIP."""
        query = urllib.parse.quote(f"!({dashboard_id})")
        status, data = self._request("GET", f"/api/v1/dashboard/export/?q={query}")
        if status != 200:
            raise SupersetError(f"dashboard export failed: HTTP {status}: {data[:500]!r}")
        return data

    def chart_data(self, chart_id: int) -> dict[str, Any]:
        """The chart's stored query context, run: what alerts, reports and thumbnails see."""
        return self.json("GET", f"/api/v1/chart/{chart_id}/data/?format=json&type=full")


def _superset_uri(warehouse_url: str) -> str:
    """postgresql://… → postgresql+psycopg2://… (the driver Superset's venv ships)."""
    parsed = urllib.parse.urlsplit(warehouse_url)
    if parsed.scheme in ("postgresql", "postgres"):
        return urllib.parse.urlunsplit(parsed._replace(scheme="postgresql+psycopg2"))
    return warehouse_url


def duckdb_database_config(path: Path) -> dict[str, Any]:
    config = sb.database_config(f"duckdb:///{path.resolve()}")
    config.update(
        database_name=DUCKDB_DATABASE_NAME,
        uuid=DUCKDB_DATABASE_UUID,
        expose_in_sqllab=True,
    )
    # read_only: the pipeline stays the only writer of the file (one writer at a time)
    config["extra"]["engine_params"] = {"connect_args": {"read_only": True}}
    return config


def build_import_zip(
    bundle_dir: Path, warehouse_url: str, duckdb_path: Path | None = None
) -> tuple[bytes, str]:
    """The committed bundle as an assets-import ZIP; returns (bytes, database file name)."""
    buffer = io.BytesIO()
    root = "bma_executive"
    database_file = ""
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(bundle_dir.rglob("*.yaml")):
            relative = path.relative_to(bundle_dir).as_posix()
            content = yaml.safe_load(path.read_text(encoding="utf-8"))
            if relative == "metadata.yaml":
                content["type"] = "assets"
            elif relative.startswith("databases/") and content["uuid"] == sb.DATABASE_UUID:
                content["sqlalchemy_uri"] = _superset_uri(warehouse_url)
                database_file = relative
            bundle.writestr(f"{root}/{relative}", sb.render_yaml(content))
        if duckdb_path is not None:
            bundle.writestr(
                f"{root}/databases/BMA_DuckDB_read_only.yaml",
                sb.render_yaml(duckdb_database_config(duckdb_path)),
            )
    return buffer.getvalue(), database_file


def provision(
    base_url: str,
    bundle_dir: Path,
    warehouse_url: str,
    username: str,
    password: str,
    duckdb_path: Path | None = None,
    reader_password: str | None = None,
) -> dict[str, Any]:
    client = SupersetClient(base_url)
    client.wait_healthy()
    client.login(username, password)
    data, database_file = build_import_zip(bundle_dir, warehouse_url, duckdb_path)
    # keyed by the file's path inside the bundle without its root folder, as Superset reads it
    passwords = {database_file: reader_password} if reader_password else None
    client.import_assets(data, passwords)
    dashboards = client.find("dashboard", "slug", sb.DASHBOARD_SLUG)
    if len(dashboards) != 1:
        raise SupersetError(f"expected one dashboard {sb.DASHBOARD_SLUG!r}, found {dashboards}")
    return dashboards[0]


def create_database(url: str) -> bool:
    """Create the database of a PostgreSQL URL if missing (connecting to `postgres`)."""
    import psycopg

    parsed = urllib.parse.urlsplit(url)
    name = parsed.path.lstrip("/")
    if not name.replace("_", "").replace("-", "").isalnum():
        raise SystemExit(f"database name {name!r}: letters, digits, '_' or '-' only")
    admin = urllib.parse.urlunsplit(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as con:
        if con.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            return False
        con.execute(f'create database "{name}"')
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Provision Superset for the BMA dashboard.")
    commands = parser.add_subparsers(dest="command", required=True)
    imports = commands.add_parser("import", help="import the dashboard bundle (overwriting)")
    imports.add_argument("--url", default=os.getenv("SUPERSET_URL", "http://127.0.0.1:8088"))
    imports.add_argument("--bundle", type=Path, default=Path("bi/superset/bundle"))
    imports.add_argument("--warehouse", required=True, help="PostgreSQL URL of the bi reader")
    imports.add_argument("--duckdb", type=Path, default=None, help="DuckDB file, read-only")
    created = commands.add_parser("create-database", help="create a PostgreSQL database")
    created.add_argument("database_url")
    args = parser.parse_args(argv)
    if args.command == "create-database":
        made = create_database(args.database_url)
        print(f"database {'created' if made else 'exists'}: {args.database_url}")
        return 0
    username = os.getenv("SUPERSET_ADMIN_USERNAME", "admin")
    password = os.getenv("SUPERSET_ADMIN_PASSWORD", "admin")
    duckdb_path = args.duckdb if args.duckdb and args.duckdb.exists() else None
    try:
        dashboard = provision(
            args.url,
            args.bundle,
            args.warehouse,
            username,
            password,
            duckdb_path,
            os.getenv("BMA_BI_READER_PASSWORD") or None,
        )
    except SupersetError as exc:
        print(f"superset provisioning failed: {exc}", file=sys.stderr)
        return 1
    print(f"dashboard imported (id {dashboard['id']}), warehouse {args.warehouse}")
    if duckdb_path:
        print(f"DuckDB connection (read-only): {duckdb_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
