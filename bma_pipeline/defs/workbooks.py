"""The intake asset of a workbook kind (plans, minutes): its files ledger and rows as one
multi-asset over `intake/workbook_ledger.py`, the same for every kind."""

from collections.abc import Iterator

import dagster as dg

from bma_pipeline.columns import Workbook
from bma_pipeline.defs.metadata import intake_metadata, log_intake
from bma_pipeline.defs.reference.assets import reference_key
from bma_pipeline.defs.resources import OWNER, WAREHOUSE_POOL, PipelineSettings, WarehouseResource
from bma_pipeline.defs.retries import retry_on_transient_errors
from bma_pipeline.intake.workbook_ledger import ingest_workbooks


def files_key(kind: Workbook) -> dg.AssetKey:
    return dg.AssetKey(["raw", kind.files.name])


def rows_key(kind: Workbook) -> dg.AssetKey:
    return dg.AssetKey(["raw", kind.rows.name])


def quarantine_key(kind: Workbook) -> dg.AssetKey:
    return dg.AssetKey(["raw", kind.quarantine.name])


def workbook_intake(
    kind: Workbook,
    group: str,
    files_description: str,
    rows_description: str,
    partitions_def: dg.PartitionsDefinition | None = None,
) -> dg.AssetsDefinition:
    """Scan landing/<unit>/<kind folder>/ and record each new whole workbook exactly once."""

    @dg.multi_asset(
        name=f"{kind.name}_intake",
        specs=[
            dg.AssetSpec(
                files_key(kind),
                group_name=group,
                description=files_description,
                kinds={"pandas", "sql"},
                owners=[OWNER],
                deps=[reference_key("units")],
            ),
            dg.AssetSpec(
                rows_key(kind),
                group_name=group,
                description=rows_description,
                kinds={"pandas", "sql"},
                owners=[OWNER],
            ),
        ],
        partitions_def=partitions_def,
        pool=WAREHOUSE_POOL,
    )
    def intake(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource, settings: PipelineSettings
    ) -> Iterator[dg.MaterializeResult]:
        with retry_on_transient_errors(context), warehouse.connect() as wh:
            units = set(wh.query("select unit_code from reference.units")["unit_code"])
            report = ingest_workbooks(
                wh,
                settings.landing_path,
                kind,
                units,
                max_bytes=settings.max_file_bytes,
                progress=context.log.info,
                settle_seconds=settings.settle_seconds,
            )
        log_intake(context, report, kind.name)
        yield dg.MaterializeResult(asset_key=files_key(kind), metadata=intake_metadata(report))
        yield dg.MaterializeResult(
            asset_key=rows_key(kind), metadata={"rows_ingested": report.rows_ingested}
        )

    return intake
