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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
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


def _member(values: pd.Series, sets: Sequence[frozenset[str]], owner: np.ndarray) -> pd.Series:
    """True where a row's value is in its own file's set (a null value is in none)."""
    return pd.Series(
        [not pd.isna(v) and v in sets[f] for v, f in zip(values, owner, strict=True)],
        index=values.index,
        dtype=bool,
    )


def _in(values: pd.Series, sets: Sequence[frozenset[str]], owner: np.ndarray) -> pd.Series:
    """True where a row's value is null or in its own file's set."""
    return (values.isna().to_numpy() | _member(values, sets, owner)).astype(bool)


def _unique(rows: pd.DataFrame, key: list[str], owner: np.ndarray) -> pd.Series:
    """False on every row whose key another row of the same file has."""
    keyed = rows[key].notna().all(axis=1)
    return ~(rows[key].assign(_file=owner).duplicated(keep=False) & keyed)


def _per_row(rows: pd.DataFrame, owner: np.ndarray, test) -> pd.Series:  # noqa: ANN001 - (row, file) → bool
    return pd.Series(
        [bool(test(row, f)) for row, f in zip(rows.itertuples(index=False), owner, strict=True)],
        index=rows.index,
    )


def _of_file(values: Sequence[object], owner: np.ndarray) -> pd.Series:
    """A per-file value on each row of the files."""
    return pd.Series([values[f] for f in owner], dtype=object)


def judge_minutes(
    sheets: Mapping[str, pd.DataFrame], context: MinutesContext
) -> dict[str, pd.DataFrame]:
    """Per sheet present: the quarantine rows (`row_number`, `reason_codes`, `message_th`,
    `message_en`) of the rows that fail."""
    return judge_minutes_many([(sheets, context)])[0]


