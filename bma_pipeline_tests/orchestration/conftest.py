"""Fixtures for the production-path tests."""

from __future__ import annotations

import uuid
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
# Tests wait seconds, not the half minute production polls at, for a dead run to be noticed.
TEST_MONITORING_POLL_S = 1


def copy_instance_config(source: Path, home: Path) -> Path:
    """`source` (a dagster.yaml of deploy/) into `home`, run monitoring polling every second."""
    config = yaml.safe_load(source.read_text())
    config["run_monitoring"]["poll_interval_seconds"] = TEST_MONITORING_POLL_S
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    return home


@pytest.fixture
def local_dagster_home(tmp_path, monkeypatch) -> Path:
    """A DAGSTER_HOME like `make demo`'s (deploy/dagster.local.yaml): SQLite storage."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return copy_instance_config(REPO / "deploy" / "dagster.local.yaml", home)


@pytest.fixture
def dagster_home(tmp_path, pg_server_url, monkeypatch):
    """A DAGSTER_HOME using deploy/dagster.yaml, with its storage in a fresh database."""
    name = f"bma_dagster_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server_url, autocommit=True) as con:
        con.execute(f"create database {name}")
    url = urlparse(pg_server_url)
    home = tmp_path / "dagster_home"
    home.mkdir()
    copy_instance_config(REPO / "deploy" / "dagster.yaml", home)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("DAGSTER_PG_HOST", url.hostname or "127.0.0.1")
    monkeypatch.setenv("DAGSTER_PG_PORT", str(url.port or 5432))
    monkeypatch.setenv("DAGSTER_PG_USER", url.username or "postgres")
    monkeypatch.setenv("DAGSTER_PG_PASSWORD", url.password or "")
    monkeypatch.setenv("DAGSTER_PG_DB", name)
    yield home
    with psycopg.connect(pg_server_url, autocommit=True) as con:
        con.execute(f"drop database if exists {name} with (force)")
