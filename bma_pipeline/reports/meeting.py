"""The agenda pack of each lead (H) unit's meeting with its supporting (R) units, per period.

One HTML file per H unit, and the same document as PDF (WeasyPrint, A4 landscape). It opens with
the commitments from the unit's earlier meetings (overdue first, most days overdue first, with
those closed since the last meeting) and the changes to the action plan of its policies since the
last meeting; then the unit's policies with their projects (โครงการ/กิจกรรม) and status; items
needing a decision (off-track KPIs, R units missing two or more periods this year); R units that
sent late or not at all; every obstacle (ปัญหาอุปสรรค) reported on the unit's policies; each KPI,
under its project when it has one; and, as the annex, each KPI with every assigned unit's actual
to date, target to date, ratio and status. The marts are read once per period and split per unit
in pandas. Which units need attention first, how a KPI's units count by status (its decision item
included), which commitments a period follows up and in which order, and which plan revisions
are on a period's agenda are the report models' (`rpt_kpi_unit_attention`,
`rpt_kpi_units_by_status`, `rpt_commitments_followed_up`, `rpt_plan_revisions_on_agenda`): a pack
lists and looks up, it does not rank or count.

What does not belong here: the executive dashboard (`dashboard.py`) and Dagster code.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from bma_pipeline.fiscal import Period
from bma_pipeline.reports.common import (
    CHANGE_TYPE,
    PROGRESS_STATUS,
    fmt_num,
    fmt_ratio,
    period_label_en,
    period_label_th,
    render_template,
    short_unit_name,
    write_text,
)
from bma_pipeline.warehouse import Warehouse

MEETINGS_DIR = "meetings"
MISSING_PERIODS_FOR_DECISION = 2  # an R unit missing this many periods so far goes on the agenda
# Nationwide a policy has hundreds of supporting units. A KPI with more than
# `ANNEX_UNITS_PER_KPI` units (no Bangkok KPI: at most 55) lists its lead units and the
# `ANNEX_UNITS_SHOWN` supporting units needing most attention, and the pack links the
# policy's full CSV; lists of units late or missing and of obstacles stop at their caps,
# with the count of the rest. Counts and decision items always cover every unit.
ANNEX_UNITS_PER_KPI = 60
ANNEX_UNITS_SHOWN = 10
LIST_CAP = 50
OBSTACLES_CAP = 50
# With `html_workers` > 1, from this many packs on, forked processes render them (sharing the
# grouped marts copy-on-write). Off by default: nationwide (6,359 packs a period) two workers
# take 18 s a period instead of ~27 s, but every forked worker counts the run process's whole
# resident heap again in RSS (the process tree peaked at 4.9 GB instead of ~2 GB).
PARALLEL_PACKS_FROM = 300
ANNEX_DIR = "annex"


def rows_by(frame: pd.DataFrame, column: str) -> dict[str, list[Any]]:
    """Rows (named tuples, in frame order) grouped by one column's value."""
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in frame.itertuples():
        grouped[getattr(row, column)].append(row)
    return grouped


