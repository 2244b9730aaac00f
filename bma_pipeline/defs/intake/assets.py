"""Intake: landing files → the raw ledger (`raw.submission_files`, `raw.submission_rows`)."""

from collections.abc import Iterator

import dagster as dg

from bma_pipeline.defs.metadata import intake_metadata, log_intake
from bma_pipeline.defs.partitions import period_partitions
from bma_pipeline.defs.reference.assets import reference_key
from bma_pipeline.defs.resources import OWNER, WAREHOUSE_POOL, PipelineSettings, WarehouseResource
from bma_pipeline.defs.retries import retry_on_transient_errors
from bma_pipeline.intake.ledger import ingest_landing

SUBMISSION_FILES = dg.AssetKey(["raw", "submission_files"])
SUBMISSION_ROWS = dg.AssetKey(["raw", "submission_rows"])


@dg.multi_asset(
    name="submission_intake",
    specs=[
        dg.AssetSpec(
            SUBMISSION_FILES,
            group_name="intake",
            description="Ledger of every received file: path, unit folder, SHA-256, bytes, "
            "received time, outcome (ingested / duplicate / rejected / superseded_partial, "
            "or incomplete while a file is still being written) and reason.",
            kinds={"pandas", "sql"},
            owners=[OWNER],
            deps=[reference_key("units")],
        ),
        dg.AssetSpec(
            SUBMISSION_ROWS,
            group_name="intake",
            description="Every data row of every ingested file: original cells as text and "
            "the parsed values. Holds reporters' personal data: never granted to BI.",
            kinds={"pandas", "sql"},
            owners=[OWNER],
        ),
    ],
    partitions_def=period_partitions,
    pool=WAREHOUSE_POOL,
)
def submission_intake(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    settings: PipelineSettings,
) -> Iterator[dg.MaterializeResult]:
    """Scan the landing folder and record each new whole file exactly once.

    The ledger is one exactly-once stream: a period's run takes every new file,
    whichever period it reports, so no file waits for a run that may never come. A file
    still being written waits in the ledger as `incomplete` for a later run.
    """
    with retry_on_transient_errors(context), warehouse.connect() as wh:
        known_units = set(wh.query("select unit_code from reference.units")["unit_code"])
        report = ingest_landing(
            wh,
            settings.landing_path,
            known_units,
            max_bytes=settings.max_file_bytes,
            progress=context.log.info,
            settle_seconds=settings.settle_seconds,
        )
    log_intake(context, report, "file")
    yield dg.MaterializeResult(asset_key=SUBMISSION_FILES, metadata=intake_metadata(report))
    yield dg.MaterializeResult(
        asset_key=SUBMISSION_ROWS, metadata={"rows_ingested": report.rows_ingested}
    )
