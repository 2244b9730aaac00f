"""Write the reference catalogue into the warehouse schema `reference`.

Each table is replaced whole in one transaction: reference data is small and
versioned in the repository, so the warehouse copy is always exactly the shipped one.
"""

from __future__ import annotations

import pandas as pd

from bma_pipeline.reference.catalog import Catalog
from bma_pipeline.warehouse import Warehouse

REFERENCE_SCHEMA = "reference"

_SQL_TYPES = {
    "string": "varchar",
    "boolean": "boolean",
    "int64": "integer",
    "float64": "double precision",
}


def _sql_type(series: pd.Series) -> str:
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    return _SQL_TYPES.get(str(series.dtype), "varchar")


def load_reference_tables(wh: Warehouse, catalog: Catalog) -> dict[str, int]:
    """Replace every reference table; returns row counts by table name."""
    counts: dict[str, int] = {}
    with wh.transaction():
        for name, frame in catalog.tables().items():
            columns = {column: _sql_type(frame[column]) for column in frame.columns}
            counts[name] = wh.replace(REFERENCE_SCHEMA, name, frame, columns)
    return counts
