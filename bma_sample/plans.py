"""The sample plans in the landing folder: SED's city plan for a fiscal year and one lead unit's
mid-year revision, each with a simulated received time — the front door the pipeline takes
its catalogue through.

What belongs here: writing them (`write_sample_plans`) with the pipeline's own plan writer,
and the catalogue as the revision leaves it (`revised_catalogue`, for the submissions the
sample units send from the revision's period on). What does not: the plan layout
(`bma_pipeline/plans/workbook.py`, `bma_pipeline/workbook_writer.py`) or the sample data
(`catalogue.py`).
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from bma_pipeline.plans.workbook import write_plan_workbook
from bma_pipeline.reference.catalog import Catalog
from bma_sample.catalogue import Revision, city_plan_received_at, plan_of_year

BANGKOK = ZoneInfo("Asia/Bangkok")
SED = "SED"


def _set_mtime(path: Path, at: datetime) -> None:
    stamp = at.replace(tzinfo=BANGKOK).timestamp()
    os.utime(path, (stamp, stamp))


def city_plan_path(out_dir: Path, fiscal_year: int) -> Path:
    return Path(out_dir) / SED / "plans" / f"{fiscal_year}_city_plan.xlsx"


def write_sample_plans(
    out_dir: Path, fiscal_year: int, catalog: Catalog, revision: Revision | None
) -> list[Path]:
    """The city plan (SED, in force from P1) and, if any, the revision (its sender's folder)."""
    plan = plan_of_year(catalog, fiscal_year)
    received = city_plan_received_at(fiscal_year)
    city = write_plan_workbook(
        plan,
        city_plan_path(out_dir, fiscal_year),
        f"แผนปฏิบัติการกรุงเทพมหานคร ปีงบประมาณ {fiscal_year} (สยป.)",
        created=received,
    )
    _set_mtime(city, received)
    paths = [city]
    if revision is not None:
        name = f"{fiscal_year}_{revision.policy_code}_revision_P{revision.effective_from}.xlsx"
        path = write_plan_workbook(
            revision.apply(plan),
            Path(out_dir) / revision.sender / "plans" / name,
            f"ปรับแผนปฏิบัติการ นโยบาย {revision.policy_code} ปีงบประมาณ {fiscal_year} "
            f"({revision.sender}) มีผลตั้งแต่งวดที่ {revision.effective_from}",
            created=revision.received_at(fiscal_year),
        )
        _set_mtime(path, revision.received_at(fiscal_year))
        paths.append(path)
    return paths


def revised_catalogue(catalog: Catalog, fiscal_year: int, revision: Revision) -> Catalog:
    """The catalogue with the revised policy's KPIs, assignments and that year's targets as the
    revision has them (the plan in force from the revision's period on)."""
    revised = revision.apply(plan_of_year(catalog, fiscal_year))
    policy = revision.policy_code
    kpis = pd.concat(
        [catalog.kpis[catalog.kpis["policy_code"] != policy], revised.kpis], ignore_index=True
    )
    assignments = pd.concat(
        [catalog.assignments[catalog.assignments["policy_code"] != policy], revised.assignments],
        ignore_index=True,
    )
    policy_kpis = set(catalog.kpis.loc[catalog.kpis["policy_code"] == policy, "kpi_code"])
    others = catalog.targets[
        ~(
            (catalog.targets["fiscal_year"] == fiscal_year)
            & catalog.targets["kpi_code"].isin(policy_kpis)
        )
    ]
    targets = pd.concat(
        [others, revised.targets.assign(fiscal_year=fiscal_year)], ignore_index=True
    ).astype(catalog.targets.dtypes.to_dict())
    return replace(
        catalog,
        kpis=kpis.astype(catalog.kpis.dtypes.to_dict()),
        assignments=assignments.astype(catalog.assignments.dtypes.to_dict()),
        targets=targets,
    )
