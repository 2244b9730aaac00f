"""Fixtures for the production-path tests."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def dagster_home(tmp_path, pg_server_url, monkeypatch):
    """A DAGSTER_HOME using deploy/dagster.yaml, with its storage in a fresh database."""
    name = f"bma_dagster_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server_url, autocommit=True) as con:
        con.execute(f"create database {name}")
    url = urlparse(pg_server_url)
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "deploy" / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("DAGSTER_PG_HOST", url.hostname or "127.0.0.1")
    monkeypatch.setenv("DAGSTER_PG_PORT", str(url.port or 5432))
    monkeypatch.setenv("DAGSTER_PG_USER", url.username or "postgres")
    monkeypatch.setenv("DAGSTER_PG_PASSWORD", url.password or "")
    monkeypatch.setenv("DAGSTER_PG_DB", name)
    yield home
    with psycopg.connect(pg_server_url, autocommit=True) as con:
        con.execute(f"drop database if exists {name} with (force)")
