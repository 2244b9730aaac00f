"""The rules an action-plan workbook must meet (DOMAIN §6, §8), sheet by sheet.

What belongs here: the rules that are the plan's own — beyond those every column brings from
the registry (`validation/sheets.py`): duplicate codes, references between sheets (a KPI's
policy and project, a target's KPI and its unit's assignment), the reference data (units,
mission groups, the nine dimensions), a policy's lead unit, a baseline only on a `last` KPI,
period targets adding up to a `sum` KPI's annual target, rows cascading from a quarantined
policy, KPI or plan row, and authority: `SED` may define or revise anything, an H unit only
the policies it leads in the plan in force (`not_lead_unit`). What does not: reading the
workbook (intake), which plan is in force (`versions.py`), writing the ledger.

`judge_plan` returns, per sheet, one quarantine row per failing row: every reason in Thai and
English. Rows it does not return are accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from bma_pipeline.columns import PLAN
from bma_pipeline.intake.headers import normalise_header
from bma_pipeline.validation.reasons import PLAN_REASON_TABLE
from bma_pipeline.validation.sheets import (
    JudgedSheet,
    Rule,
    empty_sheet,
    judge_sheet,
    prepare_sheet,
)

SED = "SED"  # the Strategy and Evaluation Department (สยป.): defines and revises every plan
# |annual − Σ period targets| above this (relative to the annual target) is a contradiction.
PERIOD_SUM_TOLERANCE = 1e-6
SHEET_ORDER = ("plan", "policies", "projects", "kpis", "assignments", "targets")


def revises_every_policy(sender: str) -> bool:
    """SED may define or revise any policy; any other sender only the policies it leads."""
    return sender == SED


@dataclass(frozen=True)
class PlanContext:
    """What a plan file is judged against besides itself."""

    sender: str  # the landing folder the file came from
    units: frozenset[str]
    groups: frozenset[str]
    dimensions: Mapping[str, str]  # normalised code or Thai or English name → code
    # Policies the sender leads (H) in the plan in force for the file's year and first period;
    # None: the sender is SED, who may revise anything.
    led_policies: frozenset[str] | None

    @classmethod
    def of(
        cls,
        sender: str,
        units: frozenset[str],
        groups: frozenset[str],
        dimensions: pd.DataFrame,
        led_policies: frozenset[str],
    ) -> PlanContext:
        names = {
            normalise_header(str(value)): str(code)
            for code, *labels in dimensions[["dimension_code", "name_th", "name_en"]].itertuples(
                index=False
            )
            for value in (code, *labels)
            if isinstance(value, str)
        }
        led = None if revises_every_policy(sender) else led_policies
        return cls(sender, units, groups, names, led)


def dimension_codes(cell: object, dimensions: Mapping[str, str]) -> list[str | None]:
    """Each listed dimension's code (None where an item is not one of the nine)."""
    if not isinstance(cell, str) or not cell:
        return []
    return [dimensions.get(normalise_header(item)) for item in cell.split(",")]


def _in(values: pd.Series, allowed: set[str] | frozenset[str]) -> pd.Series:
    """True where a value is blank or among `allowed`."""
    return (values.isna() | values.isin(list(allowed))).astype(bool)


def _unique(prepared: pd.DataFrame, key: list[str]) -> pd.Series:
    """False on every row that shares its (non-blank) key with another row."""
    keyed = prepared[key].notna().all(axis=1)
    return ~(prepared.duplicated(subset=key, keep=False) & keyed)


