"""The city's reference data, and the in-memory shape of a whole-year catalogue.

What belongs here: reading the city reference CSVs shipped with the package
(`reference/city/`: the units — 22 departments and the 50 district offices —, the three
mission groups and the nine dimensions; SED replaces them by pointing the `reference_dir`
setting at a folder of the same three files), and `Catalog`, a plan for whole fiscal years
held in memory (the sample plans, tests, the benchmarks' synthetic catalogues). What does
not: policies, KPIs, assignments or targets at run time — they come from the plans
(`bma_pipeline/plans/`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from bma_pipeline.columns import REFERENCE_TABLES
from bma_pipeline.fiscal import periods_of_year

CITY_DIR = Path(__file__).parent / "city"

# The registry's reference tables; codes stay text even when they look like numbers (1001).
CITY_DTYPES: dict[str, dict[str, str]] = {
    table.name: {name: "string" for name in table.names} for table in REFERENCE_TABLES
}


class ReferenceDataError(ValueError):
    """A reference folder is missing a file or a column."""


def read_city_reference(directory: Path = CITY_DIR) -> dict[str, pd.DataFrame]:
    """units, mission_groups and dimensions from `directory` (default: the shipped ones)."""
    frames = {}
    for name, dtypes in CITY_DTYPES.items():
        path = Path(directory) / f"{name}.csv"
        if not path.is_file():
            raise ReferenceDataError(f"reference data: {path} is missing")
        frame = pd.read_csv(path, dtype=dtypes, encoding="utf-8")
        absent = sorted(set(dtypes) - set(frame.columns))
        if absent:
            raise ReferenceDataError(f"reference data: {path} lacks the columns {absent}")
        frames[name] = frame[list(dtypes)]
    return frames


def _empty(*columns: str) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in columns})


@dataclass(frozen=True)
class Catalog:
    """A plan for whole fiscal years in memory: every table in canonical columns.

    `policies` has `dimension_code` (the primary dimension) and `dimensions` (every one,
    comma-separated, primary first); `kpis` may have `project_code`.
    """

    mission_groups: pd.DataFrame
    dimensions: pd.DataFrame
    units: pd.DataFrame
    policies: pd.DataFrame
    kpis: pd.DataFrame
    assignments: pd.DataFrame
    targets: pd.DataFrame
    key_projects: pd.DataFrame
    projects: pd.DataFrame = field(
        default_factory=lambda: _empty("project_code", "policy_code", "title_th", "title_en")
    )

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
