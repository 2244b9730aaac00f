"""Invariants of the sample catalogue (`bma_sample/catalogue/*.csv`) and the city's reference data
(`bma_pipeline/reference/city/*.csv`)."""

from __future__ import annotations

import pandas as pd
import pytest

from bma_pipeline.reference.catalog import CITY_DIR, CITY_DTYPES, Catalog
from bma_sample.catalogue import DATA_DIR, DTYPES, sample_catalogue

DEPARTMENT_CODES = {
    "SED", "FIN", "BUD", "CSC", "CTI", "PER", "ARO", "OPS", "GSO", "CSO", "HLT",
    "MED", "SOC", "EDU", "ENV", "CST", "CLE", "FRD", "PWD", "DDS", "TTD", "CPD",
}  # fmt: skip
DIMENSIONS = {
    "safety", "travel", "health", "creative", "environment",
    "structure", "management", "education", "economy",
}  # fmt: skip
# Infrastructure-and-safety KPIs the source names: (English name, measure unit, aggregation).
NAMED_KPIS = [
    ("Footpaths repaired", "km", "sum"),
    ("Canals dredged", "canals", "sum"),
    ("Drains cleaned", "km", "sum"),
    ("Street lights repaired", "lamps", "sum"),
    ("CCTV cameras working", "%", "last"),
    ("Pedestrian crossings inspected", "points", "sum"),
    ("Street-vendor points organised", "points", "sum"),
    ("Disaster drills held", "times", "sum"),
    ("Risk spots inspected", "points", "sum"),
    ("BKK Risk Map updates", "times", "sum"),
]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return sample_catalogue()


def _districts(catalog: Catalog) -> set[str]:
    units = catalog.units
    return set(units.loc[units["unit_type"] == "district", "unit_code"])


