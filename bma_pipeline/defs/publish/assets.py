"""Publishing: the GX gate over the marts, then the `bi` views BI tools read (and, on DuckDB,
the published bi file), then the gate's Data Docs.

The docs are written after the switch and apart from it: a reports folder that cannot take
them leaves a WARN check and a logged warning naming the folder, and the new build published.
"""

import dagster as dg

from bma_pipeline.defs.resources import OWNER, WAREHOUSE_POOL, PipelineSettings, WarehouseResource
from bma_pipeline.defs.retries import retry_on_transient_errors
from bma_pipeline.outputs import OutputNotWritten
from bma_pipeline.publish.gate import GateResult, run_gate, write_docs
from bma_pipeline.publish.publish import bi_file_of, publish_marts, published_marts

PUBLISHED = dg.AssetKey(["bi", "published_marts"])
DOCS_CHECK = "data_docs_written"


def _write_docs(
    context: dg.AssetExecutionContext, gate: GateResult, settings: PipelineSettings
) -> dg.AssetCheckResult:
    """Write the gate's docs; a failure is a warning, never a reason not to publish."""
    docs = settings.reports_path / "data_docs"
    try:
        page = write_docs(gate, docs)
    except OutputNotWritten as exc:
        context.log.warning(f"{exc}; the build is published regardless")
        return dg.AssetCheckResult(
            check_name=DOCS_CHECK,
            passed=False,
            severity=dg.AssetCheckSeverity.WARN,
            description=str(exc),
            metadata={"folder": dg.MetadataValue.path(str(docs.resolve())), "error": str(exc)},
        )
    return dg.AssetCheckResult(
        check_name=DOCS_CHECK,
        passed=True,
        metadata={"data_docs": dg.MetadataValue.path(str(page.resolve()))},
    )


@dg.asset(
    key=PUBLISHED,
    group_name="marts",
    description="The `bi` views BI tools read (as bma_bi_reader), switched to the new build "
    "only when the Great Expectations gate passes; otherwise the last good build stays. On "
    "DuckDB also the file <warehouse stem>.bi.duckdb, swapped in by rename, for readers.",
    kinds={"sql"},
    owners=[OWNER],
    deps=[dg.AssetKey(["marts", name]) for name in published_marts()],
    pool=WAREHOUSE_POOL,
    check_specs=[
        dg.AssetCheckSpec(
            DOCS_CHECK,
            asset=PUBLISHED,
            description="The gate's Data Docs were written to <reports>/data_docs (WARN: "
            "publishing never waits on them).",
        )
    ],
)
def bi_published(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, settings: PipelineSettings
) -> dg.MaterializeResult:
    with warehouse.connect(read_only=True) as wh:
        gate = run_gate(wh)
    metadata: dict[str, dg.RawMetadataValue] = {
        "expectations_evaluated": gate.evaluated,
        "expectations_failed": len(gate.failures),
    }
    if not gate.passed:
        docs = _write_docs(context, gate, settings)  # so the failures can be read there
        named = "\n".join(f"- {f}" for f in gate.failures)
        if gate.hint:
            named += f"\nLikely cause: {gate.hint}."
        raise dg.Failure(
            description="The publish gate failed; the previous build stays published in `bi`:\n"
            + named,
            metadata={**metadata, "data_docs": docs.description or "written"},
        )
    with retry_on_transient_errors(context), warehouse.connect() as wh:
        counts = publish_marts(wh)
    metadata["rows_published"] = sum(counts.values())
    bi_file = bi_file_of(warehouse.location)
    if bi_file is not None:
        metadata["bi_file"] = dg.MetadataValue.path(str(bi_file))
    docs = _write_docs(context, gate, settings)
    metadata["data_docs"] = (
        dg.MetadataValue.path(str(gate.report_path.resolve()))
        if gate.report_path
        else f"not written: {docs.description}"
    )
    return dg.MaterializeResult(metadata=metadata, check_results=[docs])
