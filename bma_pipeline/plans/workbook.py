"""An action plan as a workbook: the rows of a plan in canonical columns (`PlanContent`) and
`write_plan_workbook`, which hands them to the generic writer (`bma_pipeline.workbook_writer`).
Used by `bma-pipeline plan-template` and the sample generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from bma_pipeline.columns import PLAN
from bma_pipeline.workbook_writer import write_workbook


@dataclass
class PlanContent:
    """A plan's rows in canonical columns; `dimensions` is a list of codes per policy."""

    fiscal_year: int
    effective_from: int
    policies: pd.DataFrame
    projects: pd.DataFrame
    kpis: pd.DataFrame
    assignments: pd.DataFrame
    targets: pd.DataFrame

    def sheet(self, name: str) -> pd.DataFrame:
        if name == "plan":
            return pd.DataFrame(
                {"fiscal_year": [self.fiscal_year], "effective_from": [self.effective_from]}
            )
        return getattr(self, name)


def write_plan_workbook(
    content: PlanContent, path: Path, title: str, created: datetime | None = None
) -> Path:
    """Write the plan to `path` (an .xlsx), every sheet even when it has no rows."""
    frames = {layout.name: content.sheet(layout.name) for layout in PLAN.sheets}
    return write_workbook(PLAN, frames, path, title, created)
