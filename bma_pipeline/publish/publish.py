"""The `bi` schema that BI tools read, switched only to builds that passed the gate.

Each mart is copied into `bi_store.<mart>` and exposed as the view `bi.<mart>`, all in
one transaction. When the gate fails nothing here runs, so the previous good build
stays published.

On DuckDB the published build is also a file of its own beside the warehouse,
`<warehouse stem>.bi.duckdb` (schema `bi`, one table per mart), for BI tools and people:
DuckDB lets no other process open a file that a writer holds, even read-only, so readers of
the warehouse itself would meet every run. The file is built under a temporary name and
renamed over the previous one after the warehouse's `bi` switched: a reader opens the old
build or the new one, and a reader that has the old one open keeps reading it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from bma_pipeline.lineage import mart_models
from bma_pipeline.warehouse import Warehouse, WarehouseLocation, quote_ident


def published_marts() -> tuple[str, ...]:
    """Every model in the `marts` schema — the marts and the report models — as the dbt
    manifest lists them (`bma_pipeline.lineage`): a new mart is published without a list here."""
    return mart_models()


_STAGED = "bma_bi_next"  # the catalog name of the bi file while it is being built


def bi_file_of(location: WarehouseLocation) -> Path | None:
    """The published bi file of a DuckDB warehouse (`data/warehouse.bi.duckdb` for
    `data/warehouse.duckdb`); None on PostgreSQL, where readers use the `bi` views."""
    if location.kind != "duckdb":
        return None
    path = Path(location.target)
    return path.with_name(f"{path.stem}.bi.duckdb")


def _sql_text(value: str) -> str:
    """A string literal for statements that take no parameters (ATTACH)."""
    return "'" + value.replace("'", "''") + "'"


def _stage_bi_file(wh: Warehouse, marts: tuple[str, ...], target: Path) -> Path:
    """Build the bi file under a temporary name beside `target`; returns that name."""
    staged = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    for leftover in (staged, Path(f"{staged}.wal")):
        leftover.unlink(missing_ok=True)  # from a run killed while building
    wh.execute(f"attach {_sql_text(str(staged))} as {_STAGED}")
    try:
        wh.execute(f"create schema {_STAGED}.bi")
        for mart in marts:
            name = quote_ident(mart)
            wh.execute(f"create table {_STAGED}.bi.{name} as select * from marts.{name}")
        wh.execute(f"checkpoint {_STAGED}")
    finally:
        wh.execute(f"detach {_STAGED}")
    return staged


def publish_marts(wh: Warehouse, marts: tuple[str, ...] | None = None) -> dict[str, int]:
    """Snapshot every mart and point its `bi` view at the snapshot; returns row counts.

    On DuckDB the bi file is built first and renamed into place once the views switched.
    """
    marts = published_marts() if marts is None else marts
    wh.ensure_schema("bi_store")
    wh.ensure_schema("bi")
    target = bi_file_of(wh.location)
    staged = _stage_bi_file(wh, marts, target) if target is not None else None
    counts: dict[str, int] = {}
    try:
        with wh.transaction():
            for mart in marts:
                wh.execute(f"drop view if exists bi.{mart}")
                wh.execute(f"drop table if exists bi_store.{mart}")
                wh.execute(f"create table bi_store.{mart} as select * from marts.{mart}")
                wh.execute(f"create view bi.{mart} as select * from bi_store.{mart}")
                counts[mart] = int(wh.scalar(f"select count(*) from bi_store.{mart}"))
    except BaseException:
        if staged is not None:
            with contextlib.suppress(FileNotFoundError):
                staged.unlink()
        raise
    if staged is not None and target is not None:
        os.replace(staged, target)
    if wh.kind == "postgres":
        from bma_pipeline.publish.grants import grant_bi_reader

        grant_bi_reader(wh)
    return counts
