"""Load the shipped reference CSVs into a `Catalog` of pandas frames.

What belongs here: reading `reference/data/*.csv` with the right dtypes and the
`periods` table derived from the fiscal calendar. What does not: building the
sample catalogue (`build_catalog.py`) or writing it to the warehouse (the
reference assets).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import pandas as pd

from bma_pipeline.fiscal import periods_of_year

DATA_DIR = Path(__file__).parent / "data"

# Columns that are codes stay text even when they look like numbers (unit 1001).
_TEXT = "string"
DTYPES: dict[str, dict[str, str]] = {
    "mission_groups": {"group_code": _TEXT, "name_th": _TEXT, "name_en": _TEXT},
    "dimensions": {"dimension_code": _TEXT, "name_th": _TEXT, "name_en": _TEXT},
    "units": {
        "unit_code": _TEXT,
        "unit_type": _TEXT,
        "name_th": _TEXT,
        "name_en": _TEXT,
        "abbrev_th": _TEXT,
        "group_code": _TEXT,
    },
    "policies": {
        "policy_code": _TEXT,
        "title_th": _TEXT,
        "title_en": _TEXT,
        "dimension_code": _TEXT,
        "group_code": _TEXT,
    },
    "kpis": {
        "kpi_code": _TEXT,
        "policy_code": _TEXT,
        "name_th": _TEXT,
        "name_en": _TEXT,
        "measure_unit_th": _TEXT,
        "measure_unit_en": _TEXT,
        "direction": _TEXT,
        "aggregation": _TEXT,
        "is_percentage": "boolean",
    },
    "assignments": {"policy_code": _TEXT, "unit_code": _TEXT, "role": _TEXT},
    "targets": {
        "fiscal_year": "int64",
        "kpi_code": _TEXT,
        "unit_code": _TEXT,
        "annual_target": "float64",
    },
    "key_projects": {"fiscal_year": "int64", "policy_code": _TEXT},
}


@dataclass(frozen=True)
class Catalog:
    """The reference data every layer validates and joins against."""

    mission_groups: pd.DataFrame
    dimensions: pd.DataFrame
    units: pd.DataFrame
    policies: pd.DataFrame
    kpis: pd.DataFrame
    assignments: pd.DataFrame
    targets: pd.DataFrame
    key_projects: pd.DataFrame

    @property
    def fiscal_years(self) -> list[int]:
        """Fiscal years (BE) that have targets: the years submissions may report."""
        return sorted(int(y) for y in self.targets["fiscal_year"].unique())

    def periods(self) -> pd.DataFrame:
        rows = [
            {
                "fiscal_year": p.fiscal_year,
                "period_no": p.period_no,
                "period_key": p.key,
                "start_date": p.start_date,
                "end_date": p.end_date,
            }
            for year in self.fiscal_years
            for p in periods_of_year(year)
        ]
        frame = pd.DataFrame(rows)
        frame["start_date"] = pd.to_datetime(frame["start_date"])
        frame["end_date"] = pd.to_datetime(frame["end_date"])
        return frame

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every reference table by its warehouse name (schema `reference`)."""
        tables = {f.name: getattr(self, f.name) for f in fields(self)}
        tables["periods"] = self.periods()
        return tables


def read_catalog(data_dir: Path) -> Catalog:
    frames = {
        name: pd.read_csv(data_dir / f"{name}.csv", dtype=dtypes, encoding="utf-8")
        for name, dtypes in DTYPES.items()
    }
    return Catalog(**frames)


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The catalogue shipped with the package (cached: it is read-only)."""
    return read_catalog(DATA_DIR)
