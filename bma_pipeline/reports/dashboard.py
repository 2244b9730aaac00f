"""The executive dashboard of one period: one self-contained HTML file in Thai, English below.

City and mission-group progress, policies by status per (primary) dimension, key projects apart
with their projects, the 50 districts' submissions, the most lagging policies with their lead
units, the trend over the fiscal year, every policy's status, and the H–R meeting cycle: meetings
held / late / missing per mission group (an H unit counts in the group of every policy it leads:
`rpt_meetings_by_group`), the units with the most commitments overdue at the period's end, and
the policies whose action plan was revised this fiscal year per group. Figures come from the
marts only (the same figures as `bi/sql/*.sql` over the `bi` views); derived lists — lead units
per policy, the most lagging policies, meetings per group, the plan revisions on each period's
agenda — are the report models' (`rpt_*`), so no rule is computed here a second time. Charts
are plotly with its JavaScript inlined once, so the file opens offline. What does not belong
here: the meeting packs (`meeting.py`) and any Dagster code
(`bma_pipeline/defs/reports/dashboards.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from bma_pipeline.fiscal import Period
from bma_pipeline.reports.common import (
    DISTRICT_STATUS,
    FONT_STACK,
    PROGRESS_STATUS,
    fmt_pct,
    period_label_en,
    period_label_th,
    render_template,
    short_unit_name,
    write_text,
)
from bma_pipeline.warehouse import Warehouse

DASHBOARD_FILE = "executive_dashboard.html"
OVERDUE_UNITS_SHOWN = 10  # the units with the most overdue commitments (bi/sql lists them all)


@dataclass
class DashboardData:
    period: Period
    groups: pd.DataFrame  # mart_group_progress of the period, CITY last
    trend: pd.DataFrame  # mart_group_progress of the year up to the period
    policies: pd.DataFrame  # mart_policy_progress × dim_policy × dim_dimension, with H units
    lagging: pd.DataFrame  # rpt_most_lagging_policies of the period, most lagging first
    by_dimension: pd.DataFrame  # dimension × status → policies
    districts: pd.DataFrame  # mart_submission_compliance of the 50 districts
    compliance_counts: dict[str, int]  # district status → count
    key_project_parts: pd.DataFrame  # mart_project_progress of the key projects' policies
    meetings: pd.DataFrame  # rpt_meetings_by_group of the period, the groups then CITY
    overdue_units: pd.DataFrame  # owner units by commitments overdue at the period's end
    revised: pd.DataFrame  # group → policies revised this fiscal year up to the period

    @property
    def key_projects(self) -> pd.DataFrame:
        return self.policies[self.policies["is_key_project"]]


def collect_dashboard(wh: Warehouse, period: Period) -> DashboardData:
    year, number = period.fiscal_year, period.period_no
    trend = wh.query(
        """
        select g.group_code, g.is_city, g.period_no, g.period_key, g.n_policies,
               g.n_policies_with_data, g.progress_pct, g.status, g.n_on_track, g.n_at_risk,
               g.n_off_track, g.n_no_data, d.name_th, d.name_en
        from marts.mart_group_progress g
        left join marts.dim_group d on d.group_code = g.group_code
        where g.fiscal_year = :fiscal_year and g.period_no <= :period_no
        order by g.is_city, g.group_code, g.period_no
        """,
        {"fiscal_year": year, "period_no": number},
    )
    city = trend["is_city"].astype(bool)
    trend.loc[city, "name_th"] = "ภาพรวมกรุงเทพมหานคร"
    trend.loc[city, "name_en"] = "Whole city"
    groups = trend[trend["period_no"] == number].reset_index(drop=True)

    policies = wh.query(
        """
        select m.policy_code, p.title_th, p.title_en, m.dimension_code,
               d.name_th as dimension_th, d.name_en as dimension_en, m.group_code,
               m.is_key_project, m.n_pairs, m.n_pairs_with_data, m.progress_pct,
               m.h_progress_pct, m.r_progress_pct, m.status, l.lead_units_th as lead_units
        from marts.mart_policy_progress m
        join marts.dim_policy p on p.policy_code = m.policy_code
        join marts.rpt_policy_lead_units l
          on l.policy_code = m.policy_code and l.fiscal_year = m.fiscal_year
         and l.period_no = m.period_no
        left join marts.dim_dimension d on d.dimension_code = m.dimension_code
        where m.fiscal_year = :fiscal_year and m.period_no = :period_no
        order by m.policy_code
        """,
        {"fiscal_year": year, "period_no": number},
    )
    policies["is_key_project"] = policies["is_key_project"].astype(bool)
    lagging = wh.query(
        """
        select policy_code, title_th, title_en, lead_units_th as lead_units, progress_pct,
               h_progress_pct, r_progress_pct, status
        from marts.rpt_most_lagging_policies
        where fiscal_year = :fiscal_year and period_no = :period_no
        order by lag_rank
        """,
        {"fiscal_year": year, "period_no": number},
    )

    dimensions = wh.query(
        "select dimension_code, name_th, name_en from marts.dim_dimension order by dimension_code"
    )
    counts = (
        policies.groupby(["dimension_code", "status"]).size().unstack(fill_value=0)
        if not policies.empty
        else pd.DataFrame()
    )
    by_dimension = dimensions.set_index("dimension_code")
    for status in PROGRESS_STATUS:
        column = counts[status] if status in counts else pd.Series(dtype=int)
        by_dimension[status] = column.reindex(by_dimension.index).fillna(0).astype(int)
    by_dimension["total"] = by_dimension[list(PROGRESS_STATUS)].sum(axis=1)
    by_dimension = by_dimension.reset_index()

    # Every district office, also one without targets this year (no row in the mart).
    districts = wh.query(
        """
        select u.unit_code, u.name_th, u.name_en, c.due_date, c.first_received_at,
               coalesce(c.compliance_status, 'no_target') as compliance_status, c.days_late
        from marts.dim_unit u
        left join marts.mart_submission_compliance c
          on c.unit_code = u.unit_code and c.fiscal_year = :fiscal_year and c.period_no = :period_no
        where u.unit_type = 'district'
        order by u.unit_code
        """,
        {"fiscal_year": year, "period_no": number},
    )
    districts["short_name"] = [
        short_unit_name(n, c)
        for n, c in zip(districts["name_th"], districts["unit_code"], strict=True)
    ]
    compliance_counts = {
        s: int((districts["compliance_status"] == s).sum()) for s in DISTRICT_STATUS
    }
    key_project_parts = wh.query(
        """
        select m.policy_code, m.project_code, d.title_th, m.progress_pct, m.status
        from marts.mart_project_progress m
        left join marts.dim_project d on d.project_code = m.project_code
        where m.fiscal_year = :fiscal_year and m.period_no = :period_no and m.is_key_project
        order by m.policy_code, m.project_code
        """,
        {"fiscal_year": year, "period_no": number},
    )
    meetings = wh.query(
        """
        select m.group_code, m.is_city, coalesce(d.name_th, 'ภาพรวมกรุงเทพมหานคร') as name_th,
               m.n_lead_units, m.n_held, m.n_late, m.n_missing, m.n_pending,
               m.mean_attendance_share
        from marts.rpt_meetings_by_group m
        left join marts.dim_group d on d.group_code = m.group_code
        where m.fiscal_year = :fiscal_year and m.period_no = :period_no
        order by m.is_city, m.group_code
        """,
        {"fiscal_year": year, "period_no": number},
    )
    overdue_units = collect_overdue_units(wh, period)
    revised = wh.query(
        """
        select coalesce(r.group_code, '–') as group_code, d.name_th,
               count(distinct r.policy_code) as n_policies_revised,
               count(distinct r.plan_version_id) as n_revisions, count(*) as n_changes
        from marts.rpt_plan_revisions_on_agenda r
        left join marts.dim_group d on d.group_code = r.group_code
        where r.fiscal_year = :fiscal_year and r.period_no <= :period_no
        group by coalesce(r.group_code, '–'), d.name_th
        order by 1
        """,
        {"fiscal_year": year, "period_no": number},
    )
    return DashboardData(
        period,
        groups,
        trend,
        policies,
        lagging,
        by_dimension,
        districts,
        compliance_counts,
        key_project_parts,
        meetings,
        overdue_units,
        revised,
    )


def collect_overdue_units(wh: Warehouse, period: Period) -> pd.DataFrame:
    """Owner units by commitments overdue at the period's end (mart_commitments), most first
    (ties by unit code), with the most days overdue and the lead units whose meetings made them:
    the same rows as bi/sql/overdue_commitments_by_unit.sql."""
    return wh.query(
        """
        select c.owner_unit as unit_code, u.name_th, count(*) as n_overdue,
               max(c.days_overdue_at_period_end) as max_days_overdue,
               string_agg(distinct c.h_unit_code, ', ' order by c.h_unit_code) as h_unit_codes
        from marts.mart_commitments c
        left join marts.dim_unit u on u.unit_code = c.owner_unit
        where c.fiscal_year = :fiscal_year and c.period_no = :period_no
          and c.status_at_period_end = 'overdue'
        group by c.owner_unit, u.name_th
        order by n_overdue desc, max_days_overdue desc, c.owner_unit
        """,
        {"fiscal_year": period.fiscal_year, "period_no": period.period_no},
    )


# -- charts ---------------------------------------------------------------------------------


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 20, "t": 10, "b": 10},
        font={"family": FONT_STACK, "size": 14},
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
    )
    return fig


def group_progress_chart(data: DashboardData) -> go.Figure:
    rows = data.groups.iloc[::-1]  # plotly draws bottom-up: city at the bottom
    labels = [f"{r.name_th} ({r.group_code})" for r in rows.itertuples()]
    fig = go.Figure(
        go.Bar(
            x=rows["progress_pct"].fillna(0),
            y=labels,
            orientation="h",
            marker_color=[PROGRESS_STATUS[s].colour for s in rows["status"]],
            text=[fmt_pct(v) for v in rows["progress_pct"]],
            textposition="outside",
            hovertemplate="%{y}: %{x:.1f} %<extra></extra>",
        )
    )
    fig.add_vline(x=100, line_dash="dot", line_color="#444")
    fig.update_xaxes(title="ร้อยละของเป้าหมายถึงงวดนี้ · % of target to date", range=[0, 130])
    fig.update_yaxes(automargin=True)
    return _layout(fig, 300)


def trend_chart(data: DashboardData) -> go.Figure:
    fig = go.Figure()
    for code, rows in data.trend.groupby("group_code", sort=False):
        city = bool(rows["is_city"].iloc[0])
        fig.add_trace(
            go.Scatter(
                x=rows["period_key"],
                y=rows["progress_pct"],
                mode="lines+markers",
                name=f"{rows['name_th'].iloc[0]} ({code})",
                line={"width": 4 if city else 2, "dash": "solid" if city else "dot"},
                hovertemplate="%{x}: %{y:.1f} %<extra></extra>",
            )
        )
    fig.add_hline(y=100, line_dash="dot", line_color="#444")
    values = data.trend["progress_pct"].dropna()
    low = max(0.0, float(values.min()) - 15) if not values.empty else 0.0
    high = max(110.0, float(values.max()) + 5) if not values.empty else 110.0
    fig.update_yaxes(title="ร้อยละ · %", range=[low, high])
    fig.update_xaxes(type="category")
    return _layout(fig, 360)


def status_by_dimension_chart(data: DashboardData) -> go.Figure:
    rows = data.by_dimension.iloc[::-1]
    labels = [f"{r.name_th} · {r.name_en}" for r in rows.itertuples()]
    fig = go.Figure()
    for status, label in PROGRESS_STATUS.items():
        fig.add_trace(
            go.Bar(
                x=rows[status],
                y=labels,
                orientation="h",
                name=f"{label.th} ({label.en})",
                marker_color=label.colour,
                hovertemplate="%{y}: %{x} นโยบาย<extra>" + label.th + "</extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title="จำนวนนโยบาย · policies")
    fig.update_yaxes(automargin=True)
    return _layout(fig, 420)


def chart_html(figures: dict[str, go.Figure]) -> dict[str, str]:
    """Each figure as a <div>; plotly's JavaScript inlined with the first one only."""
    config = {"displayModeBar": False, "displaylogo": False, "responsive": True}
    out: dict[str, str] = {}
    for i, (name, fig) in enumerate(figures.items()):
        out[name] = fig.to_html(
            full_html=False,
            include_plotlyjs=(i == 0),
            config=config,
            div_id=f"chart-{name}",
        )
    return out