@dataclass
class MeetingData:
    """The period's marts, read once and grouped once for every H unit.

    Nationwide a period has thousands of H units whose packs share policies and supporting
    units, so everything a pack needs is grouped by policy or by unit here (cached), and a
    pack only looks up its keys: assembling one costs the size of the pack, not of the period.
    """

    period: Period
    units: pd.DataFrame  # dim_unit
    policies: pd.DataFrame  # H assignments × mart_policy_progress of the period
    kpi_rows: pd.DataFrame  # fct_kpi_progress × dim_kpi × dim_unit × rpt_kpi_unit_attention
    assignments: pd.DataFrame  # dim_assignment rows in force at the period
    compliance: pd.DataFrame  # mart_submission_compliance of the year up to the period
    obstacles: pd.DataFrame  # mart_obstacles of the period
    kpi_counts: pd.DataFrame  # rpt_kpi_units_by_status of the period
    # The meeting cycle and the projects; empty when a caller has none to give.
    projects: pd.DataFrame = field(default_factory=pd.DataFrame)  # mart_project_progress
    followed_up: pd.DataFrame = field(default_factory=pd.DataFrame)  # rpt_commitments_followed_up
    revisions: pd.DataFrame = field(default_factory=pd.DataFrame)  # rpt_plan_revisions_on_agenda
    last_meetings: pd.DataFrame = field(default_factory=pd.DataFrame)  # mart_meetings, period - 1

    @functools.cached_property
    def lead_units(self) -> list[str]:
        """H units with at least one in-scope policy this year."""
        return sorted(self.policies["lead_unit_code"].unique())

    @functools.cached_property
    def unit_by_code(self) -> dict[str, Any]:
        return {row.unit_code: row for row in self.units.itertuples()}

    @functools.cached_property
    def policies_by_lead(self) -> dict[str, list[Any]]:
        return rows_by(self.policies, "lead_unit_code")

    @functools.cached_property
    def support_by_policy(self) -> dict[str, frozenset[str]]:
        """policy → its supporting (R) units."""
        r_units = self.assignments[self.assignments["role"] == "R"]
        return {
            code: frozenset(units) for code, units in r_units.groupby("policy_code")["unit_code"]
        }

    @functools.cached_property
    def kpis_by_policy(self) -> dict[str, dict[str, list[Any]]]:
        """policy → KPI → its rows (H first, then by unit), built once for every pack."""
        grouped: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for row in self.kpi_rows.itertuples():
            grouped[row.policy_code][row.kpi_code].append(row)
        return grouped

    @functools.cached_property
    def not_on_time_by_unit(self) -> dict[str, Any]:
        """unit → its compliance row of this period, when late or missing."""
        now = self.compliance[
            (self.compliance["period_no"] == self.period.period_no)
            & (self.compliance["compliance_status"] != "on_time")
        ]
        now = now.assign(
            received=[
                "–" if pd.isna(t) else pd.Timestamp(t).strftime("%Y-%m-%d %H:%M")
                for t in now["first_received_at"]
            ]
        )
        return {row.unit_code: row for row in now.itertuples()}

    @functools.cached_property
    def repeat_missing_by_unit(self) -> dict[str, dict[str, Any]]:
        """unit → its missing periods so far, for units missing at least the threshold."""
        missing = self.compliance[self.compliance["compliance_status"] == "missing"]
        return {
            code: {
                "unit_code": code,
                "unit_th": rows["unit_th"].iloc[0],
                "periods": ", ".join(rows["period_key"]),
                "n": len(rows),
            }
            for code, rows in missing.groupby("unit_code")
            if len(rows) >= MISSING_PERIODS_FOR_DECISION
        }

    @functools.cached_property
    def obstacles_by_policy(self) -> dict[str, list[Any]]:
        return rows_by(self.obstacles, "policy_code")

    @functools.cached_property
    def counts_by_kpi(self) -> dict[str, Any]:
        """KPI → its units by status (rpt_kpi_units_by_status)."""
        return {row.kpi_code: row for row in self.kpi_counts.itertuples()}

    @functools.cached_property
    def projects_by_policy(self) -> dict[str, list[Any]]:
        return rows_by(self.projects, "policy_code")

    @functools.cached_property
    def followed_up_by_unit(self) -> dict[str, list[Any]]:
        return rows_by(self.followed_up, "h_unit_code")

    @functools.cached_property
    def revisions_by_policy(self) -> dict[str, list[dict[str, Any]]]:
        """policy → its changes on this period's agenda, each described in Thai and English."""
        return {
            code: [describe_change(row) for row in rows]
            for code, rows in rows_by(self.revisions, "policy_code").items()
        }

    @functools.cached_property
    def last_meeting_by_unit(self) -> dict[str, Any]:
        return {row.h_unit_code: row for row in self.last_meetings.itertuples()}

    @functools.cached_property
    def blocks_by_policy(self) -> dict[str, PolicyBlocks]:
        """policy → its KPI blocks and off-track items: the same in every pack that shows the
        policy (a national policy has dozens of H units), so built once."""
        return {
            code: _policy_blocks(by_kpi, self.counts_by_kpi)
            for code, by_kpi in self.kpis_by_policy.items()
        }

    def policy_blocks(self, policy_code: str) -> PolicyBlocks:
        return self.blocks_by_policy.get(policy_code, NO_BLOCKS)

    def group_all(self) -> None:
        """Build every cached grouping now (before forking workers that share them)."""
        for name in (
            "lead_units",
            "unit_by_code",
            "policies_by_lead",
            "support_by_policy",
            "not_on_time_by_unit",
            "repeat_missing_by_unit",
            "obstacles_by_policy",
            "counts_by_kpi",
            "blocks_by_policy",
            "projects_by_policy",
            "followed_up_by_unit",
            "revisions_by_policy",
            "last_meeting_by_unit",
        ):
            getattr(self, name)


