"""Write the city's reference data into the warehouse schema `reference`.

Each table is replaced whole in one transaction: reference data is small, and the warehouse
copy is always exactly the reference folder's (the shipped one, or the `reference_dir` that
SED points the pipeline at).
"""

from __future__ import annotations

import pandas as pd

from bma_pipeline.columns import REFERENCE_SCHEMA, REFERENCE_TABLES
from bma_pipeline.warehouse import Warehouse


def load_reference_tables(wh: Warehouse, frames: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Replace every reference table; returns row counts by table name."""
    counts: dict[str, int] = {}
    with wh.transaction():
        for table in REFERENCE_TABLES:
            counts[table.name] = wh.replace(
                REFERENCE_SCHEMA, table.name, frames[table.name], table.sql_types
            )
    return counts
