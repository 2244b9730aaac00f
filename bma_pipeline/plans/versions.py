"""Plan versions and the plan in force (DOMAIN §6): which version's KPIs, assignments and targets
hold for each policy and period.

What belongs here: turning the accepted rows of every plan file into versions (one per
accepted file: fiscal year, sender, received time, `effective_from`), the policy-level
replacement rule — a version replaces, for each policy it contains, that policy's KPIs,
assignments and targets from its `effective_from` period on; the plan in force for (policy,
period p) is the latest version received by the as-of time whose `effective_from` ≤ p and
that contains the policy — each version's validity per policy (`valid_from_period`,
`valid_to_period`, and the version it replaced), and the tables of schema `plans` that
validation and dbt read. What does not: judging plan rows (`rules.py`) or progress (dbt).

Why here and not in dbt: submission validation judges each row against the plan in force for
its period (unknown KPI, unit not assigned), and it runs before dbt in the same run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from bma_pipeline.fiscal import PERIODS_PER_YEAR, periods_of_year
from bma_pipeline.plans.rules import dimension_codes

ALL_PERIODS = tuple(range(1, PERIODS_PER_YEAR + 1))
PERIOD_TARGET_COLUMNS = tuple(f"p{n}" for n in ALL_PERIODS)


@dataclass
class PlanTables:
    """The plans schema: versions, validity, the plan in force and every version's rows."""

    versions: pd.DataFrame
    policy_versions: pd.DataFrame
    policy_in_force: pd.DataFrame
    policies: pd.DataFrame
    policy_dimensions: pd.DataFrame
    projects: pd.DataFrame
    kpis: pd.DataFrame
    assignments: pd.DataFrame
    targets: pd.DataFrame
    periods: pd.DataFrame

    def as_dict(self) -> dict[str, pd.DataFrame]:
        return dict(self.__dict__)


def _version_order(versions: pd.DataFrame) -> pd.DataFrame:
    """Versions in the order they replace one another: received time, file name, file id."""
    return versions.sort_values(["received_at", "file_name", "plan_version_id"], kind="stable")


def received_by(files: pd.DataFrame, as_of: datetime) -> pd.DataFrame:
    """The rows of `files` (a `received_at` column) received by `as_of`."""
    return files[pd.to_datetime(files["received_at"]) <= pd.Timestamp(as_of)]


def versions_of(files: pd.DataFrame, plan_rows: pd.DataFrame, as_of: datetime) -> pd.DataFrame:
    """One version per accepted plan file received by `as_of` (its plan row accepted).

    `files`: plan_version_id (the file id), sender, file_name, path, received_at;
    `plan_rows`: the accepted `plan` sheet rows (plan_version_id, fiscal_year, effective_from).
    """
    plan = plan_rows.drop_duplicates("plan_version_id")[
        ["plan_version_id", "fiscal_year", "effective_from"]
    ]
    versions = files.merge(plan, on="plan_version_id", how="inner")
    versions = received_by(versions, as_of)
    versions = versions.assign(
        fiscal_year=versions["fiscal_year"].astype("int64"),
        effective_from=versions["effective_from"].fillna(1).astype("int64"),
    )
    return _version_order(versions).reset_index(drop=True)


def policy_validity(versions: pd.DataFrame, policies: pd.DataFrame) -> pd.DataFrame:
    """For every (fiscal year, policy, version containing it): the periods it is in force
    (`valid_from_period`..`valid_to_period`, null when a later version took all of them) and
    the version it replaced (the one in force at its first period when it arrived)."""
    contained = policies[["plan_version_id", "policy_code"]].merge(
        versions[["plan_version_id", "fiscal_year", "effective_from", "received_at", "file_name"]],
        on="plan_version_id",
    )
    rows = []
    for (year, policy), group in contained.groupby(["fiscal_year", "policy_code"], sort=True):
        ordered = _version_order(group).to_dict("records")
        for i, version in enumerate(ordered):
            later = [v["effective_from"] for v in ordered[i + 1 :]]
            start = int(version["effective_from"])
            end = min([PERIODS_PER_YEAR + 1, *later]) - 1
            earlier = [v for v in ordered[:i] if v["effective_from"] <= start]
            replaced = None
            if earlier:
                # The version in force at `start` just before this one: the latest received.
                replaced = earlier[-1]["plan_version_id"]
            rows.append(
                {
                    "fiscal_year": int(year),
                    "policy_code": policy,
                    "plan_version_id": int(version["plan_version_id"]),
                    "valid_from_period": start if end >= start else None,
                    "valid_to_period": end if end >= start else None,
                    "replaces_version_id": replaced,
                }
            )
    frame = pd.DataFrame(
        rows,
        columns=[
            "fiscal_year",
            "policy_code",
            "plan_version_id",
            "valid_from_period",
            "valid_to_period",
            "replaces_version_id",
        ],
    )
    for column in ("valid_from_period", "valid_to_period", "replaces_version_id"):
        frame[column] = frame[column].astype("Int64")
    return frame