# -- rendering ------------------------------------------------------------------------------


def _status_counts(policies: pd.DataFrame) -> dict[str, int]:
    return {s: int((policies["status"] == s).sum()) for s in PROGRESS_STATUS}


def render_dashboard_html(data: DashboardData, generated_at: str | None = None) -> str:
    charts = chart_html(
        {
            "groups": group_progress_chart(data),
            "trend": trend_chart(data),
            "dimensions": status_by_dimension_chart(data),
        }
    )
    city = data.groups[data.groups["is_city"].astype(bool)]
    context: dict[str, Any] = {
        "period": data.period,
        "period_th": period_label_th(data.period),
        "period_en": period_label_en(data.period),
        "generated_at": generated_at,
        "city": city.iloc[0] if not city.empty else None,
        "groups": data.groups[~data.groups["is_city"].astype(bool)].itertuples(),
        "charts": charts,
        "by_dimension": list(data.by_dimension.itertuples()),
        "key_projects": list(data.key_projects.itertuples()),
        "lagging": list(data.lagging.itertuples()),
        "policies": list(data.policies.itertuples()),
        "districts": list(data.districts.itertuples()),
        "compliance_counts": data.compliance_counts,
        "policy_counts": _status_counts(data.policies),
        "key_counts": _status_counts(data.key_projects),
        "key_project_parts": {
            code: list(rows.itertuples())
            for code, rows in data.key_project_parts.groupby("policy_code", sort=False)
        },
        "meetings": list(data.meetings.itertuples()),
        "overdue_units": list(data.overdue_units.head(OVERDUE_UNITS_SHOWN).itertuples()),
        "n_overdue_units": len(data.overdue_units),
        "n_overdue": int(data.overdue_units["n_overdue"].sum()),
        "revised": list(data.revised.itertuples()),
        "n_policies_revised": int(data.revised["n_policies_revised"].sum()),
    }
    return render_template("dashboard.html.j2", **context)


def render_dashboard(
    wh: Warehouse, period_key: str, reports_dir: Path, generated_at: str | None = None
) -> Path:
    """Write `<reports>/<period_key>/executive_dashboard.html` and return its path."""
    period = Period.from_key(period_key)
    data = collect_dashboard(wh, period)
    html = render_dashboard_html(data, generated_at)
    return write_text(Path(reports_dir) / period.key / DASHBOARD_FILE, html)