@dataclass(frozen=True)
class PolicyBlocks:
    kpis: list[dict[str, Any]]
    off_track: list[dict[str, Any]]
    truncated: bool  # some KPI lists more units than the annex shows: see the policy's CSV


NO_BLOCKS = PolicyBlocks([], [], False)  # a policy without KPI rows this period


def _policy_blocks(by_kpi: dict[str, list[Any]], counts: dict[str, Any]) -> PolicyBlocks:
    blocks, off_track = [], []
    for kpi_code in sorted(by_kpi):
        rows = by_kpi[kpi_code]
        cut = len(rows) > ANNEX_UNITS_PER_KPI
        blocks.append(
            {
                "kpi": rows[0],
                "project_code": rows[0].project_code,
                "all_rows": rows,
                "attention": by_attention(rows) if cut else rows,
                "n_rows": len(rows),
                "summary": kpi_summary(rows, counts[kpi_code]),
            }
        )
        if item := off_track_item(rows, counts[kpi_code]):
            off_track.append(item)
    truncated = any(b["n_rows"] > ANNEX_UNITS_PER_KPI for b in blocks)
    return PolicyBlocks(blocks, off_track, truncated)


@dataclass
class MeetingResult:
    html: list[Path] = field(default_factory=list)
    annex: list[Path] = field(default_factory=list)  # full per-policy CSVs, where packs cut
    pdf: list[Path] = field(default_factory=list)
    pdf_seconds: float = 0.0
    pdf_unavailable: str | None = None  # why no PDF was printed, when WeasyPrint cannot load


