"""The rules a meeting-minutes workbook must meet (DOMAIN §7, §8), sheet by sheet.

What belongs here: the rules that are the minutes' own — beyond those every column brings from
the registry (`validation/sheets.py`): the sender leads a policy in the period (it held an H–R
meeting), the meeting date lies in the period's window, the units present are the sender's
supporting units, a commitment's policy is in force, its owner is assigned to it and its KPI
belongs to it, its due date lies after the meeting and within a fiscal year, commitment ids are
the sender's own (new ones not used at another meeting, updated ones made by it), and rows
cascading from a quarantined meeting row. What does not: reading the workbook (intake), which
plan is in force (`bma_pipeline/plans/`), writing the ledger (`apply.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from bma_pipeline.columns import MINUTES, OWNER_UNIT
from bma_pipeline.fiscal import Period
from bma_pipeline.validation.reasons import MINUTES_REASON_TABLE
from bma_pipeline.validation.sheets import JudgedSheet, Rule, empty_sheet, judge_sheet

SHEET_ORDER = ("meeting", "attendance", "decisions", "commitments", "updates")
# Minutes may report a meeting held up to this many days after the period's submission deadline.
DEFAULT_GRACE_DAYS = 30
# A commitment falls due at most this long after the meeting (a fiscal year).
MAX_COMMITMENT_DAYS = 366


@dataclass(frozen=True)
class MinutesContext:
    """What one minutes file is judged against: the sender, the plan in force for the meeting's
    period, and the sender's earlier commitments."""

    sender: str
    units: frozenset[str]
    period: Period | None  # from the file's meeting sheet (None: it names none)
    window: tuple[date, date] | None  # meeting dates allowed: period start … due + grace
    led_policies: frozenset[str] = frozenset()  # the sender is H of these, in force then
    support_units: frozenset[str] = frozenset()  # R units of those policies (not the sender)
    assigned: Mapping[str, frozenset[str]] = field(default_factory=dict)  # policy → H and R
    kpis: Mapping[str, frozenset[str]] = field(default_factory=dict)  # policy → its KPIs
    other_commitments: frozenset[str] = frozenset()  # ids the sender made at other meetings


def meeting_window(period: Period, deadline_days: int, grace_days: int) -> tuple[date, date]:
    """The dates a period's H–R meeting may have: from the period's start to its submission
    deadline plus the grace days."""
    due = period.end_date + timedelta(days=deadline_days)
    return period.start_date, due + timedelta(days=grace_days)


def _in(values: pd.Series, allowed: set[str] | frozenset[str]) -> pd.Series:
    return (values.isna() | values.isin(list(allowed))).astype(bool)


def _unique(rows: pd.DataFrame, key: list[str]) -> pd.Series:
    keyed = rows[key].notna().all(axis=1)
    return ~(rows.duplicated(subset=key, keep=False) & keyed)


def _per_row(rows: pd.DataFrame, test) -> pd.Series:  # noqa: ANN001 - a row → bool function
    return pd.Series([bool(test(row)) for row in rows.itertuples(index=False)], index=rows.index)


