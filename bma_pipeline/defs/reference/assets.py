"""Reference tables: the city's units, mission groups and dimensions (schema `reference`)."""

from collections.abc import Iterator

import dagster as dg

from bma_pipeline.columns import REFERENCE_SCHEMA, REFERENCE_TABLES
from bma_pipeline.defs.resources import OWNER, WAREHOUSE_POOL, PipelineSettings, WarehouseResource
from bma_pipeline.defs.retries import retry_on_transient_errors
from bma_pipeline.reference.catalog import read_city_reference
from bma_pipeline.reference.load import load_reference_tables


def reference_key(table: str) -> dg.AssetKey:
    return dg.AssetKey([REFERENCE_SCHEMA, table])


@dg.multi_asset(
    name="reference_tables",
    specs=[
        dg.AssetSpec(
            reference_key(table.name),
            group_name="reference",
            description=table.description,
            kinds={"pandas", "sql"},
            owners=[OWNER],
        )
        for table in REFERENCE_TABLES
    ],
    pool=WAREHOUSE_POOL,
)
def reference_tables(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, settings: PipelineSettings
) -> Iterator[dg.MaterializeResult]:
    """Load the reference CSVs (the `reference_dir` setting) into the schema `reference`."""
    frames = read_city_reference(settings.reference_path)
    with retry_on_transient_errors(context), warehouse.connect() as wh:
        counts = load_reference_tables(wh, frames)
    for table, rows in counts.items():
        yield dg.MaterializeResult(
            asset_key=reference_key(table),
            metadata={"dagster/row_count": rows, "source": str(settings.reference_path)},
        )