def pdf_renderer_problem() -> str | None:
    """None when WeasyPrint loads; else the reason (it needs Pango from the system)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"WeasyPrint cannot load ({type(exc).__name__}: {exc}); HTML only"
    return None


def collect_meetings(wh: Warehouse, period: Period) -> MeetingData:
    year, number = period.fiscal_year, period.period_no
    units = wh.query("select unit_code, unit_type, name_th, name_en, abbrev_th from marts.dim_unit")
    policies = collect_lead_policies(wh, period)
    kpi_rows = wh.query(
        """
        select f.policy_code, f.project_code, f.kpi_code, k.name_th as kpi_th, k.name_en as kpi_en,
               k.measure_unit_th, f.direction, f.aggregation, f.unit_code,
               u.name_th as unit_th, f.role, f.annual_target, f.period_value, f.actual_ytd,
               f.target_to_date, f.achievement_ratio, f.status, a.attention_rank
        from marts.fct_kpi_progress f
        join marts.dim_kpi k on k.kpi_code = f.kpi_code
        join marts.dim_unit u on u.unit_code = f.unit_code
        join marts.rpt_kpi_unit_attention a
          on a.fiscal_year = f.fiscal_year and a.period_no = f.period_no
         and a.kpi_code = f.kpi_code and a.unit_code = f.unit_code
        where f.fiscal_year = :fiscal_year and f.period_no = :period_no
        order by f.policy_code, f.kpi_code, case when f.role = 'H' then 0 else 1 end,
                 f.unit_code
        """,
        {"fiscal_year": year, "period_no": number},
    )
    assignments = wh.query(
        "select policy_code, unit_code, role from marts.dim_assignment "
        "where fiscal_year = :fiscal_year "
        "and :period_no between valid_from_period and valid_to_period",
        {"fiscal_year": year, "period_no": number},
    )
    compliance = wh.query(
        """
        select c.unit_code, u.name_th as unit_th, c.period_no, c.period_key, c.due_date,
               c.first_received_at, c.compliance_status, c.days_late
        from marts.mart_submission_compliance c
        join marts.dim_unit u on u.unit_code = c.unit_code
        where c.fiscal_year = :fiscal_year and c.period_no <= :period_no
        order by c.unit_code, c.period_no
        """,
        {"fiscal_year": year, "period_no": number},
    )
    obstacles = wh.query(
        """
        select o.policy_code, o.kpi_code, k.name_th as kpi_th, o.unit_code,
               u.name_th as unit_th, o.role, o.obstacles, o.reported_status, o.received_at
        from marts.mart_obstacles o
        join marts.dim_unit u on u.unit_code = o.unit_code
        left join marts.dim_kpi k on k.kpi_code = o.kpi_code
        where o.fiscal_year = :fiscal_year and o.period_no = :period_no
        order by o.policy_code, o.kpi_code, o.unit_code
        """,
        {"fiscal_year": year, "period_no": number},
    )
    kpi_counts = wh.query(
        """
        select kpi_code, n_units, n_support_units, n_support_on_track, n_support_at_risk,
               n_support_off_track, n_support_no_data, n_units_off_track,
               lowest_off_track_ratio, is_decision_item
        from marts.rpt_kpi_units_by_status
        where fiscal_year = :fiscal_year and period_no = :period_no
        """,
        {"fiscal_year": year, "period_no": number},
    )
    projects = wh.query(
        """
        select m.policy_code, m.project_code, d.title_th, d.title_en, m.n_pairs,
               m.n_pairs_with_data, m.progress_pct, m.h_progress_pct, m.r_progress_pct, m.status
        from marts.mart_project_progress m
        left join marts.dim_project d on d.project_code = m.project_code
        where m.fiscal_year = :fiscal_year and m.period_no = :period_no
        order by m.policy_code, m.project_code
        """,
        {"fiscal_year": year, "period_no": number},
    )
    followed_up = collect_followed_up(wh, period)
    revisions = wh.query(
        """
        select r.policy_code, r.plan_version_id, r.sender_unit, r.received_at, r.effective_from,
               r.change_type, r.kpi_code, k.name_th as kpi_th, r.unit_code,
               u.name_th as unit_th, r.role, r.old_value, r.new_value
        from marts.rpt_plan_revisions_on_agenda r
        left join marts.dim_kpi k on k.kpi_code = r.kpi_code
        left join marts.dim_unit u on u.unit_code = r.unit_code
        where r.fiscal_year = :fiscal_year and r.period_no = :period_no
        order by r.policy_code, r.received_at, r.plan_version_id, r.change_type, r.kpi_code,
                 r.unit_code
        """,
        {"fiscal_year": year, "period_no": number},
    )
    last_meetings = wh.query(
        "select h_unit_code, period_key, meeting_status, meeting_date from marts.mart_meetings "
        "where fiscal_year = :fiscal_year and period_no = :period_no",
        {"fiscal_year": year, "period_no": number - 1},
    )
    return MeetingData(
        period,
        units,
        policies,
        kpi_rows,
        assignments,
        compliance,
        obstacles,
        kpi_counts,
        projects,
        followed_up,
        revisions,
        last_meetings,
    )


def collect_lead_policies(wh: Warehouse, period: Period) -> pd.DataFrame:
    """Each H unit's policies in force at `period` with their progress (one row per H unit and
    policy): what the pack and the report to the executives show first about a unit."""
    return wh.query(
        """
        select a.unit_code as lead_unit_code, m.policy_code, p.title_th, p.title_en,
               d.name_th as dimension_th, m.is_key_project, m.n_pairs, m.n_pairs_with_data,
               m.progress_pct, m.h_progress_pct, m.r_progress_pct, m.status,
               m.n_on_track, m.n_at_risk, m.n_off_track, m.n_no_data
        from marts.dim_assignment a
        join marts.mart_policy_progress m on m.policy_code = a.policy_code
        join marts.dim_policy p on p.policy_code = m.policy_code
        left join marts.dim_dimension d on d.dimension_code = m.dimension_code
        where a.role = 'H' and m.fiscal_year = :fiscal_year and m.period_no = :period_no
          and a.fiscal_year = :fiscal_year
          and :period_no between a.valid_from_period and a.valid_to_period
        order by a.unit_code, m.policy_code
        """,
        {"fiscal_year": period.fiscal_year, "period_no": period.period_no},
    )


def collect_followed_up(wh: Warehouse, period: Period) -> pd.DataFrame:
    """The commitments from earlier meetings each H unit follows up in `period`, in the order of
    `rpt_commitments_followed_up` (overdue first, most days overdue first), with the owner's and
    the KPI's names: the meeting pack and the report to the executives show the same list."""
    return wh.query(
        """
        select c.h_unit_code, c.follow_up_rank, c.commitment_id, c.action, c.owner_unit,
               u.name_th as owner_th, c.policy_code, c.kpi_code, k.name_th as kpi_th,
               c.due_date, c.made_fiscal_year, c.made_period_no, c.made_at_meeting_date,
               c.status_at_period_end, c.days_overdue_at_period_end, c.is_closed_in_period,
               c.note_at_period_end
        from marts.rpt_commitments_followed_up c
        left join marts.dim_unit u on u.unit_code = c.owner_unit
        left join marts.dim_kpi k on k.kpi_code = c.kpi_code
        where c.fiscal_year = :fiscal_year and c.period_no = :period_no
        order by c.h_unit_code, c.follow_up_rank
        """,
        {"fiscal_year": period.fiscal_year, "period_no": period.period_no},
    )


