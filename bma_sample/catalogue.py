"""The sample catalogue: a realistic set of the governor's 216 policies with their dimensions,
projects, KPIs, H/R units and two years of targets — data for the sample plans, not a part of
the pipeline.

What belongs here: reading the committed CSVs of `bma_sample/catalogue/` into a `Catalog`,
the sample city plan of a fiscal year as `PlanContent`, and one lead unit's mid-year
revision. The official catalogue is not public in a usable form; magnitudes follow public
figures where there are any (the Drainage department keeps 213 canals and 2,000 km of drains,
the districts 948 canals and 4,000 km). What does not: how plans are read (the pipeline).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd

from bma_pipeline.plans.workbook import PlanContent
from bma_pipeline.reference.catalog import Catalog, read_city_reference

DATA_DIR = Path(__file__).parent / "catalogue"
_TEXT = "string"
DTYPES: dict[str, dict[str, str]] = {
    "policies": {
        "policy_code": _TEXT,
        "title_th": _TEXT,
        "title_en": _TEXT,
        "dimensions": _TEXT,
        "group_code": _TEXT,
    },
    "projects": {"project_code": _TEXT, "policy_code": _TEXT, "title_th": _TEXT, "title_en": _TEXT},
    "kpis": {
        "kpi_code": _TEXT,
        "policy_code": _TEXT,
        "project_code": _TEXT,
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


@lru_cache(maxsize=1)
def sample_catalogue() -> Catalog:
    """The sample catalogue with the city's reference data (cached: it is read-only)."""
    frames = {
        name: pd.read_csv(DATA_DIR / f"{name}.csv", dtype=dtypes, encoding="utf-8")
        for name, dtypes in DTYPES.items()
    }
    policies = frames["policies"]
    policies = policies.assign(dimension_code=policies["dimensions"].str.split(",").str[0])
    city = read_city_reference()
    return Catalog(
        mission_groups=city["mission_groups"],
        dimensions=city["dimensions"],
        units=city["units"],
        policies=policies,
        projects=frames["projects"],
        kpis=frames["kpis"],
        assignments=frames["assignments"],
        targets=frames["targets"],
        key_projects=frames["key_projects"],
    )


def plan_of_year(catalog: Catalog, fiscal_year: int, effective_from: int = 1) -> PlanContent:
    """A catalogue's plan for one fiscal year: every policy, its projects, KPIs, assignments
    and that year's targets and key-project flags."""
    key = set(
        catalog.key_projects.loc[catalog.key_projects["fiscal_year"] == fiscal_year, "policy_code"]
    )
    policies = catalog.policies.assign(
        dimensions=catalog.policies["dimensions"].str.split(","),
        is_key_project=catalog.policies["policy_code"].isin(key),
    )
    targets = catalog.targets[catalog.targets["fiscal_year"] == fiscal_year]
    return PlanContent(
        fiscal_year=fiscal_year,
        effective_from=effective_from,
        policies=policies,
        projects=catalog.projects,
        kpis=catalog.kpis,
        assignments=catalog.assignments,
        targets=targets.drop(columns=["fiscal_year"]),
    )


@dataclass(frozen=True)
class Revision:
    """One lead unit's mid-year revision of one policy (DOMAIN §6): a target raised, a
    supporting district added with a target, a KPI retired — in force from `effective_from`."""

    sender: str = "DDS"
    policy_code: str = "P123"  # removing water hyacinth from canals
    effective_from: int = 3
    raised_kpi: str = "K0203"  # tonnes of hyacinth removed: DDS's target goes up
    raised_to: float = 50_000.0
    added_unit: str = "1001"  # Phra Nakhon joins as a supporting unit
    added_target: float = 450.0
    retired_kpi: str = "K0204"  # % of canals clear: dropped from the plan

    def applies_to(self, catalog: Catalog, fiscal_year: int) -> bool:
        """The catalogue has the policy, led by the sender, with the raised KPI that year."""
        leads = catalog.assignments[
            (catalog.assignments["policy_code"] == self.policy_code)
            & (catalog.assignments["unit_code"] == self.sender)
            & (catalog.assignments["role"] == "H")
        ]
        targets = catalog.targets[
            (catalog.targets["fiscal_year"] == fiscal_year)
            & (catalog.targets["kpi_code"] == self.raised_kpi)
        ]
        return not leads.empty and not targets.empty

    def received_at(self, fiscal_year: int) -> datetime:
        """Three weeks into the revision's first period, at 10:00 Bangkok time."""
        from bma_pipeline.fiscal import Period

        start = Period(fiscal_year, self.effective_from).start_date
        return datetime(start.year, start.month, 21, 10, 0)

    def apply(self, plan: PlanContent) -> PlanContent:
        """The revision file's content: the policy alone, with the changes."""
        policy = self.policy_code
        kpis = plan.kpis[
            (plan.kpis["policy_code"] == policy) & (plan.kpis["kpi_code"] != self.retired_kpi)
        ]
        assignments = plan.assignments[plan.assignments["policy_code"] == policy]
        assignments = pd.concat(
            [
                assignments,
                pd.DataFrame([{"policy_code": policy, "unit_code": self.added_unit, "role": "R"}]),
            ],
            ignore_index=True,
        )
        targets = plan.targets[plan.targets["kpi_code"].isin(kpis["kpi_code"])].copy()
        raised = (targets["kpi_code"] == self.raised_kpi) & (targets["unit_code"] == self.sender)
        targets.loc[raised, "annual_target"] = self.raised_to
        added = pd.DataFrame(
            [
                {
                    "kpi_code": self.raised_kpi,
                    "unit_code": self.added_unit,
                    "annual_target": self.added_target,
                }
            ]
        )
        return replace(
            plan,
            effective_from=self.effective_from,
            policies=plan.policies[plan.policies["policy_code"] == policy],
            projects=plan.projects[plan.projects["policy_code"] == policy],
            kpis=kpis,
            assignments=assignments,
            targets=pd.concat([targets, added], ignore_index=True),
        )


def city_plan_received_at(fiscal_year: int) -> datetime:
    """SED circulates the city plan two weeks before the fiscal year begins (15 September)."""
    from bma_pipeline.fiscal import be_to_ce

    return datetime(be_to_ce(fiscal_year) - 1, 9, 15, 10, 0)
