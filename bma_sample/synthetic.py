"""Synthetic catalogues for load tests: many years, or a nationwide set of units.

What belongs here: deterministic builders of a `Catalog` larger than the sample one — the
sample catalogue with its targets repeated over more fiscal years (`catalog_for_years`), and
a nationwide catalogue of local administrations, each with a fixed number of KPIs
(`nationwide_catalog`) — and `write_catalogue`, which writes any catalogue the way the
pipeline takes it: the units, groups and dimensions as a reference folder, and one SED plan
workbook per fiscal year in the landing folder. What does not: the sample catalogue itself
(`catalogue.py`) or anything the pipeline runs in production.

Unit codes follow the contract's pattern (`validation.schemas.UNIT_CODE_PATTERN`):
districts 1001–1050 and three upper-case letters. The nationwide units beyond
Bangkok's therefore get synthetic three-letter codes (26³ = 17,576 are possible),
typed `district` — they report the way district offices do.
"""

from __future__ import annotations

import itertools
import string
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from bma_pipeline.reference.catalog import Catalog
from bma_sample.catalogue import sample_catalogue

NATIONWIDE_UNITS = 7_850  # local administrations in Thailand, Bangkok included
KPIS_PER_UNIT = 50
SEED = 2566
# Share of a policy's assigned units that lead it (H); the rest support it (R).
LEAD_SHARE = 0.05
# Kinds of local administration, with their share of the synthetic units.
_LOCAL_KINDS = (
    ("องค์การบริหารส่วนจังหวัด", "Provincial Administrative Organisation", 0.01),
    ("เทศบาล", "Municipality", 0.31),
    ("องค์การบริหารส่วนตำบล", "Subdistrict Administrative Organisation", 0.68),
)


def catalog_for_years(fiscal_years: list[int], base: Catalog | None = None) -> Catalog:
    """`base` (default: the shipped catalogue) with targets and key projects for `fiscal_years`.

    Year number i takes the targets of the base's i-th year, cycling through the base
    years in order, so each synthetic year is a real year's set of targets.
    """
    base = base if base is not None else sample_catalogue()
    base_years = base.fiscal_years
    targets, key_projects = [], []
    for i, year in enumerate(sorted(fiscal_years)):
        source = base_years[i % len(base_years)]
        targets.append(base.targets[base.targets["fiscal_year"] == source].assign(fiscal_year=year))
        projects = base.key_projects[base.key_projects["fiscal_year"] == source]
        key_projects.append(projects.assign(fiscal_year=year))
    return replace(
        base,
        targets=_typed(pd.concat(targets, ignore_index=True), base.targets),
        key_projects=_typed(pd.concat(key_projects, ignore_index=True), base.key_projects),
    )