def describe_change(row: Any) -> dict[str, Any]:
    """One change of a plan revision as the pack words it: what changed, in Thai and English."""
    label = CHANGE_TYPE.get(row.change_type)
    kpi = f"{row.kpi_code} {row.kpi_th or ''}".strip() if isinstance(row.kpi_code, str) else ""
    unit = short_unit_name(row.unit_th, row.unit_code) if isinstance(row.unit_code, str) else ""
    if row.change_type in ("unit_added", "unit_removed"):
        what = f"{unit} ({row.role})"
    elif row.change_type in ("target_raised", "target_lowered"):
        what = f"{kpi} · {unit}: {fmt_num(row.old_value)} → {fmt_num(row.new_value)}"
    elif row.change_type == "period_targets_changed":
        what = f"{kpi} · {unit}" if unit else kpi
    else:
        what = kpi
    return {
        "row": row,
        "label_th": label.th if label else row.change_type,
        "label_en": label.en if label else row.change_type,
        "what": what,
    }


def _off_track_first(rows: list[Any], role_h: bool | None = None) -> list[Any]:
    """The off-track rows in attention order, only lead (True) or supporting (False) units."""
    return [
        r
        for r in by_attention(rows)
        if r.status == "off_track" and (role_h is None or (r.role == "H") == role_h)
    ]


