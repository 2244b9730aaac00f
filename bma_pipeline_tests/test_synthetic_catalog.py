"""Synthetic catalogues for load tests: sizes, codes and referential integrity."""

from pathlib import Path

import pandas as pd
import pytest

from bma_pipeline.generator import generate_submissions
from bma_pipeline.reference.catalog import load_catalog, read_catalog
from bma_pipeline.reference.synthetic import catalog_for_years, nationwide_catalog, write_catalog
from bma_pipeline.validation.schemas import UNIT_CODE_PATTERN


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
    bangkok = set(load_catalog().units["unit_code"])
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
    base = load_catalog()
    years = list(range(2566, 2576))
    catalog = catalog_for_years(years)
    assert catalog.fiscal_years == years
    first = base.targets[base.targets["fiscal_year"] == base.fiscal_years[0]]
    for year in years:
        assert (catalog.targets["fiscal_year"] == year).sum() > 0
    assert (catalog.targets["fiscal_year"] == years[0]).sum() == len(first)
    _assert_referential_integrity(catalog)


def test_written_catalog_reads_back_and_feeds_the_generator(small_nationwide, tmp_path: Path):
    directory = write_catalog(small_nationwide, tmp_path / "catalog")
    back = read_catalog(directory)
    pd.testing.assert_frame_equal(back.targets, small_nationwide.targets)
    pd.testing.assert_frame_equal(back.units, small_nationwide.units)
    report = generate_submissions(tmp_path / "landing", 2566, [1], 7, catalog=back)
    assert report.n_rows > 0
    folders = {p.parent.name for p in report.files_written}
    assert folders <= set(back.units["unit_code"])