def nationwide_catalog(
    n_units: int = NATIONWIDE_UNITS,
    kpis_per_unit: int = KPIS_PER_UNIT,
    fiscal_years: tuple[int, ...] = (2566,),
    seed: int = SEED,
) -> Catalog:
    """The shipped groups, dimensions, policies and KPIs over `n_units` units.

    Bangkok's units keep their codes; the rest are local administrations with
    three-letter codes. Every unit is assigned whole policies until it has exactly
    `kpis_per_unit` KPIs (a policy that would overshoot is skipped), and has a target
    for each of them every year: the KPI's median Bangkok target scaled by a factor
    drawn per (unit, KPI). Every assigned policy has at least one lead (H) unit.
    """
    base = sample_catalogue()
    rng = np.random.default_rng(seed)
    units = _nationwide_units(base.units, n_units, rng)

    kpi_counts = base.kpis.groupby("policy_code")["kpi_code"].count()
    policy_codes = kpi_counts.index.to_numpy()
    sizes = kpi_counts.to_numpy()
    unit_codes = units["unit_code"].to_numpy()
    assigned_policy: list[np.ndarray] = []
    for _ in unit_codes:
        order = rng.permutation(len(policy_codes))
        # Policies in a random order; keep those that still fit into the KPI budget.
        chosen: list[int] = []
        total = 0
        for index, size in zip(order, sizes[order], strict=True):
            if total + size <= kpis_per_unit:
                chosen.append(index)
                total += size
                if total == kpis_per_unit:
                    break
        assigned_policy.append(policy_codes[np.array(chosen, dtype=int)])
    counts = [len(p) for p in assigned_policy]
    assignments = pd.DataFrame(
        {
            "policy_code": np.concatenate(assigned_policy),
            "unit_code": np.repeat(unit_codes, counts),
        }
    )
    is_lead = rng.random(len(assignments)) < LEAD_SHARE
    first_of_policy = ~assignments["policy_code"].duplicated()
    assignments["role"] = np.where(is_lead | first_of_policy.to_numpy(), "H", "R")
    assignments = assignments.sort_values(["policy_code", "unit_code"], ignore_index=True)

    pairs = assignments.merge(base.kpis[["kpi_code", "policy_code", "is_percentage"]])
    median = base.targets.groupby("kpi_code")["annual_target"].median()
    targets = []
    for year in fiscal_years:
        scale = rng.uniform(0.5, 1.5, len(pairs))
        value = pairs["kpi_code"].map(median).fillna(100.0).to_numpy() * scale
        is_pct = pairs["is_percentage"].fillna(False).to_numpy(dtype=bool)
        value = np.where(is_pct, np.minimum(value, 100.0), value)
        targets.append(
            pd.DataFrame(
                {
                    "fiscal_year": year,
                    "kpi_code": pairs["kpi_code"],
                    "unit_code": pairs["unit_code"],
                    "annual_target": np.round(value, 1),
                }
            )
        )
    base_projects = base.key_projects[base.key_projects["fiscal_year"] == base.fiscal_years[0]]
    key_projects = pd.concat(
        [base_projects.assign(fiscal_year=year) for year in fiscal_years], ignore_index=True
    )
    return replace(
        base,
        units=_typed(units, base.units),
        assignments=_typed(assignments[["policy_code", "unit_code", "role"]], base.assignments),
        targets=_typed(
            pd.concat(targets, ignore_index=True).sort_values(
                ["fiscal_year", "unit_code", "kpi_code"], ignore_index=True
            ),
            base.targets,
        ),
        key_projects=_typed(key_projects, base.key_projects),
    )


def _nationwide_units(
    bangkok: pd.DataFrame, n_units: int, rng: np.random.Generator
) -> pd.DataFrame:
    taken = set(bangkok["unit_code"])
    n_local = n_units - len(bangkok)
    if n_local < 0:
        raise ValueError(f"n_units must be at least Bangkok's {len(bangkok)} units")
    letters = ("".join(c) for c in itertools.product(string.ascii_uppercase, repeat=3))
    codes = list(itertools.islice((c for c in letters if c not in taken), n_local))
    shares = np.array([share for *_, share in _LOCAL_KINDS])
    kinds = rng.choice(len(_LOCAL_KINDS), size=n_local, p=shares / shares.sum())
    local = pd.DataFrame(
        {
            "unit_code": codes,
            "unit_type": "district",
            "name_th": [f"{_LOCAL_KINDS[k][0]} {c}" for k, c in zip(kinds, codes, strict=True)],
            "name_en": [f"{_LOCAL_KINDS[k][1]} {c}" for k, c in zip(kinds, codes, strict=True)],
            "abbrev_th": None,
            "group_code": None,
        }
    )
    return pd.concat([bangkok, local.astype(bangkok.dtypes.to_dict())], ignore_index=True)


def _typed(frame: pd.DataFrame, like: pd.DataFrame) -> pd.DataFrame:
    """`frame` with the columns and dtypes of the shipped table `like`."""
    return frame[list(like.columns)].astype(like.dtypes.to_dict()).reset_index(drop=True)


def write_catalogue(catalog: Catalog, landing: Path, reference_dir: Path) -> list[Path]:
    """The units, groups and dimensions as CSVs in `reference_dir` (the pipeline's
    `reference_dir` setting) and SED's plan for each fiscal year in `landing`."""
    from bma_sample.plans import write_sample_plans

    reference_dir.mkdir(parents=True, exist_ok=True)
    for name in ("units", "mission_groups", "dimensions"):
        getattr(catalog, name).to_csv(reference_dir / f"{name}.csv", index=False)
    return [
        path
        for year in catalog.fiscal_years
        for path in write_sample_plans(landing, year, catalog, revision=None)
    ]
