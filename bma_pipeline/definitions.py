"""The one place that assembles the code location: assets, checks and resources per layer.

Settings come from environment variables (defaults = the embedded DuckDB set-up):
BMA_WAREHOUSE (DuckDB path or PostgreSQL URL), BMA_LANDING_DIR, BMA_REPORTS_DIR,
BMA_AS_OF (Bangkok wall time, ISO; default: now), BMA_DEADLINE_DAYS (default 10),
BMA_SETTLE_SECONDS (how long a landing file must stay unchanged before it is taken; default
30), BMA_DUCKDB_MEMORY_LIMIT (the pipeline's DuckDB connections, default 512MB) and
BMA_DBT_DUCKDB_MEMORY_LIMIT (dbt's, default 1GB). This module is the only one that reads
the environment; everything else receives these values as resource config.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import dagster as dg

from bma_pipeline.defs.intake.assets import submission_intake
from bma_pipeline.defs.intake.sensors import landing_sensor
from bma_pipeline.defs.jobs import compliance_refresh_job, period_pipeline_job
from bma_pipeline.defs.minutes.assets import minutes_intake, minutes_quarantined_rows
from bma_pipeline.defs.minutes.checks import commitments_overdue, minutes_ledger_conservation
from bma_pipeline.defs.plans.assets import plan_intake, plan_quarantined_rows, plan_versions
from bma_pipeline.defs.plans.checks import plan_ledger_conservation
from bma_pipeline.defs.publish.assets import bi_published
from bma_pipeline.defs.reference.assets import reference_tables
from bma_pipeline.defs.reports.assets import run_summary
from bma_pipeline.defs.reports.dashboards import (
    executive_dashboard,
    executive_reports,
    meeting_reports,
    report_index,
)
from bma_pipeline.defs.reports.feedback import (
    minutes_feedback,
    plan_feedback,
    submission_feedback,
)
from bma_pipeline.defs.resources import PipelineSettings, WarehouseResource
from bma_pipeline.defs.schedules import build_schedules
from bma_pipeline.defs.transform.assets import bma_dbt_models
from bma_pipeline.defs.transform.project import dbt_project
from bma_pipeline.defs.transform.resource import VENV_DBT_EXECUTABLE, BmaDbtCliResource
from bma_pipeline.defs.validation.assets import quarantined_rows
from bma_pipeline.defs.validation.checks import ledger_conservation, quarantine_rate_per_unit
from bma_pipeline.fiscal import DEFAULT_DEADLINE_DAYS
from bma_pipeline.intake.ledger import DEFAULT_SETTLE_SECONDS
from bma_pipeline.warehouse import DEFAULT_DBT_DUCKDB_MEMORY_LIMIT, DEFAULT_DUCKDB_MEMORY_LIMIT


def build_definitions(
    warehouse_url: str,
    landing_dir: str,
    reports_dir: str,
    as_of: str | None = None,
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
    loggers: Mapping[str, dg.LoggerDefinition] | None = None,
    settle_seconds: float = DEFAULT_SETTLE_SECONDS,
    duckdb_memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT,
    dbt_duckdb_memory_limit: str = DEFAULT_DBT_DUCKDB_MEMORY_LIMIT,
) -> dg.Definitions:
    return dg.Definitions(
        loggers=loggers,
        jobs=[period_pipeline_job, compliance_refresh_job],
        schedules=build_schedules(deadline_days),
        sensors=[landing_sensor],
        assets=[
            reference_tables,
            plan_intake,
            plan_quarantined_rows,
            plan_versions,
            minutes_intake,
            minutes_quarantined_rows,
            submission_intake,
            quarantined_rows,
            bma_dbt_models,
            run_summary,
            submission_feedback,
            plan_feedback,
            minutes_feedback,
            bi_published,
            executive_dashboard,
            meeting_reports,
            executive_reports,
            report_index,
        ],
        asset_checks=[
            ledger_conservation,
            quarantine_rate_per_unit,
            plan_ledger_conservation,
            minutes_ledger_conservation,
            commitments_overdue,
        ],
        resources={
            "warehouse": WarehouseResource(
                url=warehouse_url,
                duckdb_memory_limit=duckdb_memory_limit,
                dbt_duckdb_memory_limit=dbt_duckdb_memory_limit,
            ),
            "settings": PipelineSettings(
                landing_dir=landing_dir,
                reports_dir=reports_dir,
                as_of=as_of,
                deadline_days=deadline_days,
                settle_seconds=settle_seconds,
            ),
            "dbt": BmaDbtCliResource(
                project_dir=dbt_project,
                profiles_dir=dbt_project.profiles_dir,
                dbt_executable=VENV_DBT_EXECUTABLE,
            ),
        },
    )


defs = build_definitions(
    warehouse_url=os.getenv("BMA_WAREHOUSE", "data/warehouse.duckdb"),
    landing_dir=os.getenv("BMA_LANDING_DIR", "data/landing"),
    reports_dir=os.getenv("BMA_REPORTS_DIR", "data/reports"),
    as_of=os.getenv("BMA_AS_OF") or None,
    deadline_days=int(os.getenv("BMA_DEADLINE_DAYS", str(DEFAULT_DEADLINE_DAYS))),
    settle_seconds=float(os.getenv("BMA_SETTLE_SECONDS", str(DEFAULT_SETTLE_SECONDS))),
    duckdb_memory_limit=os.getenv("BMA_DUCKDB_MEMORY_LIMIT", DEFAULT_DUCKDB_MEMORY_LIMIT),
    dbt_duckdb_memory_limit=os.getenv(
        "BMA_DBT_DUCKDB_MEMORY_LIMIT", DEFAULT_DBT_DUCKDB_MEMORY_LIMIT
    ),
)
