"""What submission validation needs of the plan in force: for each fiscal year and period, the
KPIs in force (with their policy) and the units assigned (H or R) to each policy.

What belongs here: the `PlanInForce` value and its lookups, built from schema `plans`
(`store.read_plan_in_force`), from plan tables in memory, or from a whole-year `Catalog` (a
plan in force from period 1 to 6: tests, and `check` on a sample). What does not: deciding
which version is in force (`versions.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bma_pipeline.fiscal import PERIODS_PER_YEAR

KPI_COLUMNS = ["fiscal_year", "period_no", "kpi_code", "policy_code"]
ASSIGNMENT_COLUMNS = ["fiscal_year", "period_no", "policy_code", "unit_code", "role"]


@dataclass(frozen=True)
class PlanInForce:
    """The KPIs and assignments in force per (fiscal year, period), and the known units."""

    units: frozenset[str]
    fiscal_years: tuple[int, ...]
    kpis: pd.DataFrame  # KPI_COLUMNS
    assignments: pd.DataFrame  # ASSIGNMENT_COLUMNS

    @classmethod
    def empty(cls, units: frozenset[str]) -> PlanInForce:
        return cls(
            units, (), pd.DataFrame(columns=KPI_COLUMNS), pd.DataFrame(columns=ASSIGNMENT_COLUMNS)
        )

    @classmethod
    def of_catalog(cls, catalog) -> PlanInForce:  # noqa: ANN001 - reference.catalog.Catalog
        """A catalogue as a plan in force for all six periods of each year it has targets for."""
        years = catalog.fiscal_years
        periods = pd.DataFrame(
            [(y, p) for y in years for p in range(1, PERIODS_PER_YEAR + 1)],
            columns=["fiscal_year", "period_no"],
        )
        kpis = periods.merge(catalog.kpis[["kpi_code", "policy_code"]], how="cross")
        assignments = periods.merge(
            catalog.assignments[["policy_code", "unit_code", "role"]], how="cross"
        )
        return cls(
            frozenset(catalog.units["unit_code"]),
            tuple(years),
            kpis[KPI_COLUMNS],
            assignments[ASSIGNMENT_COLUMNS],
        )

    @property
    def known_kpis(self) -> set[str]:
        """Every KPI of any period in force."""
        return set(self.kpis["kpi_code"])
