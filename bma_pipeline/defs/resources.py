"""Resources shared by the layers: where the warehouse is and the run's settings.

Configured only in `bma_pipeline/definitions.py` (from environment variables);
assets receive them as arguments and never read the environment themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
from pydantic import Field, field_validator

from bma_pipeline.fiscal import DEFAULT_DEADLINE_DAYS
from bma_pipeline.intake.ledger import DEFAULT_SETTLE_SECONDS
from bma_pipeline.intake.readers import DEFAULT_MAX_BYTES
from bma_pipeline.minutes.rules import DEFAULT_GRACE_DAYS
from bma_pipeline.reference.catalog import CITY_DIR
from bma_pipeline.warehouse import (
    DEFAULT_DBT_DUCKDB_MEMORY_LIMIT,
    DEFAULT_DUCKDB_MEMORY_LIMIT,
    DEFAULT_LOCK_TIMEOUT_S,
    Warehouse,
    WarehouseLocation,
    check_memory_limit,
    connect,
)

BANGKOK = ZoneInfo("Asia/Bangkok")
WAREHOUSE_POOL = "warehouse"  # DuckDB has one writer at a time: every writer is in this pool.
OWNER = "team:strategy-evaluation"


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse: a DuckDB file path (default) or a PostgreSQL URL."""

    url: str = Field(description="DuckDB file path, or postgresql://user@host:port/db")
    duckdb_memory_limit: str = Field(
        default=DEFAULT_DUCKDB_MEMORY_LIMIT,
        description="DuckDB buffer pool of the pipeline's own connections (e.g. 512MB); "
        "larger work spills to disk",
    )
    dbt_duckdb_memory_limit: str = Field(
        default=DEFAULT_DBT_DUCKDB_MEMORY_LIMIT,
        description="DuckDB buffer pool of dbt's connection, a separate process (e.g. 1GB)",
    )

    @field_validator("duckdb_memory_limit", "dbt_duckdb_memory_limit")
    @classmethod
    def _memory_size(cls, value: str) -> str:
        return check_memory_limit(value)

    @property
    def location(self) -> WarehouseLocation:
        return WarehouseLocation.parse(self.url)

    @contextmanager
    def connect(
        self, read_only: bool = False, lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S
    ) -> Iterator[Warehouse]:
        with connect(
            self.url,
            read_only=read_only,
            memory_limit=self.duckdb_memory_limit,
            lock_timeout_s=lock_timeout_s,
        ) as wh:
            yield wh


class PipelineSettings(dg.ConfigurableResource):
    """Folders and business settings of a run."""

    landing_dir: str = Field(description="landing/<unit_code>/<file> root")
    reports_dir: str = Field(description="where reports, feedback files and summaries go")
    as_of: str | None = Field(
        default=None,
        description="'Now' for compliance (Bangkok wall time, ISO); default: the current time",
    )
    deadline_days: int = Field(
        default=DEFAULT_DEADLINE_DAYS, description="days after a period ends until it is due"
    )
    max_file_bytes: int = Field(default=DEFAULT_MAX_BYTES, description="larger files are rejected")
    settle_seconds: float = Field(
        default=DEFAULT_SETTLE_SECONDS,
        description="a landing file is taken once its size and modification time have not "
        "changed for this long (≥ 0 s; 0 takes any file that does not change while read)",
    )
    quarantine_warn_rate: float = Field(
        default=0.10, description="a unit whose quarantined share exceeds this gets a warning"
    )
    meeting_grace_days: int = Field(
        default=DEFAULT_GRACE_DAYS,
        description="minutes may report a meeting held up to this many days after the "
        "period's submission deadline (later meeting dates are quarantined)",
    )
    reference_dir: str = Field(
        default=str(CITY_DIR),
        description="folder of units.csv, mission_groups.csv and dimensions.csv (the city's "
        "reference data; default: the files shipped with the package)",
    )

    def as_of_time(self) -> datetime:
        if self.as_of:
            return datetime.fromisoformat(self.as_of).replace(tzinfo=None)
        return datetime.now(BANGKOK).replace(tzinfo=None, microsecond=0)

    @property
    def landing_path(self) -> Path:
        return Path(self.landing_dir)

    @property
    def reports_path(self) -> Path:
        return Path(self.reports_dir)

    @property
    def reference_path(self) -> Path:
        return Path(self.reference_dir)
