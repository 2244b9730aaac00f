"""The `bi` schema that BI tools read, switched only to builds that passed the gate.

Each mart is copied into `bi_store.<mart>` and exposed as the view `bi.<mart>`, all in
one transaction. When the gate fails nothing here runs, so the previous good build
stays published.
"""

from __future__ import annotations

from bma_pipeline.warehouse import Warehouse

PUBLISHED_MARTS = (
    "fct_kpi_progress",
    "mart_policy_progress",
    "mart_unit_progress",
    "mart_group_progress",
    "mart_submission_compliance",
    "mart_obstacles",
    "dim_policy",
    "dim_kpi",
    "dim_unit",
    "dim_group",
    "dim_dimension",
    "dim_period",
    "dim_assignment",
    "dim_target",
    "rpt_policy_lead_units",
    "rpt_most_lagging_policies",
    "rpt_kpi_unit_attention",
    "rpt_kpi_units_by_status",
    "rpt_submission_file_row_counts",
)


def publish_marts(wh: Warehouse, marts: tuple[str, ...] = PUBLISHED_MARTS) -> dict[str, int]:
    """Snapshot every mart and point its `bi` view at the snapshot; returns row counts."""
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