def test_csv_columns_are_exactly_the_contract() -> None:
    for directory, tables in ((DATA_DIR, DTYPES), (CITY_DIR, CITY_DTYPES)):
        for name, dtypes in tables.items():
            header = (directory / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
            assert header.split(",") == list(dtypes), name


def test_216_policies_each_in_one_dimension_and_one_group(catalog: Catalog) -> None:
    policies = catalog.policies
    assert len(policies) == 216
    assert list(policies["policy_code"]) == [f"P{i:03d}" for i in range(1, 217)]
    assert set(policies["dimension_code"]) == DIMENSIONS
    assert set(policies["group_code"]) == {"G1", "G2", "G3"}
    assert set(catalog.dimensions["dimension_code"]) == DIMENSIONS
    assert list(catalog.mission_groups["group_code"]) == ["G1", "G2", "G3"]


def test_at_least_300_kpis_and_every_policy_has_one(catalog: Catalog) -> None:
    kpis = catalog.kpis
    assert len(kpis) >= 300
    assert kpis["kpi_code"].str.fullmatch(r"K\d{4}").all()
    assert kpis["kpi_code"].is_unique
    assert set(kpis["policy_code"]) == set(catalog.policies["policy_code"])
    assert set(kpis["direction"]) == {"increase", "decrease"}
    assert set(kpis["aggregation"]) == {"sum", "last"}
    percent = kpis[kpis["is_percentage"]]
    assert (percent["aggregation"] == "last").all()
    assert (percent["measure_unit_en"] == "%").all()


def test_72_units_22_departments_and_50_districts(catalog: Catalog) -> None:
    units = catalog.units
    assert len(units) == 72
    departments = units[units["unit_type"] == "department"]
    assert set(departments["unit_code"]) == DEPARTMENT_CODES
    assert departments["group_code"].notna().all()
    assert _districts(catalog) == {str(code) for code in range(1001, 1051)}
    districts = units[units["unit_type"] == "district"]
    assert districts["name_th"].str.startswith("สำนักงานเขต").all()
    assert districts["name_en"].str.endswith(" District Office").all()
    assert districts["group_code"].isna().all()


def test_every_policy_has_a_lead_unit(catalog: Catalog) -> None:
    leads = catalog.assignments[catalog.assignments["role"] == "H"]
    assert set(leads["policy_code"]) == set(catalog.policies["policy_code"])
    assert set(catalog.assignments["role"]) == {"H", "R"}
    assert not catalog.assignments.duplicated(["policy_code", "unit_code"]).any()


def test_at_least_40_policies_have_every_district_as_support(catalog: Catalog) -> None:
    assignments = catalog.assignments
    support = assignments[
        (assignments["role"] == "R") & assignments["unit_code"].isin(_districts(catalog))
    ]
    per_policy = support.groupby("policy_code")["unit_code"].nunique()
    assert (per_policy == 50).sum() >= 40


def test_every_target_is_for_a_unit_assigned_to_the_kpis_policy(catalog: Catalog) -> None:
    targets = catalog.targets.merge(catalog.kpis[["kpi_code", "policy_code"]], on="kpi_code")
    assert len(targets) == len(catalog.targets), "a target names an unknown KPI"
    assigned = targets.merge(
        catalog.assignments, on=["policy_code", "unit_code"], how="left", indicator=True
    )
    assert (assigned["_merge"] == "both").all()
    assert not catalog.targets.duplicated(["fiscal_year", "kpi_code", "unit_code"]).any()


def test_targets_cover_two_years_with_a_few_pairs_left_out(catalog: Catalog) -> None:
    targets = catalog.targets
    assert catalog.fiscal_years == [2566, 2567]
    pairs = catalog.kpis.merge(catalog.assignments, on="policy_code")
    for year in (2566, 2567):
        share = (targets["fiscal_year"] == year).sum() / len(pairs)
        assert 0.95 < share < 0.995, (year, share)
    assert 4000 <= (targets["fiscal_year"] == 2566).sum() <= 6000
    assert (targets["annual_target"] >= 0).all()


def test_zero_targets_are_few_and_only_on_increase_kpis(catalog: Catalog) -> None:
    zero = catalog.targets[catalog.targets["annual_target"] == 0].merge(catalog.kpis, on="kpi_code")
    assert 1 <= len(zero) <= 10
    assert (zero["direction"] == "increase").all()


def test_drainage_keeps_2000_km_and_districts_about_4000(catalog: Catalog) -> None:
    drains = catalog.kpis.loc[catalog.kpis["name_en"] == "Drains cleaned", "kpi_code"].item()
    targets = catalog.targets[
        (catalog.targets["kpi_code"] == drains) & (catalog.targets["fiscal_year"] == 2566)
    ]
    by_unit = targets.set_index("unit_code")["annual_target"]
    assert by_unit.get("DDS") == 2000
    district_total = by_unit[by_unit.index.isin(_districts(catalog))].sum()
    assert 3600 <= district_total <= 4000


@pytest.mark.parametrize(("name_en", "measure_en", "aggregation"), NAMED_KPIS)
def test_named_infrastructure_kpis_exist(
    catalog: Catalog, name_en: str, measure_en: str, aggregation: str
) -> None:
    match = catalog.kpis[catalog.kpis["name_en"] == name_en]
    assert len(match) == 1, name_en
    kpi = match.iloc[0]
    assert kpi["measure_unit_en"] == measure_en
    assert kpi["aggregation"] == aggregation
    assert kpi["direction"] == "increase"
    policy = kpi["policy_code"]
    assigned = catalog.assignments[catalog.assignments["policy_code"] == policy]
    assert set(assigned["unit_code"]) >= _districts(catalog), f"{name_en}: not every district"


def test_key_projects_flag_policies_for_both_years(catalog: Catalog) -> None:
    key = catalog.key_projects
    counts = key.groupby("fiscal_year").size()
    assert 20 <= counts[2566] <= 30
    assert counts[2567] >= 10
    assert set(key["policy_code"]) <= set(catalog.policies["policy_code"])


def test_thai_names_round_trip_as_utf8(catalog: Catalog, tmp_path) -> None:
    raw = (CITY_DIR / "units.csv").read_bytes().decode("utf-8")
    assert "สำนักงานเขตพระนคร" in raw
    assert "สำนักการระบายน้ำ" in raw
    units = catalog.units.set_index("unit_code")
    assert units.at["1001", "name_th"] == "สำนักงานเขตพระนคร"
    assert units.at["DDS", "abbrev_th"] == "สนน."
    dimensions = catalog.dimensions.set_index("dimension_code")
    assert dimensions.at["safety", "name_th"] == "ปลอดภัยดี"
    # Written and read again, every Thai text is unchanged.
    catalog.kpis.to_csv(tmp_path / "kpis.csv", index=False, encoding="utf-8")
    again = pd.read_csv(tmp_path / "kpis.csv", dtype=DTYPES["kpis"], encoding="utf-8")
    pd.testing.assert_frame_equal(again, catalog.kpis)
    thai = catalog.kpis["name_th"].str.contains(r"[\u0E00-\u0E7F]")
    assert thai.all()
