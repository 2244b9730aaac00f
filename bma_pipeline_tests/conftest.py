"""Shared fixtures: a fresh PostgreSQL database per test (skipped with a reason where no
server runs; under CI=true an unreachable server fails instead, since CI has one)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlparse, urlunparse

import pytest

PG_URL = os.getenv("BMA_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _server_problem() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3) as con:
            con.execute("select 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "no server here"
        return f"PostgreSQL not reachable at {PG_URL} ({type(exc).__name__}: {exc})"
    return None


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    problem = _server_problem()
    if problem:
        if os.getenv("CI", "").lower() == "true":
            pytest.fail(f"{problem}; CI machines run PostgreSQL, so this is an error")
        pytest.skip(problem)
    return PG_URL


@pytest.fixture
def pg_database_url(pg_server_url: str) -> Iterator[str]:
    """A new, empty database for one test; dropped afterwards."""
    import psycopg

    name = f"bma_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server_url, autocommit=True) as con:
        con.execute(f"create database {name}")
    url = urlunparse(urlparse(pg_server_url)._replace(path=f"/{name}"))
    try:
        yield url
    finally:
        with psycopg.connect(pg_server_url, autocommit=True) as con:
            con.execute(f"drop database if exists {name} with (force)")


@pytest.fixture(scope="session")
def plan_warehouse(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A DuckDB warehouse holding only the sample city plans of 2566 and 2567 (no revision), as
    the plan assets load them: for the commands that read the plan in force."""
    from datetime import datetime

    from bma_pipeline.plans.store import load_plans
    from bma_pipeline.warehouse import connect
    from bma_sample.catalogue import sample_catalogue
    from bma_sample.plans import write_sample_plans

    root = tmp_path_factory.mktemp("plans")
    for year in (2566, 2567):
        write_sample_plans(root / "landing", year, sample_catalogue(), revision=None)
    path = str(root / "plan_warehouse.duckdb")
    with connect(path) as wh:
        load_plans(wh, root / "landing", as_of=datetime(2024, 1, 1))
    return path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Files holding end-to-end runs first (stable otherwise): under pytest-xdist the longest
    files start at once and the short ones fill the workers in after, instead of one worker
    running the slow files alone at the end."""
    heavy = {"slow", "superset", "browser"}
    heavy_files = {
        item.path for item in items if heavy & {mark.name for mark in item.iter_markers()}
    }
    items.sort(key=lambda item: item.path not in heavy_files)