def kpi_summary(rows: list[Any], counts: Any) -> dict[str, Any]:
    """One KPI on one line: the lead units' figures, and the supporting units by status."""
    worst = _off_track_first(rows, role_h=False)
    n_more = counts.n_support_off_track - 3
    return {
        "lead": [r for r in rows if r.role == "H"],
        "n_support": counts.n_support_units,
        "support_counts": {s: getattr(counts, f"n_support_{s}") for s in PROGRESS_STATUS},
        "lowest": ", ".join(
            f"{short_unit_name(r.unit_th, r.unit_code)} {fmt_ratio(r.achievement_ratio)}"
            for r in worst[:3]
        )
        + (f" และอีก {n_more}" if n_more > 0 else ""),
    }


def off_track_item(rows: list[Any], counts: Any) -> dict[str, Any] | None:
    """A KPI with at least one off-track unit (rpt_kpi_units_by_status), as an item for decision."""
    if not counts.is_decision_item:
        return None
    off = _off_track_first(rows)
    n_more = counts.n_units_off_track - 5
    return {
        "policy_code": rows[0].policy_code,
        "kpi_code": rows[0].kpi_code,
        "kpi_th": rows[0].kpi_th,
        "n_units": counts.n_units_off_track,
        "n_pairs": counts.n_units,
        "units": ", ".join(short_unit_name(r.unit_th, r.unit_code) for r in off[:5])
        + (f" และอีก {n_more} หน่วยงาน" if n_more > 0 else ""),
        "worst_ratio": counts.lowest_off_track_ratio,
    }


def by_attention(rows: list[Any]) -> list[Any]:
    """Units needing attention first, as rpt_kpi_unit_attention ranks them."""
    return sorted(rows, key=lambda r: r.attention_rank)


def annex_view(block: dict[str, Any], unit_code: str) -> dict[str, Any]:
    """One KPI's annex rows in `unit_code`'s pack: every unit up to `ANNEX_UNITS_PER_KPI`
    (every Bangkok KPI); beyond, the pack's own unit and the `ANNEX_UNITS_SHOWN` other units
    needing most attention (a national KPI has dozens of lead units and a thousand
    supporting ones). The policy's annex CSV holds them all."""
    if block["n_rows"] <= ANNEX_UNITS_PER_KPI:
        return {**block, "rows": block["all_rows"], "n_hidden": 0}
    own = [r for r in block["all_rows"] if r.unit_code == unit_code][:1]
    head = block["attention"][: ANNEX_UNITS_SHOWN + 1]
    rows = own + [r for r in head if r.unit_code != unit_code][:ANNEX_UNITS_SHOWN]
    return {**block, "rows": rows, "n_hidden": block["n_rows"] - len(rows)}


def _capped(items: list[Any], cap: int) -> tuple[list[Any], int]:
    return items[:cap], max(0, len(items) - cap)