def judge_plan(sheets: Mapping[str, pd.DataFrame], context: PlanContext) -> dict[str, pd.DataFrame]:
    """Per sheet present: the quarantine rows (`row_number`, `reason_codes`, `message_th`,
    `message_en`) of the rows that fail; every sheet's rows are judged whatever the others."""
    frames = {
        name: sheets.get(name, empty_sheet(PLAN.sheet(name))).reset_index(drop=True)
        for name in SHEET_ORDER
    }
    prepared = {name: prepare_sheet(frame, PLAN.sheet(name)) for name, frame in frames.items()}
    judged: dict[str, JudgedSheet] = {}

    def run(name: str, extra: list[Rule], fields: Mapping[str, pd.Series] | None = None) -> None:
        context_fields: dict[str, object] = {"folder": context.sender, **(fields or {})}
        judged[name] = judge_sheet(
            frames[name], PLAN.sheet(name), extra, PLAN_REASON_TABLE, context_fields
        )

    # plan: one row, the fiscal year and the first period in force.
    plan_rows = prepared["plan"]
    run(
        "plan", [Rule("duplicate_code", "fiscal_year", lambda r: pd.Series([len(r) <= 1] * len(r)))]
    )
    plan_ok = len(plan_rows) == 1 and not judged["plan"].failed.any()

    def plan_row(column: str) -> Rule:
        return Rule("plan_row_quarantined", column, lambda r: pd.Series([plan_ok] * len(r)))

    def authority(column: str) -> Rule:
        led = context.led_policies
        return Rule(
            "not_lead_unit",
            column,
            lambda r: pd.Series(True, index=r.index) if led is None else _in(r[column], led),
        )

    # policies
    assignments = prepared["assignments"]
    led_in_file = set(assignments.loc[assignments["role"] == "H", "policy_code"].dropna())
    run(
        "policies",
        [
            Rule("duplicate_code", "policy_code", lambda r: _unique(r, ["policy_code"])),
            Rule(
                "unknown_group",
                "group_code",
                lambda r: _in(r["group_code"], context.groups),
                {"allowed": ", ".join(sorted(context.groups))},
            ),
            Rule(
                "unknown_dimension",
                "dimensions",
                lambda r: pd.Series(
                    [None not in dimension_codes(v, context.dimensions) for v in r["dimensions"]],
                    index=r.index,
                    dtype=bool,
                ),
                {"allowed": ", ".join(sorted(set(context.dimensions.values())))},
            ),
            Rule(
                "policy_without_lead",
                "policy_code",
                lambda r: r["policy_code"].isna() | r["policy_code"].isin(list(led_in_file)),
            ),
            authority("policy_code"),
            plan_row("policy_code"),
        ],
    )
    policies = judged["policies"]
    in_file = set(policies.prepared["policy_code"].dropna())
    good_policies = policies.accepted_codes("policy_code")

    def policy_rules(column: str = "policy_code") -> list[Rule]:
        return [
            Rule("policy_not_in_plan", column, lambda r: _in(r[column], in_file)),
            Rule(
                "policy_row_quarantined",
                column,
                lambda r: ~(r[column].isin(list(in_file - good_policies))).fillna(False),
            ),
        ]

    # projects
    run(
        "projects",
        [
            Rule("duplicate_code", "project_code", lambda r: _unique(r, ["project_code"])),
            *policy_rules(),
            authority("policy_code"),
            plan_row("project_code"),
        ],
    )
    projects = judged["projects"]
    project_rows = projects.prepared.loc[~projects.failed, ["project_code", "policy_code"]]
    project_pairs = set(project_rows.itertuples(index=False, name=None))

    # kpis
    kpi_rows = prepared["kpis"]
    run(
        "kpis",
        [
            Rule("duplicate_code", "kpi_code", lambda r: _unique(r, ["kpi_code"])),
            *policy_rules(),
            Rule(
                "project_not_in_plan",
                "project_code",
                lambda r: pd.Series(
                    [
                        not isinstance(j, str) or (j, p) in project_pairs
                        for j, p in zip(r["project_code"], r["policy_code"], strict=True)
                    ],
                    index=r.index,
                    dtype=bool,
                ),
            ),
            Rule(
                "baseline_on_sum_kpi",
                "baseline_value",
                lambda r: (
                    ~(r["baseline_value"].notna() & (r["aggregation"] == "sum")).fillna(False)
                ),
            ),
            authority("policy_code"),
            plan_row("kpi_code"),
        ],
        {"policy": kpi_rows["policy_code"].astype(object)},
    )
    kpis = judged["kpis"]
    kpi_codes_in_file = set(kpis.prepared["kpi_code"].dropna())
    good_kpis = kpis.accepted_codes("kpi_code")
    accepted_kpis = kpis.prepared.loc[~kpis.failed]
    policy_of_kpi = dict(zip(accepted_kpis["kpi_code"], accepted_kpis["policy_code"], strict=True))
    aggregation_of = dict(zip(accepted_kpis["kpi_code"], accepted_kpis["aggregation"], strict=True))
    all_policy_of_kpi = dict(
        zip(kpis.prepared["kpi_code"], kpis.prepared["policy_code"], strict=True)
    )

    # assignments
    run(
        "assignments",
        [
            Rule("duplicate_code", "unit_code", lambda r: _unique(r, ["policy_code", "unit_code"])),
            Rule("unknown_unit", "unit_code", lambda r: _in(r["unit_code"], context.units)),
            *policy_rules(),
            authority("policy_code"),
            plan_row("unit_code"),
        ],
    )
    assigned = judged["assignments"]
    assigned_pairs = set(
        assigned.prepared.loc[~assigned.failed, ["policy_code", "unit_code"]].itertuples(
            index=False, name=None
        )
    )

    # targets
    target_rows = prepared["targets"]
    target_policy = target_rows["kpi_code"].map(all_policy_of_kpi).astype(object)
    periods = target_rows[[f"p{n}" for n in range(1, 7)]]
    has_period_targets = periods.notna().any(axis=1)
    period_sum = periods.sum(axis=1, min_count=1)
    is_sum = target_rows["kpi_code"].map(aggregation_of) == "sum"
    contradiction = (
        has_period_targets
        & is_sum.fillna(False)
        & target_rows["annual_target"].notna()
        & (
            (period_sum - target_rows["annual_target"]).abs()
            > PERIOD_SUM_TOLERANCE * target_rows["annual_target"].abs().clip(lower=1.0)
        )
    )
    run(
        "targets",
        [
            Rule("duplicate_code", "unit_code", lambda r: _unique(r, ["kpi_code", "unit_code"])),
            Rule("kpi_not_in_plan", "kpi_code", lambda r: _in(r["kpi_code"], kpi_codes_in_file)),
            Rule(
                "kpi_row_quarantined",
                "kpi_code",
                lambda r: ~r["kpi_code"].isin(list(kpi_codes_in_file - good_kpis)).fillna(False),
            ),
            Rule("unknown_unit", "unit_code", lambda r: _in(r["unit_code"], context.units)),
            Rule(
                "target_unit_not_assigned",
                "unit_code",
                lambda r: pd.Series(
                    [
                        not isinstance(k, str)
                        or not isinstance(u, str)
                        or k not in policy_of_kpi
                        or (policy_of_kpi[k], u) in assigned_pairs
                        for k, u in zip(r["kpi_code"], r["unit_code"], strict=True)
                    ],
                    index=r.index,
                    dtype=bool,
                ),
            ),
            Rule("period_targets_mismatch", "annual_target", lambda r: ~contradiction),
            Rule(
                "not_lead_unit",
                "kpi_code",
                lambda r: (
                    pd.Series(True, index=r.index)
                    if context.led_policies is None
                    else _in(target_policy, context.led_policies)
                ),
            ),
            plan_row("kpi_code"),
        ],
        {"policy": target_policy, "period_sum": period_sum.round(6).astype(object)},
    )

    return {name: judged[name].verdicts() for name in SHEET_ORDER if name in sheets}


def plan_year_and_period(plan: pd.DataFrame | None) -> tuple[int | None, int]:
    """The fiscal year and first period a plan file's `plan` rows declare (None: no year)."""
    if plan is None or plan.empty or pd.isna(plan["fiscal_year"].iloc[0]):
        return None, 1
    period = plan["effective_from"].iloc[0]
    first = int(period) if pd.notna(period) and 1 <= int(period) <= 6 else 1
    return int(plan["fiscal_year"].iloc[0]), first
