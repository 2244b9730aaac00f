"""Publishing: the GX gate over the marts, then the `bi` views BI tools read (and, on DuckDB,
the published bi file)."""

import dagster as dg

from bma_pipeline.defs.resources import OWNER, WAREHOUSE_POOL, PipelineSettings, WarehouseResource
from bma_pipeline.defs.retries import retry_on_transient_errors
from bma_pipeline.publish.gate import run_gate
from bma_pipeline.publish.publish import PUBLISHED_MARTS, bi_file_of, publish_marts


@dg.asset(
    key=dg.AssetKey(["bi", "published_marts"]),
    group_name="marts",
    description="The `bi` views BI tools read (as bma_bi_reader), switched to the new build "
    "only when the Great Expectations gate passes; otherwise the last good build stays. On "
    "DuckDB also the file <warehouse stem>.bi.duckdb, swapped in by rename, for readers.",
    kinds={"sql"},
    owners=[OWNER],
    deps=[dg.AssetKey(["marts", name]) for name in PUBLISHED_MARTS],
    pool=WAREHOUSE_POOL,
)
def bi_published(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, settings: PipelineSettings
) -> dg.MaterializeResult:
    docs = settings.reports_path / "data_docs"
    with warehouse.connect(read_only=True) as wh:
        gate = run_gate(wh, docs)
    metadata = {
        "expectations_evaluated": gate.evaluated,
        "expectations_failed": len(gate.failures),
        "data_docs": dg.MetadataValue.path(str(gate.report_path.resolve()))
        if gate.report_path
        else "none",
    }
    if not gate.passed:
        named = "\n".join(f"- {f}" for f in gate.failures)
        raise dg.Failure(
            description="The publish gate failed; the previous build stays published in `bi`:\n"
            + named,
            metadata=metadata,
        )
    with retry_on_transient_errors(context), warehouse.connect() as wh:
        counts = publish_marts(wh)
    metadata["rows_published"] = sum(counts.values())
    bi_file = bi_file_of(warehouse.location)
    if bi_file is not None:
        metadata["bi_file"] = dg.MetadataValue.path(str(bi_file))
    return dg.MaterializeResult(metadata=metadata)