def meeting_context(data: MeetingData, unit_code: str) -> dict[str, Any]:
    """Everything one H unit's pack shows, as plain rows for the template."""
    period = data.period
    unit = data.unit_by_code[unit_code]
    policies = data.policies_by_lead.get(unit_code, [])
    codes = [p.policy_code for p in policies]
    support: set[str] = set()
    for code in codes:
        support |= data.support_by_policy.get(code, frozenset())
    support.discard(unit_code)

    not_on_time = sorted(
        (data.not_on_time_by_unit[u] for u in support if u in data.not_on_time_by_unit),
        key=lambda c: (c.compliance_status, c.unit_code),
    )
    repeat_missing = [
        data.repeat_missing_by_unit[u] for u in sorted(support & data.repeat_missing_by_unit.keys())
    ]
    policy_blocks, off_track = [], []
    for policy in policies:
        blocks = data.policy_blocks(policy.policy_code)
        kpis = [annex_view(block, unit_code) for block in blocks.kpis]
        policy_blocks.append(
            {
                "policy": policy,
                "kpis": kpis,
                "truncated": blocks.truncated,
                **kpis_by_project(kpis, data.projects_by_policy.get(policy.policy_code, [])),
            }
        )
        off_track.extend(blocks.off_track)
    revisions = [
        {"policy": policy, "changes": data.revisions_by_policy[policy.policy_code]}
        for policy in policies
        if policy.policy_code in data.revisions_by_policy
    ]
    obstacles = [o for code in codes for o in data.obstacles_by_policy.get(code, [])]
    not_on_time, n_more_not_on_time = _capped(not_on_time, LIST_CAP)
    repeat_missing, n_more_repeat_missing = _capped(repeat_missing, LIST_CAP)
    obstacles, n_more_obstacles = _capped(obstacles, OBSTACLES_CAP)

    return {
        "period": period,
        "period_th": period_label_th(period),
        "period_en": period_label_en(period),
        "unit": unit,
        "followed_up": data.followed_up_by_unit.get(unit_code, []),
        "revisions": revisions,
        "last_meeting": data.last_meeting_by_unit.get(unit_code),
        "policies": policies,
        "project_rows": {code: data.projects_by_policy.get(code, []) for code in codes},
        "policy_blocks": policy_blocks,
        "n_support_units": len(support),
        "not_on_time": not_on_time,
        "n_more_not_on_time": n_more_not_on_time,
        "repeat_missing": repeat_missing,
        "n_more_repeat_missing": n_more_repeat_missing,
        "off_track": off_track,
        "obstacles": obstacles,
        "n_more_obstacles": n_more_obstacles,
        "missing_threshold": MISSING_PERIODS_FOR_DECISION,
        "annex_dir": ANNEX_DIR,
    }


def kpis_by_project(kpis: list[dict[str, Any]], projects: list[Any]) -> dict[str, Any]:
    """A policy's KPI blocks as the pack shows them: those without a project directly under the
    policy, the others under their project (mart_project_progress), projects by code."""
    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    direct = []
    for block in kpis:
        code = block["project_code"]
        if isinstance(code, str):
            by_code[code].append(block)
        else:
            direct.append(block)
    progress = {p.project_code: p for p in projects}
    return {
        "direct_kpis": direct,
        "projects": [
            {"code": code, "progress": progress.get(code), "kpis": by_code.get(code, [])}
            for code in sorted(set(by_code) | set(progress))
        ],
    }


ANNEX_COLUMNS = {  # fct_kpi_progress column → Thai header of the policy's annex CSV
    "policy_code": "รหัสนโยบาย",
    "kpi_code": "รหัสตัวชี้วัด",
    "kpi_th": "ตัวชี้วัด",
    "unit_code": "รหัสหน่วยงาน",
    "unit_th": "หน่วยงาน",
    "role": "บทบาท",
    "annual_target": "เป้าหมายทั้งปี",
    "period_value": "ผลงวดนี้",
    "actual_ytd": "ผลสะสม",
    "target_to_date": "เป้าหมายสะสม",
    "achievement_ratio": "อัตราผลสำเร็จ",
    "status": "สถานะ",
}


def write_annex_csvs(data: MeetingData, out: Path) -> list[Path]:
    """`<meetings>/annex/<policy>.csv`: every unit's row of every KPI of the policies whose
    annex is cut in the packs (UTF-8 with BOM, so Excel shows the Thai headers)."""
    codes = [code for code, blocks in data.blocks_by_policy.items() if blocks.truncated]
    if not codes:
        return []
    rows = data.kpi_rows[data.kpi_rows["policy_code"].isin(codes)]
    paths = []
    for code, frame in rows.groupby("policy_code", sort=True):
        path = out / ANNEX_DIR / f"{code}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        frame[list(ANNEX_COLUMNS)].rename(columns=ANNEX_COLUMNS).to_csv(
            tmp, index=False, encoding="utf-8-sig"
        )
        tmp.replace(path)
        paths.append(path)
    return paths


def render_meeting_html(data: MeetingData, unit_code: str, generated_at: str | None = None) -> str:
    """The pack as HTML; the PDF is the same document printed (A4 landscape, see the template)."""
    return render_template(
        "meeting.html.j2", generated_at=generated_at, **meeting_context(data, unit_code)
    )