def judge_minutes_many(
    files: Sequence[tuple[Mapping[str, pd.DataFrame], MinutesContext]],
) -> list[dict[str, pd.DataFrame]]:
    """`judge_minutes` of each (sheets, context), judged together: each sheet is one frame over
    all the files, so Pandera and every rule run once per sheet, not once per file (pandas' fixed
    cost per call made 120 files' 600 sheets take 40 s one by one). A file's rules see only its
    own rows: keys are unique within a file, and the cascade follows its own meeting row."""
    if not files:
        return []
    contexts = [context for _, context in files]
    n_files = len(files)
    frames: dict[str, pd.DataFrame] = {}
    owners: dict[str, np.ndarray] = {}
    for name in SHEET_ORDER:
        empty = empty_sheet(MINUTES.sheet(name))
        parts = [sheets.get(name, empty) for sheets, _ in files]
        # only the sheet's columns: a frame read from the ledger has every sheet's
        rows = [part[list(empty.columns)].reset_index(drop=True) for part in parts if len(part)]
        frames[name] = pd.concat(rows, ignore_index=True) if rows else parts[0]
        owners[name] = np.repeat(np.arange(n_files), [len(part) for part in parts])
    judged: dict[str, JudgedSheet] = {}
    # `own`: the file of each row of the sheet being judged (rules run inside `run`)
    windows = [context.window for context in contexts]
    window_texts = [f"{w[0].isoformat()} – {w[1].isoformat()}" if w else "–" for w in windows]
    senders = [context.sender for context in contexts]
    units = [context.units for context in contexts]

    def run(name: str, rules: list[Rule], fields: Mapping[str, object] | None = None) -> None:
        owner = owners[name]
        base = {"folder": _of_file(senders, owner), "window": _of_file(window_texts, owner)}
        fields = {**base, **(fields or {})}
        judged[name] = judge_sheet(
            frames[name], MINUTES.sheet(name), rules, MINUTES_REASON_TABLE, fields
        )

    own = owners["meeting"]
    meetings_of_file = np.bincount(own, minlength=n_files)
    leads = np.array([c.period is None or bool(c.led_policies) for c in contexts], dtype=bool)
    run(
        "meeting",
        [
            Rule("duplicate_code", "period_key", lambda r: pd.Series(
                meetings_of_file[own] <= 1, index=r.index
            )),
            Rule("period_without_year", "period_key", lambda r: ~(
                r["period_key"].notna() & r["period_fiscal_year"].isna()
            )),
            Rule("sender_not_lead", "period_key", lambda r: pd.Series(leads[own], index=r.index)),
            Rule("meeting_date_out_of_window", "meeting_date", lambda r: _per_row(
                r,
                own,
                lambda row, f: windows[f] is None
                or pd.isna(row.meeting_date)
                or windows[f][0] <= pd.Timestamp(row.meeting_date).date() <= windows[f][1],
            )),
        ],
    )  # fmt: skip
    failed_meetings = np.bincount(own[judged["meeting"].failed], minlength=n_files)
    meeting_ok = (meetings_of_file == 1) & (failed_meetings == 0)

    def cascade(name: str, column: str) -> Rule:
        return Rule(
            "meeting_row_quarantined",
            column,
            lambda r: pd.Series(meeting_ok[owners[name]], index=r.index),
        )

    own = owners["attendance"]
    supports = [context.support_units for context in contexts]
    run(
        "attendance",
        [
            Rule("duplicate_code", "unit_code", lambda r: _unique(r, ["unit_code"], own)),
            Rule("unknown_unit", "unit_code", lambda r: _in(r["unit_code"], units, own)),
            Rule("not_support_unit", "unit_code", lambda r: ~(
                r["present"].fillna(False).astype(bool)
                & ~_member(r["unit_code"], supports, own)
                & _member(r["unit_code"], units, own)
            )),
            cascade("attendance", "unit_code"),
        ],
    )  # fmt: skip
    in_force = [frozenset(context.assigned) for context in contexts]
    own = owners["decisions"]
    run(
        "decisions",
        [
            Rule("duplicate_code", "decision_no", lambda r: _unique(r, ["decision_no"], own)),
            Rule("unknown_policy", "policy_code", lambda r: _in(r["policy_code"], in_force, own)),
            cascade("decisions", "decision_no"),
        ],
    )  # fmt: skip
    own = owners["commitments"]
    others = [context.other_commitments for context in contexts]
    meeting_dates = [_meeting_date(sheets.get("meeting")) for sheets, _ in files]
    run(
        "commitments",
        [
            Rule("duplicate_code", "commitment_id", lambda r: _unique(r, ["commitment_id"], own)),
            Rule("duplicate_commitment", "commitment_id", lambda r: ~_member(
                r["commitment_id"], others, own
            )),
            Rule("unknown_policy", "policy_code", lambda r: _in(r["policy_code"], in_force, own)),
            Rule("unknown_unit", "owner_unit", lambda r: ~(
                r["owner_unit"].str.fullmatch(str(OWNER_UNIT.pattern)).fillna(False).astype(bool)
                & ~_member(r["owner_unit"], units, own)
            )),
            Rule("owner_not_assigned", "owner_unit", lambda r: _per_row(
                r,
                own,
                lambda row, f: not isinstance(row.owner_unit, str)
                or row.owner_unit not in contexts[f].units  # a malformed code fails its format
                or row.policy_code not in contexts[f].assigned
                or row.owner_unit in contexts[f].assigned[row.policy_code],
            )),
            Rule("kpi_not_of_policy", "kpi_code", lambda r: _per_row(
                r,
                own,
                lambda row, f: not isinstance(row.kpi_code, str)
                or row.policy_code not in contexts[f].kpis
                or row.kpi_code in contexts[f].kpis[row.policy_code],
            )),
            Rule("due_date_out_of_range", "due_date", lambda r: _per_row(
                r, own, lambda row, f: _due_in_range(row.due_date, meeting_dates[f])
            )),
            cascade("commitments", "commitment_id"),
        ],
        {"policy": frames["commitments"]["policy_code"].astype(object).reset_index(drop=True)},
    )  # fmt: skip
    commitments = judged["commitments"]
    made_here: list[set[str]] = [set() for _ in files]
    accepted = commitments.prepared["commitment_id"].to_numpy(dtype=object)[~commitments.failed]
    for code, f in zip(accepted, own[~commitments.failed], strict=True):
        if not pd.isna(code):
            made_here[f].add(code)
    known = [frozenset(others[f] | made_here[f]) for f in range(n_files)]
    own = owners["updates"]
    run(
        "updates",
        [
            Rule("duplicate_code", "commitment_id", lambda r: _unique(r, ["commitment_id"], own)),
            Rule("unknown_commitment", "commitment_id", lambda r: _in(
                r["commitment_id"], known, own
            )),
            cascade("updates", "commitment_id"),
        ],
    )  # fmt: skip
    verdicts: list[dict[str, pd.DataFrame]] = [{} for _ in files]
    for name in SHEET_ORDER:
        sheet = judged[name]
        of_sheet = sheet.verdicts()
        file_of = owners[name][sheet.quarantine["position"].astype(int).to_numpy()]
        for f, (sheets, _) in enumerate(files):
            if name in sheets:
                verdicts[f][name] = of_sheet.loc[file_of == f].reset_index(drop=True)
    return verdicts


def _meeting_date(meeting: pd.DataFrame | None) -> date | None:
    if meeting is None or meeting.empty or pd.isna(meeting["meeting_date"].iloc[0]):
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
