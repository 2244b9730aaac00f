"""Jobs that schedules and sensors launch, all on the fiscal period partitions."""

from __future__ import annotations

import dagster as dg

from bma_pipeline.defs.partitions import period_partitions

# Steps run in the run's own process: the warehouse pool lets one step at a time write anyway,
# and a process per step (Dagster's default) cost each of ~40 steps a start-up of several
# seconds (a sensor-launched run took minutes; `bma-pipeline run` already ran in-process).
RUN_EXECUTOR = dg.in_process_executor

# A new file, a backfill, or the bi-monthly rollup: everything for one period.
period_pipeline_job = dg.define_asset_job(
    "period_pipeline_job",
    selection=dg.AssetSelection.all(),
    partitions_def=period_partitions,
    executor_def=RUN_EXECUTOR,
    description="Ingest, validate, transform, publish and report one reporting period.",
)

# Daily while submissions arrive: the ledger and the marts, without rendering reports.
compliance_refresh_job = dg.define_asset_job(
    "compliance_refresh_job",
    selection=dg.AssetSelection.groups(
        "reference", "plans", "minutes", "intake", "validation", "transform", "marts"
    ),
    partitions_def=period_partitions,
    executor_def=RUN_EXECUTOR,
    description="Refresh the ledger and marts so late and missing submissions show up daily.",
)