def _render_packs(
    data: MeetingData, out: Path, generated_at: str | None, units: list[str]
) -> list[Path]:
    return [
        write_text(out / f"{unit}.html", render_meeting_html(data, unit, generated_at))
        for unit in units
    ]


_SHARED: tuple[MeetingData, Path, str | None] | None = None  # what forked workers render from


def _render_packs_forked(units: list[str]) -> list[Path]:
    assert _SHARED is not None, "set by write_packs before the workers fork"
    return _render_packs(*_SHARED, units)


def write_packs(
    data: MeetingData,
    out: Path,
    generated_at: str | None,
    workers: int,
    parallel_from: int = PARALLEL_PACKS_FROM,
) -> list[Path]:
    """`<out>/<unit>.html` for every H unit; in `workers` forked processes when there are at
    least `parallel_from` packs (the grouped marts are built first, once, in this process)."""
    global _SHARED
    units = data.lead_units
    if workers <= 1 or len(units) < parallel_from:
        return _render_packs(data, out, generated_at, units)
    data.group_all()
    size = max(1, min(200, len(units) // (4 * workers)))
    chunks = [units[i : i + size] for i in range(0, len(units), size)]
    _SHARED = (data, out, generated_at)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return [path for chunk in pool.map(_render_packs_forked, chunks) for path in chunk]
    finally:
        _SHARED = None


def _write_pdf(job: tuple[str, str]) -> str:
    from weasyprint import HTML  # imported in the worker: fonts load once per process

    html, path = job
    tmp = Path(path).with_name(f".{Path(path).name}.tmp")
    HTML(string=html).write_pdf(tmp)
    tmp.replace(path)
    return path


def write_pdfs(jobs: Sequence[tuple[str, str]], workers: int) -> list[Path]:
    """HTML → PDF with WeasyPrint; several processes when there are several jobs and CPUs."""
    if workers <= 1 or len(jobs) <= 1:
        return [Path(_write_pdf(job)) for job in jobs]
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        return [Path(p) for p in pool.map(_write_pdf, jobs)]


def default_workers() -> int:
    """Processes printing PDFs: one per CPU, at most 4."""
    return max(1, min(4, (os.cpu_count() or 1)))


def render_meeting_reports(
    wh: Warehouse,
    period_key: str,
    reports_dir: Path,
    pdf: bool = True,
    pdf_units: Iterable[str] | None = None,
    workers: int | None = None,
    generated_at: str | None = None,
    html_workers: int = 1,
) -> MeetingResult:
    """Write `<reports>/<period_key>/meetings/<unit_code>.html` for every H unit, `.pdf` for
    every H unit (or only `pdf_units`) when `pdf`, and `annex/<policy>.csv` for the policies
    whose KPIs have more units than a pack lists."""
    period = Period.from_key(period_key)
    data = collect_meetings(wh, period)
    out = Path(reports_dir) / period.key / MEETINGS_DIR
    result = MeetingResult()
    pdf_set = None if pdf_units is None else set(pdf_units)
    jobs: list[tuple[str, str]] = []
    result.annex = write_annex_csvs(data, out)
    for stale in set((out / ANNEX_DIR).glob("*.csv")) - set(result.annex):
        stale.unlink()  # a policy whose packs are no longer cut
    result.html = write_packs(data, out, generated_at, html_workers)
    for path in result.html:
        if pdf and (pdf_set is None or path.stem in pdf_set):
            jobs.append((path.read_text(encoding="utf-8"), str(path.with_suffix(".pdf"))))
    if jobs and (problem := pdf_renderer_problem()):
        result.pdf_unavailable = problem
        return result
    started = time.monotonic()
    result.pdf = write_pdfs(jobs, default_workers() if workers is None else workers)
    result.pdf_seconds = time.monotonic() - started
    return result
