"""Synthetic catalogues for load tests: sizes, codes and referential integrity."""

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from bma_pipeline.plans.store import load_plans
from bma_pipeline.validation.schemas import UNIT_CODE_PATTERN
from bma_pipeline.warehouse import connect
from bma_sample.catalogue import sample_catalogue
from bma_sample.submissions import generate_submissions
from bma_sample.synthetic import catalog_for_years, nationwide_catalog, write_catalogue


def _assert_referential_integrity(catalog) -> None:  # noqa: ANN001 - a Catalog
    units, kpis = set(catalog.units["unit_code"]), set(catalog.kpis["kpi_code"])
    policies = set(catalog.policies["policy_code"])
    assert set(catalog.assignments["unit_code"]) <= units
    assert set(catalog.assignments["policy_code"]) <= policies
    assert set(catalog.targets["unit_code"]) <= units
    assert set(catalog.targets["kpi_code"]) <= kpis
    # Every target belongs to a KPI whose policy assigns that unit.
    assigned = catalog.assignments[["policy_code", "unit_code"]].drop_duplicates()
    pairs = catalog.targets.merge(catalog.kpis[["kpi_code", "policy_code"]], on="kpi_code")
    joined = pairs.merge(assigned, on=["policy_code", "unit_code"], how="left", indicator=True)
    assert (joined["_merge"] == "both").all()
    assert not catalog.targets.duplicated(["fiscal_year", "kpi_code", "unit_code"]).any()


@pytest.fixture(scope="module")
def small_nationwide():
    return nationwide_catalog(n_units=300, kpis_per_unit=20, fiscal_years=(2566, 2567))


def test_nationwide_catalog_sizes_and_codes(small_nationwide):
    catalog = small_nationwide
    assert len(catalog.units) == 300
    assert catalog.units["unit_code"].is_unique
    assert catalog.units["unit_code"].str.fullmatch(UNIT_CODE_PATTERN).all()
    bangkok = set(sample_catalogue().units["unit_code"])
    assert bangkok <= set(catalog.units["unit_code"])
    per_unit = catalog.targets.groupby(["fiscal_year", "unit_code"]).size()
    assert (per_unit == 20).all()
    assert len(per_unit) == 300 * 2
    assert sorted(catalog.fiscal_years) == [2566, 2567]


def test_nationwide_catalog_integrity_and_leads(small_nationwide):
    catalog = small_nationwide
    _assert_referential_integrity(catalog)
    leads = catalog.assignments[catalog.assignments["role"] == "H"]
    assert set(leads["policy_code"]) == set(catalog.assignments["policy_code"])
    assert (catalog.targets["annual_target"] >= 0).all()


def test_nationwide_catalog_is_deterministic(small_nationwide):
    again = nationwide_catalog(n_units=300, kpis_per_unit=20, fiscal_years=(2566, 2567))
    pd.testing.assert_frame_equal(again.targets, small_nationwide.targets)
    pd.testing.assert_frame_equal(again.assignments, small_nationwide.assignments)


def test_catalog_for_years_repeats_real_targets():
    base = sample_catalogue()
    years = list(range(2566, 2576))
    catalog = catalog_for_years(years)
    assert catalog.fiscal_years == years
    first = base.targets[base.targets["fiscal_year"] == base.fiscal_years[0]]
    for year in years:
        assert (catalog.targets["fiscal_year"] == year).sum() > 0
    assert (catalog.targets["fiscal_year"] == years[0]).sum() == len(first)
    _assert_referential_integrity(catalog)


def test_written_catalogue_goes_through_plan_intake_and_feeds_the_generator(
    small_nationwide, tmp_path: Path
):
    landing, reference = tmp_path / "landing", tmp_path / "reference"
    plans = write_catalogue(small_nationwide, landing, reference)
    assert [p.relative_to(landing).as_posix() for p in plans] == [
        "SED/plans/2566_city_plan.xlsx",
        "SED/plans/2567_city_plan.xlsx",
    ]
    with connect(tmp_path / "w.duckdb") as wh:
        tables = load_plans(wh, landing, as_of=datetime(2024, 1, 1), reference_dir=reference)
        quarantined = wh.scalar("select count(*) from raw.plan_quarantined_rows")
    assert quarantined == 0
    back = tables.targets.sort_values(["fiscal_year", "unit_code", "kpi_code"], ignore_index=True)
    expected = small_nationwide.targets
    assert back[["fiscal_year", "kpi_code", "unit_code"]].astype(str).values.tolist() == (
        expected[["fiscal_year", "kpi_code", "unit_code"]].astype(str).values.tolist()
    )
    assert back["annual_target"].tolist() == expected["annual_target"].tolist()
    report = generate_submissions(landing, 2566, [1], 7, catalog=small_nationwide, plans=False)
    assert report.n_rows > 0
    folders = {p.parent.name for p in report.files_written}
    assert folders <= set(small_nationwide.units["unit_code"])