def policy_in_force(validity: pd.DataFrame) -> pd.DataFrame:
    """(fiscal year, period, policy) → the version in force: validity spread over periods."""
    valid = validity.dropna(subset=["valid_from_period"])
    rows = [
        (row.fiscal_year, period, row.policy_code, row.plan_version_id)
        for row in valid.itertuples(index=False)
        for period in range(int(row.valid_from_period), int(row.valid_to_period) + 1)
    ]
    return pd.DataFrame(
        rows, columns=["fiscal_year", "period_no", "policy_code", "plan_version_id"]
    ).astype({"fiscal_year": "int64", "period_no": "int64", "plan_version_id": "int64"})


def build_plan_tables(
    files: pd.DataFrame,
    accepted: dict[str, pd.DataFrame],
    dimensions: pd.DataFrame,
    as_of: datetime,
) -> PlanTables:
    """Every table of schema `plans` from the accepted rows of each sheet (`accepted[sheet]`,
    each with plan_version_id) and the plan files."""
    from bma_pipeline.plans.rules import PlanContext

    versions = versions_of(files, accepted["plan"], as_of)
    ids = set(versions["plan_version_id"])

    def of_versions(sheet: str) -> pd.DataFrame:
        frame = accepted[sheet]
        return frame[frame["plan_version_id"].isin(ids)].reset_index(drop=True)

    policies = of_versions("policies")
    lookup = PlanContext.of("SED", frozenset(), frozenset(), dimensions, frozenset()).dimensions
    dimension_rows = [
        (version, policy, code, position, position == 1)
        for version, policy, cell in policies[
            ["plan_version_id", "policy_code", "dimensions"]
        ].itertuples(index=False)
        for position, code in enumerate(dimension_codes(cell, lookup), start=1)
        if code is not None
    ]
    policy_dimensions = pd.DataFrame(
        dimension_rows,
        columns=["plan_version_id", "policy_code", "dimension_code", "position", "is_primary"],
    )
    primary = policy_dimensions.loc[policy_dimensions["is_primary"].astype(bool)].set_index(
        ["plan_version_id", "policy_code"]
    )["dimension_code"]
    policies = policies.assign(
        dimension_code=[
            primary.get((v, p))
            for v, p in zip(policies["plan_version_id"], policies["policy_code"], strict=True)
        ],
        is_key_project=policies["is_key_project"].eq(True),  # null: not a key project
    )
    validity = policy_validity(versions, policies)
    kpis = of_versions("kpis")
    kpis = kpis.assign(is_percentage=kpis["is_percentage"].eq(True))  # null: not a percentage
    targets = of_versions("targets").merge(
        kpis[["plan_version_id", "kpi_code", "policy_code"]], on=["plan_version_id", "kpi_code"]
    )
    targets = targets.merge(versions[["plan_version_id", "fiscal_year"]], on="plan_version_id")
    years = sorted(set(versions["fiscal_year"]))
    periods = pd.DataFrame(
        [
            (p.fiscal_year, p.period_no, p.key, p.start_date, p.end_date)
            for year in years
            for p in periods_of_year(int(year))
        ],
        columns=["fiscal_year", "period_no", "period_key", "start_date", "end_date"],
    )
    return PlanTables(
        versions=versions,
        policy_versions=validity,
        policy_in_force=policy_in_force(validity),
        policies=policies,
        policy_dimensions=policy_dimensions,
        projects=of_versions("projects"),
        kpis=kpis,
        assignments=of_versions("assignments"),
        targets=targets,
        periods=periods,
    )
