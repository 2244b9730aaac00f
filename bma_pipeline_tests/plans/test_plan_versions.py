"""The policy-level replacement rule (DOMAIN §6), on versions written out by hand."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from bma_pipeline.plans.versions import policy_in_force, policy_validity, versions_of

FILES = pd.DataFrame(
    {
        "plan_version_id": [1, 2, 3, 4],
        "sender_unit": ["SED", "DDS", "SED", "SED"],
        "file_name": ["city.xlsx", "dds_rev.xlsx", "city_p5.xlsx", "late.xlsx"],
        "path": ["SED/plans/city.xlsx", "DDS/plans/dds_rev.xlsx", "SED/plans/c.xlsx", "x"],
        "received_at": pd.to_datetime(
            ["2022-09-20 10:00", "2023-01-15 09:00", "2023-05-02 08:00", "2023-07-01 08:00"]
        ),
    }
)
PLAN_ROWS = pd.DataFrame(
    {
        "plan_version_id": [1, 2, 3, 4],
        "fiscal_year": [2566, 2566, 2566, 2566],
        "effective_from": [None, 3, 5, 1],
    }
)
# version 1 holds P001 and P002; DDS revises P001 from P3; SED revises P002 from P5; a file
# received after the as-of time (version 4) is not a version yet.
POLICIES = pd.DataFrame(
    {"plan_version_id": [1, 1, 2, 3, 4], "policy_code": ["P001", "P002", "P001", "P002", "P001"]}
)
AS_OF = datetime(2023, 6, 1)


def _versions():
    return versions_of(FILES, PLAN_ROWS, AS_OF)


def test_every_accepted_file_received_by_as_of_is_a_version():
    versions = _versions()
    assert versions["plan_version_id"].tolist() == [1, 2, 3]
    assert versions["effective_from"].tolist() == [1, 3, 5]  # blank means period 1


def test_a_version_replaces_its_policies_from_its_period_on():
    validity = policy_validity(_versions(), POLICIES).set_index(["policy_code", "plan_version_id"])
    assert validity.loc[("P001", 1), ["valid_from_period", "valid_to_period"]].tolist() == [1, 2]
    assert validity.loc[("P001", 2), ["valid_from_period", "valid_to_period"]].tolist() == [3, 6]
    assert validity.loc[("P002", 1), ["valid_from_period", "valid_to_period"]].tolist() == [1, 4]
    assert validity.loc[("P002", 3), ["valid_from_period", "valid_to_period"]].tolist() == [5, 6]
    assert validity.loc[("P001", 2), "replaces_version_id"] == 1
    assert pd.isna(validity.loc[("P001", 1), "replaces_version_id"])


def test_the_plan_in_force_for_every_period():
    in_force = policy_in_force(policy_validity(_versions(), POLICIES))
    table = in_force.pivot(index="policy_code", columns="period_no", values="plan_version_id")
    assert table.loc["P001"].tolist() == [1, 1, 2, 2, 2, 2]
    assert table.loc["P002"].tolist() == [1, 1, 1, 1, 3, 3]


def test_a_later_version_from_period_1_takes_every_period():
    versions = versions_of(FILES, PLAN_ROWS, datetime(2023, 8, 1))  # version 4 now received
    validity = policy_validity(versions, POLICIES).set_index(["policy_code", "plan_version_id"])
    assert validity.loc[("P001", 4), ["valid_from_period", "valid_to_period"]].tolist() == [1, 6]
    assert validity.loc[("P001", 2), ["valid_from_period", "valid_to_period"]].isna().all()
    assert validity.loc[("P001", 4), "replaces_version_id"] == 1  # in force at P1 when it came
