"""Production path: Dagster's storage in PostgreSQL (deploy/dagster.yaml), warehouse in
PostgreSQL, a file dropped in landing → sensor → run for its period → marts updated."""

from __future__ import annotations

import dagster as dg
import pytest

from bma_pipeline.cli import run_pipeline
from bma_pipeline.definitions import build_definitions
from bma_pipeline.warehouse import connect
from bma_sample.submissions import generate_submissions

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_file_dropped_sensor_run_marts_updated_on_postgres(tmp_path, dagster_home, pg_database_url):
    landing, reports = tmp_path / "landing", tmp_path / "reports"
    generate_submissions(landing, 2566, [1], seed=3)
    defs = build_definitions(pg_database_url, str(landing), str(reports))
    instance = dg.DagsterInstance.get()
    assert type(instance.run_storage).__name__ == "PostgresRunStorage"

    sensor = defs.resolve_sensor_def("landing_sensor")
    with dg.build_sensor_context(
        instance=instance,
        repository_def=defs.get_repository_def(),
        resources={name: defs.resources[name] for name in ("settings", "warehouse")},
    ) as context:
        tick = sensor.evaluate_tick(context)
    assert [r.partition_key for r in tick.run_requests] == ["2566-P1"]

    result = run_pipeline(
        landing,
        pg_database_url,
        reports,
        as_of="2023-01-05T09:00:00",
        quiet=True,
        period=tick.run_requests[0].partition_key,
    )
    assert result.success

    # Dagster's own state is in PostgreSQL and survives a new instance (a restart).
    restarted = dg.DagsterInstance.get()
    runs = restarted.get_runs()
    assert [r.run_id for r in runs] == [result.run_id]
    assert runs[0].tags.get("dagster/partition") == "2566-P1"
    materialized = restarted.get_latest_materialization_event(
        dg.AssetKey(["marts", "mart_group_progress"])
    )
    assert materialized is not None and materialized.run_id == result.run_id

    with connect(pg_database_url, read_only=True) as wh:
        groups = wh.query(
            "select group_code, progress_pct from marts.mart_group_progress "
            "where period_key = '2566-P1' order by group_code"
        )
        files = wh.scalar("select count(*) from raw.submission_files")
    assert list(groups["group_code"]) == ["CITY", "G1", "G2", "G3"]
    assert all(float(p) > 0 for p in groups["progress_pct"])
    assert files == len([p for p in landing.glob("*/*") if p.is_file()])
