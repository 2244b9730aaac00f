"""Fiscal bi-monthly partitions: one partition per reporting period, keyed `2566-P2`.

Dagster's time-window partitions format keys from CE dates; the BMA names periods
by Buddhist-Era fiscal year, so the keys are static and generated from the fiscal
calendar (`bma_pipeline.fiscal`), in chronological order.
"""

from __future__ import annotations

import dagster as dg

from bma_pipeline.fiscal import Period, periods_of_year

FIRST_FISCAL_YEAR = 2566
LAST_FISCAL_YEAR = 2572  # extend when the catalogue gains later years


def period_keys(first: int = FIRST_FISCAL_YEAR, last: int = LAST_FISCAL_YEAR) -> list[str]:
    return [p.key for year in range(first, last + 1) for p in periods_of_year(year)]


period_partitions = dg.StaticPartitionsDefinition(period_keys())


def period_of(context: dg.AssetExecutionContext) -> Period | None:
    """The run's period when partitioned, else None (meaning: every period with data)."""
    return Period.from_key(context.partition_key) if context.has_partition_key else None