def judge_minutes(
    sheets: Mapping[str, pd.DataFrame], context: MinutesContext
) -> dict[str, pd.DataFrame]:
    """Per sheet present: the quarantine rows (`row_number`, `reason_codes`, `message_th`,
    `message_en`) of the rows that fail."""
    frames = {name: sheets.get(name, empty_sheet(MINUTES.sheet(name))) for name in SHEET_ORDER}
    judged: dict[str, JudgedSheet] = {}
    window = context.window
    window_text = f"{window[0].isoformat()} – {window[1].isoformat()}" if window else "–"
    base = {"folder": context.sender, "window": window_text}

    def run(name: str, rules: list[Rule], fields: Mapping[str, object] | None = None) -> None:
        judged[name] = judge_sheet(
            frames[name],
            MINUTES.sheet(name),
            rules,
            MINUTES_REASON_TABLE,
            {**base, **(fields or {})},
        )

    run(
        "meeting",
        [
            Rule("duplicate_code", "period_key", lambda r: pd.Series([len(r) <= 1] * len(r))),
            Rule("period_without_year", "period_key", lambda r: ~(
                r["period_key"].notna() & r["period_fiscal_year"].isna()
            )),
            Rule("sender_not_lead", "period_key", lambda r: pd.Series(
                [context.period is None or bool(context.led_policies)] * len(r), index=r.index
            )),
            Rule("meeting_date_out_of_window", "meeting_date", lambda r: _per_row(
                r,
                lambda row: window is None
                or pd.isna(row.meeting_date)
                or window[0] <= pd.Timestamp(row.meeting_date).date() <= window[1],
            )),
        ],
    )  # fmt: skip
    meeting_ok = len(frames["meeting"]) == 1 and not judged["meeting"].failed.any()

    def cascade(column: str) -> Rule:
        return Rule("meeting_row_quarantined", column, lambda r: pd.Series([meeting_ok] * len(r)))

    run(
        "attendance",
        [
            Rule("duplicate_code", "unit_code", lambda r: _unique(r, ["unit_code"])),
            Rule("unknown_unit", "unit_code", lambda r: _in(r["unit_code"], context.units)),
            Rule("not_support_unit", "unit_code", lambda r: ~(
                r["present"].fillna(False).astype(bool)
                & ~r["unit_code"].isin(list(context.support_units))
                & r["unit_code"].isin(list(context.units))
            )),
            cascade("unit_code"),
        ],
    )  # fmt: skip
    in_force = set(context.assigned)
    run(
        "decisions",
        [
            Rule("duplicate_code", "decision_no", lambda r: _unique(r, ["decision_no"])),
            Rule("unknown_policy", "policy_code", lambda r: _in(r["policy_code"], in_force)),
            cascade("decision_no"),
        ],
    )
    commitments = frames["commitments"]
    run(
        "commitments",
        [
            Rule("duplicate_code", "commitment_id", lambda r: _unique(r, ["commitment_id"])),
            Rule("duplicate_commitment", "commitment_id", lambda r: ~r["commitment_id"].isin(
                list(context.other_commitments)
            ).fillna(False)),
            Rule("unknown_policy", "policy_code", lambda r: _in(r["policy_code"], in_force)),
            Rule("unknown_unit", "owner_unit", lambda r: ~(
                r["owner_unit"].str.fullmatch(str(OWNER_UNIT.pattern)).fillna(False).astype(bool)
                & ~r["owner_unit"].isin(list(context.units))
            )),
            Rule("owner_not_assigned", "owner_unit", lambda r: _per_row(
                r,
                lambda row: not isinstance(row.owner_unit, str)
                or row.owner_unit not in context.units  # a malformed code fails its format
                or row.policy_code not in context.assigned
                or row.owner_unit in context.assigned[row.policy_code],
            )),
            Rule("kpi_not_of_policy", "kpi_code", lambda r: _per_row(
                r,
                lambda row: not isinstance(row.kpi_code, str)
                or row.policy_code not in context.kpis
                or row.kpi_code in context.kpis[row.policy_code],
            )),
            Rule("due_date_out_of_range", "due_date", lambda r: _per_row(
                r, lambda row: _due_in_range(row.due_date, _meeting_date(frames["meeting"]))
            )),
            cascade("commitment_id"),
        ],
        {"policy": commitments["policy_code"].astype(object).reset_index(drop=True)},
    )  # fmt: skip
    made_here = judged["commitments"].accepted_codes("commitment_id")
    known = set(context.other_commitments) | made_here
    run(
        "updates",
        [
            Rule("duplicate_code", "commitment_id", lambda r: _unique(r, ["commitment_id"])),
            Rule("unknown_commitment", "commitment_id", lambda r: _in(r["commitment_id"], known)),
            cascade("commitment_id"),
        ],
    )  # fmt: skip
    return {name: judged[name].verdicts() for name in SHEET_ORDER if name in sheets}


def _meeting_date(meeting: pd.DataFrame) -> date | None:
    if meeting.empty or pd.isna(meeting["meeting_date"].iloc[0]):
        return None
    return pd.Timestamp(meeting["meeting_date"].iloc[0]).date()


def _due_in_range(due: object, meeting: date | None) -> bool:
    if meeting is None or due is None or pd.isna(due):
        return True
    day = pd.Timestamp(due).date()
    return meeting <= day <= meeting + timedelta(days=MAX_COMMITMENT_DAYS)


def meeting_period(meeting: pd.DataFrame | None) -> Period | None:
    """The period a file's meeting sheet names, when it names one with its year."""
    if meeting is None or meeting.empty:
        return None
    number, year = meeting["period_key"].iloc[0], meeting["period_fiscal_year"].iloc[0]
    if pd.isna(number) or pd.isna(year) or not 1 <= int(number) <= 6:
        return None
    return Period(int(year), int(number))
