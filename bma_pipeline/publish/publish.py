"""The `bi` schema that BI tools read, switched only to builds that passed the gate.

Each mart is copied into `bi_store.<mart>` and exposed as the view `bi.<mart>`, all in
one transaction. When the gate fails nothing here runs, so the previous good build
stays published.
"""

from __future__ import annotations

from bma_pipeline.lineage import mart_models
from bma_pipeline.warehouse import Warehouse


def published_marts() -> tuple[str, ...]:
    """Every model in the `marts` schema — the marts and the report models — as the dbt
    manifest lists them (`bma_pipeline.lineage`): a new mart is published without a list here."""
    return mart_models()


def publish_marts(wh: Warehouse, marts: tuple[str, ...] | None = None) -> dict[str, int]:
    """Snapshot every mart and point its `bi` view at the snapshot; returns row counts."""
    marts = published_marts() if marts is None else marts
    wh.ensure_schema("bi_store")
    wh.ensure_schema("bi")
    counts: dict[str, int] = {}
    with wh.transaction():
        for mart in marts:
            wh.execute(f"drop view if exists bi.{mart}")
            wh.execute(f"drop table if exists bi_store.{mart}")
            wh.execute(f"create table bi_store.{mart} as select * from marts.{mart}")
            wh.execute(f"create view bi.{mart} as select * from bi_store.{mart}")
            counts[mart] = int(wh.scalar(f"select count(*) from bi_store.{mart}"))
    if wh.kind == "postgres":
        from bma_pipeline.publish.grants import grant_bi_reader

        grant_bi_reader(wh)
    return counts
