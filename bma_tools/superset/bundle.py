"""The executive dashboard's definition for Superset (an import bundle, the v1 YAML format).

What belongs here: the datasets (SQL over the `bi` views only), the charts with their
`params` and `query_context` (the chart-data API, thumbnails and alerts run the stored
query context; the browser builds its own from `params`), and the dashboard layout, all with
fixed UUIDs so a re-import overwrites instead of duplicating. This is the input of
`make superset-bundle`, which imports it into a scratch Superset and commits Superset's own
export of it as `bi/superset/bundle/` (`export.py`); a test fails when the committed export no
longer holds every setting made here. `python -m bma_tools.superset.bundle --out DIR` writes
the definition alone.

Every chart shows the *current period*: the latest period whose submission deadline has
passed (a unit's compliance is no longer `pending`), so periods still being reported do not
show as behind plan. Thai titles and labels; figures are the marts' own (docs/DOMAIN.md §4).
"""

from __future__ import annotations

import argparse
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

VERSION = "1.0.0"
_NS = uuid.UUID("6f1c9a52-3c1e-4d6b-9a0e-2b7d5e0c4a11")


def fixed_uuid(name: str) -> str:
    return str(uuid.uuid5(_NS, name))


DATABASE_UUID = fixed_uuid("database/bma_bi")
DATABASE_NAME = "BMA warehouse (bi, read-only)"
# Replaced at import time by the URL of the warehouse (see bma_tools.superset.provision).
DATABASE_URI_PLACEHOLDER = "postgresql://bma_bi_reader@127.0.0.1:5432/bma"
DASHBOARD_UUID = fixed_uuid("dashboard/executive")
DASHBOARD_SLUG = "bma-executive"
DASHBOARD_TITLE = "แดชบอร์ดผู้บริหาร — ความก้าวหน้านโยบายกรุงเทพมหานคร"

STATUS_TH = {
    "on_track": "ตามแผน",
    "at_risk": "เสี่ยง",
    "off_track": "ล่าช้ากว่าแผน",
    "no_data": "ไม่มีข้อมูล",
}
COMPLIANCE_TH = {
    "on_time": "ส่งตรงเวลา",
    "late": "ส่งล่าช้า",
    "missing": "ไม่ส่ง",
    "pending": "รอส่ง",
}
STATUS_COLORS = {
    "ตามแผน": "#2E7D32",
    "เสี่ยง": "#F9A825",
    "ล่าช้ากว่าแผน": "#C62828",
    "ไม่มีข้อมูล": "#9E9E9E",
    "ส่งตรงเวลา": "#2E7D32",
    "ส่งล่าช้า": "#F9A825",
    "ไม่ส่ง": "#C62828",
    "รอส่ง": "#9E9E9E",
    # series of the status-by-dimension chart are named after its metrics
    "n_on_track": "#2E7D32",
    "n_at_risk": "#F9A825",
    "n_off_track": "#C62828",
    "n_no_data": "#9E9E9E",
    # series of the meetings chart
    "n_held": "#2E7D32",
    "n_late": "#F9A825",
    "n_missing": "#C62828",
    "n_pending": "#9E9E9E",
}

# The latest period whose deadline has passed for at least one unit.
CURRENT_PERIOD_SQL = (
    "select fiscal_year, period_no from bi.mart_submission_compliance\n"
    "  where compliance_status <> 'pending'\n"
    "  group by fiscal_year, period_no\n"
    "  order by fiscal_year desc, period_no desc limit 1"
)
CITY_NAME_TH = "ภาพรวมกรุงเทพมหานคร"


def _case(column: str, labels: dict[str, str], default: str) -> str:
    whens = " ".join(f"when '{key}' then '{label}'" for key, label in labels.items())
    return f"case {column} {whens} else '{default}' end"


# ---------------------------------------------------------------------------------------------
# Datasets


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    verbose_name: str
    groupby: bool = True


@dataclass(frozen=True)
class Metric:
    name: str
    expression: str
    verbose_name: str
    d3format: str | None = None


@dataclass(frozen=True)
class Dataset:
    table_name: str
    description: str
    sql: str
    columns: tuple[Column, ...]
    metrics: tuple[Metric, ...] = field(default_factory=tuple)

    @property
    def uuid(self) -> str:
        return fixed_uuid(f"dataset/{self.table_name}")

    @property
    def verbose(self) -> dict[str, str]:
        names = {c.name: c.verbose_name for c in self.columns}
        names.update({m.name: m.verbose_name for m in self.metrics})
        return names


PROGRESS = Metric("progress_pct", "MAX(progress_pct)", "ร้อยละความก้าวหน้า", ".1f")
COUNT_METRIC = Metric("count", "COUNT(*)", "จำนวน")
POLICY_STATUS_METRICS = tuple(
    Metric(f"n_{status}", f"SUM(CASE WHEN status = '{status}' THEN 1 ELSE 0 END)", label)
    for status, label in STATUS_TH.items()
)

_GROUP_KEYS = (
    Column("fiscal_year", "INTEGER", "ปีงบประมาณ"),
    Column("period_no", "INTEGER", "งวดที่"),
    Column("period_key", "VARCHAR", "งวด"),
    Column("group_code", "VARCHAR", "รหัสกลุ่มภารกิจ"),
    Column("group_name_th", "VARCHAR", "กลุ่มภารกิจ"),
    Column("is_city", "BOOLEAN", "ภาพรวมเมือง"),
)

GROUP_PROGRESS = Dataset(
    table_name="bma_group_progress_current",
    description="ความก้าวหน้าภาพรวมกรุงเทพมหานครและรายกลุ่มภารกิจ งวดล่าสุดที่ครบกำหนดส่ง "
    "(bi.mart_group_progress)",
    sql=(
        "select g.fiscal_year, g.period_no, g.period_key, g.group_code,\n"
        f"       coalesce(d.name_th, '{CITY_NAME_TH}') as group_name_th,\n"
        "       g.is_city, g.n_policies, g.n_policies_with_data, g.progress_pct, g.status,\n"
        f"       {_case('g.status', STATUS_TH, 'ไม่มีข้อมูล')} as status_th\n"
        "from bi.mart_group_progress g\n"
        "left join bi.dim_group d on d.group_code = g.group_code\n"
        f"join ({CURRENT_PERIOD_SQL}) c\n"
        "  on c.fiscal_year = g.fiscal_year and c.period_no = g.period_no"
    ),
    columns=(
        *_GROUP_KEYS,
        Column("n_policies", "INTEGER", "จำนวนนโยบาย"),
        Column("n_policies_with_data", "INTEGER", "นโยบายที่มีข้อมูล"),
        Column("progress_pct", "DOUBLE PRECISION", "ร้อยละความก้าวหน้า"),
        Column("status", "VARCHAR", "สถานะ (รหัส)"),
        Column("status_th", "VARCHAR", "สถานะ"),
    ),
    metrics=(
        PROGRESS,
        Metric(
            "city_progress_pct",
            "MAX(CASE WHEN is_city THEN progress_pct END)",
            "ร้อยละความก้าวหน้าภาพรวมกรุงเทพมหานคร",
            ".1f",
        ),
        COUNT_METRIC,
    ),
)

GROUP_TREND = Dataset(
    table_name="bma_group_progress_trend",
    description="ความก้าวหน้ารายงวด ภาพรวมและรายกลุ่มภารกิจ จนถึงงวดล่าสุดที่ครบกำหนดส่ง "
    "(bi.mart_group_progress)",
    sql=(
        "select g.fiscal_year, g.period_no, g.period_key, g.group_code,\n"
        f"       coalesce(d.name_th, '{CITY_NAME_TH}') as group_name_th,\n"
        "       g.is_city, g.progress_pct\n"
        "from bi.mart_group_progress g\n"
        "left join bi.dim_group d on d.group_code = g.group_code\n"
        f"join ({CURRENT_PERIOD_SQL}) c\n"
        "  on g.fiscal_year * 10 + g.period_no <= c.fiscal_year * 10 + c.period_no\n"
        "where g.progress_pct is not null"
    ),
    columns=(
        *_GROUP_KEYS,
        Column("progress_pct", "DOUBLE PRECISION", "ร้อยละความก้าวหน้า"),
    ),
    metrics=(PROGRESS, COUNT_METRIC),
)

_POLICY_COLUMNS = (
    Column("period_key", "VARCHAR", "งวด"),
    Column("policy_code", "VARCHAR", "รหัสนโยบาย"),
    Column("title_th", "VARCHAR", "นโยบาย"),
    Column("dimension_code", "VARCHAR", "รหัสมิติ"),
    Column("dimension_name_th", "VARCHAR", "มิติ"),
    Column("group_code", "VARCHAR", "รหัสกลุ่มภารกิจ"),
    Column("group_name_th", "VARCHAR", "กลุ่มภารกิจ"),
    Column("is_key_project", "BOOLEAN", "โครงการสำคัญ"),
    Column("progress_pct", "DOUBLE PRECISION", "ความก้าวหน้า (%)"),
    Column("h_progress_pct", "DOUBLE PRECISION", "หน่วยงานหลัก H (%)"),
    Column("r_progress_pct", "DOUBLE PRECISION", "หน่วยงานสนับสนุน R (%)"),
    Column("status", "VARCHAR", "สถานะ (รหัส)"),
    Column("status_th", "VARCHAR", "สถานะ"),
)


def _policy_sql(where: str = "") -> str:
    return (
        "select pp.period_key, pp.policy_code, p.title_th, pp.dimension_code,\n"
        "       dm.name_th as dimension_name_th, pp.group_code, g.name_th as group_name_th,\n"
        "       pp.is_key_project, pp.progress_pct, pp.h_progress_pct, pp.r_progress_pct,\n"
        f"       pp.status, {_case('pp.status', STATUS_TH, 'ไม่มีข้อมูล')} as status_th\n"
        "from bi.mart_policy_progress pp\n"
        "join bi.dim_policy p on p.policy_code = pp.policy_code\n"
        "join bi.dim_dimension dm on dm.dimension_code = pp.dimension_code\n"
        "join bi.dim_group g on g.group_code = pp.group_code\n"
        f"join ({CURRENT_PERIOD_SQL}) c\n"
        "  on c.fiscal_year = pp.fiscal_year and c.period_no = pp.period_no" + where
    )


POLICY_PROGRESS = Dataset(
    table_name="bma_policy_progress_current",
    description="ความก้าวหน้ารายนโยบาย งวดล่าสุดที่ครบกำหนดส่ง (bi.mart_policy_progress)",
    sql=_policy_sql(),
    columns=_POLICY_COLUMNS,
    metrics=(PROGRESS, COUNT_METRIC, *POLICY_STATUS_METRICS),
)

KEY_PROJECTS = Dataset(
    table_name="bma_key_projects_current",
    description="โครงการสำคัญของปีงบประมาณ งวดล่าสุดที่ครบกำหนดส่ง (bi.mart_policy_progress)",
    sql=_policy_sql("\nwhere pp.is_key_project"),
    columns=_POLICY_COLUMNS,
    metrics=(PROGRESS, COUNT_METRIC),
)

DISTRICT_COMPLIANCE = Dataset(
    table_name="bma_district_compliance_current",
    description="การส่งรายงานของสำนักงานเขต 50 เขต งวดล่าสุดที่ครบกำหนดส่ง "
    "(bi.mart_submission_compliance)",
    sql=(
        "select s.period_key, s.unit_code, u.name_th as unit_name_th, s.due_date,\n"
        "       s.first_received_at, s.compliance_status,\n"
        f"       {_case('s.compliance_status', COMPLIANCE_TH, 'รอส่ง')} as compliance_status_th,\n"
        "       s.days_late, s.n_rows_accepted, s.n_rows_quarantined\n"
        "from bi.mart_submission_compliance s\n"
        "join bi.dim_unit u on u.unit_code = s.unit_code\n"
        f"join ({CURRENT_PERIOD_SQL}) c\n"
        "  on c.fiscal_year = s.fiscal_year and c.period_no = s.period_no\n"
        "where s.unit_type = 'district'"
    ),
    columns=(
        Column("period_key", "VARCHAR", "งวด"),
        Column("unit_code", "VARCHAR", "รหัสเขต"),
        Column("unit_name_th", "VARCHAR", "สำนักงานเขต"),
        Column("due_date", "DATE", "กำหนดส่ง"),
        Column("first_received_at", "TIMESTAMP WITHOUT TIME ZONE", "วันเวลาที่ได้รับ"),
        Column("compliance_status", "VARCHAR", "สถานะการส่ง (รหัส)"),
        Column("compliance_status_th", "VARCHAR", "สถานะการส่ง"),
        Column("days_late", "INTEGER", "จำนวนวันที่ล่าช้า"),
        Column("n_rows_accepted", "INTEGER", "แถวที่ผ่านการตรวจ"),
        Column("n_rows_quarantined", "INTEGER", "แถวที่ถูกกักไว้"),
    ),
    metrics=(
        Metric("n_districts", "COUNT(DISTINCT unit_code)", "จำนวนเขต"),
        COUNT_METRIC,
    ),
)

MOST_LAGGING = Dataset(
    table_name="bma_most_lagging_current",
    description="นโยบายที่ล่าช้าที่สุด: ล่าช้ากว่าแผนหรือเสี่ยง ความก้าวหน้าต่ำสุดก่อน งวดล่าสุดที่ครบกำหนดส่ง "
    "(bi.rpt_most_lagging_policies: the same list as the executive dashboard and bi/sql)",
    sql=(
        "select l.period_key, l.lag_rank, l.policy_code, l.title_th, l.group_code,\n"
        "       g.name_th as group_name_th, l.lead_units_th, l.progress_pct, l.h_progress_pct,\n"
        "       l.r_progress_pct, l.status,\n"
        f"       {_case('l.status', STATUS_TH, 'ไม่มีข้อมูล')} as status_th\n"
        "from bi.rpt_most_lagging_policies l\n"
        "join bi.dim_group g on g.group_code = l.group_code\n"
        f"join ({CURRENT_PERIOD_SQL}) c\n"
        "  on c.fiscal_year = l.fiscal_year and c.period_no = l.period_no"
    ),
    columns=(
        Column("lag_rank", "INTEGER", "อันดับ"),
        Column("lead_units_th", "VARCHAR", "หน่วยงานรับผิดชอบหลัก"),
        *(
            c
            for c in _POLICY_COLUMNS
            if c.name not in ("dimension_code", "dimension_name_th", "is_key_project")
        ),
    ),
    metrics=(PROGRESS, COUNT_METRIC),
)

MEETING_STATUS_TH = {
    "held": "ประชุมตามกำหนด",
    "late": "ประชุมล่าช้า",
    "missing": "ไม่มีรายงานการประชุม",
    "pending": "ยังไม่ถึงกำหนด",
}
MEETING_METRICS = tuple(
    Metric(f"n_{status}", f"SUM(n_{status})", label) for status, label in MEETING_STATUS_TH.items()
)

MEETINGS_BY_GROUP = Dataset(
    table_name="bma_meetings_by_group_current",
    description="การประชุมหน่วยงานรับผิดชอบหลักกับหน่วยงานสนับสนุน ประชุมตามกำหนด ล่าช้า ไม่มีรายงาน "
    "รายกลุ่มภารกิจและภาพรวม งวดล่าสุดที่ครบกำหนดส่ง (bi.rpt_meetings_by_group, from mart_meetings: "
    "an H unit counts in the group of every policy it leads; the dashboard's and bi/sql's counts)",
    sql=(
        "select m.fiscal_year, m.period_no, m.period_key, m.group_code,\n"
        f"       coalesce(d.name_th, '{CITY_NAME_TH}') as group_name_th,\n"
        "       m.is_city, m.n_lead_units, m.n_held, m.n_late, m.n_missing, m.n_pending,\n"
        "       m.mean_attendance_share\n"
        "from bi.rpt_meetings_by_group m\n"
        "left join bi.dim_group d on d.group_code = m.group_code\n"
        f"join ({CURRENT_PERIOD_SQL}) c\n"
        "  on c.fiscal_year = m.fiscal_year and c.period_no = m.period_no"
    ),
    columns=(
        *_GROUP_KEYS,
        Column("n_lead_units", "INTEGER", "หน่วยงานรับผิดชอบหลัก"),
        Column("n_held", "INTEGER", MEETING_STATUS_TH["held"]),
        Column("n_late", "INTEGER", MEETING_STATUS_TH["late"]),
        Column("n_missing", "INTEGER", MEETING_STATUS_TH["missing"]),
        Column("n_pending", "INTEGER", MEETING_STATUS_TH["pending"]),
        Column("mean_attendance_share", "DOUBLE PRECISION", "สัดส่วนผู้เข้าร่วมประชุมเฉลี่ย"),
    ),
    metrics=(*MEETING_METRICS, COUNT_METRIC),
)

OVERDUE_COMMITMENTS = Dataset(
    table_name="bma_overdue_commitments_current",
    description="หน่วยงานที่มีเรื่องที่รับไปดำเนินการเกินกำหนด ณ สิ้นงวดล่าสุดที่ครบกำหนดส่ง "
    "(bi.mart_commitments, status_at_period_end = overdue; the dashboard's and bi/sql's list)",
    sql=(
        "select c.period_key, c.owner_unit as unit_code, u.name_th as unit_name_th,\n"
        "       count(*) as n_overdue, max(c.days_overdue_at_period_end) as max_days_overdue\n"
        "from bi.mart_commitments c\n"
        "left join bi.dim_unit u on u.unit_code = c.owner_unit\n"
        f"join ({CURRENT_PERIOD_SQL}) p\n"
        "  on p.fiscal_year = c.fiscal_year and p.period_no = c.period_no\n"
        "where c.status_at_period_end = 'overdue'\n"
        "group by c.period_key, c.owner_unit, u.name_th"
    ),
    columns=(
        Column("period_key", "VARCHAR", "งวด"),
        Column("unit_code", "VARCHAR", "รหัสหน่วยงาน"),
        Column("unit_name_th", "VARCHAR", "หน่วยงานผู้รับผิดชอบ"),
        Column("n_overdue", "BIGINT", "เรื่องที่เกินกำหนด"),
        Column("max_days_overdue", "INTEGER", "เกินกำหนดนานสุด (วัน)"),
    ),
    metrics=(
        Metric("overdue", "SUM(n_overdue)", "เรื่องที่เกินกำหนด"),
        COUNT_METRIC,
    ),
)

DATASETS = (
    GROUP_PROGRESS,
    GROUP_TREND,
    POLICY_PROGRESS,
    KEY_PROJECTS,
    MOST_LAGGING,
    DISTRICT_COMPLIANCE,
    MEETINGS_BY_GROUP,
    OVERDUE_COMMITMENTS,
)


# ---------------------------------------------------------------------------------------------
# Charts


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    viz_type: str
    dataset: Dataset
    params: dict[str, Any]
    query: dict[str, Any]

    @property
    def uuid(self) -> str:
        return fixed_uuid(f"chart/{self.key}")

    def full_params(self) -> dict[str, Any]:
        return {
            "datasource": f"{self.dataset.table_name}__table",
            "viz_type": self.viz_type,
            "adhoc_filters": [],
            "extra_form_data": {},
            "dashboards": [],
            **self.params,
        }

    def query_context(self) -> dict[str, Any]:
        query = {
            "filters": [],
            "extras": {"having": "", "where": ""},
            "applied_time_extras": {},
            "columns": [],
            "metrics": [],
            "orderby": [],
            "annotation_layers": [],
            "series_limit": 0,
            "order_desc": True,
            "url_params": {},
            "custom_params": {},
            "custom_form_data": {},
            "post_processing": [],
            **self.query,
        }
        return {
            "datasource": {"id": 0, "type": "table"},
            "force": False,
            "queries": [query],
            "form_data": {**self.full_params(), "force": False, "result_format": "json"},
            "result_format": "json",
            "result_type": "full",
        }


def _axis(column: str) -> dict[str, Any]:
    return {
        "columnType": "BASE_AXIS",
        "sqlExpression": column,
        "label": column,
        "expressionType": "SQL",
    }


def _pivot(index: str, metrics: list[str], columns: list[str] | None = None) -> list[dict]:
    return [
        {
            "operation": "pivot",
            "options": {
                "index": [index],
                "columns": columns or [],
                "aggregates": {m: {"operator": "mean"} for m in metrics},
                "drop_missing_columns": False,
            },
        },
        {"operation": "flatten"},
    ]


def _bar_params(x_axis: str, metrics: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "x_axis": x_axis,
        "x_axis_sort_asc": True,
        "metrics": metrics,
        "groupby": [],
        "row_limit": 1000,
        "truncate_metric": True,
        "show_legend": True,
        "legendType": "scroll",
        "legendOrientation": "top",
        "show_value": True,
        "rich_tooltip": True,
        "y_axis_format": "SMART_NUMBER",
        "color_scheme": "supersetColors",
        "label_colors": STATUS_COLORS,
        "x_axis_title_margin": 30,
        "y_axis_title_margin": 50,
        "y_axis_title_position": "Left",
        **extra,
    }


def _table_params(columns: list[str], order_by: list[tuple[str, bool]], limit: int) -> dict:
    return {
        "query_mode": "raw",
        "all_columns": columns,
        "order_by_cols": [json.dumps([col, asc]) for col, asc in order_by],
        "row_limit": limit,
        "server_page_length": 10,
        "include_search": False,
        "show_cell_bars": True,
        "table_timestamp_format": "smart_date",
        "color_pn": False,
        "column_config": {
            "progress_pct": {"d3NumberFormat": ".1f"},
            "h_progress_pct": {"d3NumberFormat": ".1f"},
            "r_progress_pct": {"d3NumberFormat": ".1f"},
        },
    }


def _table_query(columns: list[str], order_by: list[tuple[str, bool]], limit: int) -> dict:
    # metrics None (not []): a raw-records query, no GROUP BY (as the table chart sends it)
    return {
        "columns": columns,
        "metrics": None,
        "orderby": [[c, asc] for c, asc in order_by],
        "row_limit": limit,
    }


_STATUS_METRICS = [m.name for m in POLICY_STATUS_METRICS]
_MEETING_METRICS = [m.name for m in MEETING_METRICS]
_POLICY_TABLE = [
    "policy_code",
    "title_th",
    "group_name_th",
    "progress_pct",
    "h_progress_pct",
    "r_progress_pct",
    "status_th",
]
_LAGGING_TABLE = [
    "lag_rank",
    "policy_code",
    "title_th",
    "lead_units_th",
    "progress_pct",
    "h_progress_pct",
    "r_progress_pct",
    "status_th",
]
_DISTRICT_TABLE = [
    "unit_code",
    "unit_name_th",
    "compliance_status_th",
    "first_received_at",
    "days_late",
    "n_rows_accepted",
    "n_rows_quarantined",
]

CHARTS = (
    Chart(
        key="city_progress",
        title="ความก้าวหน้าภาพรวมกรุงเทพมหานคร (%)",
        description="ร้อยละความก้าวหน้าของทั้งเมือง งวดล่าสุดที่ครบกำหนดส่ง (mart_group_progress แถว CITY)",
        viz_type="big_number_total",
        dataset=GROUP_PROGRESS,
        params={
            "metric": "city_progress_pct",
            "subheader": "ร้อยละของเป้าหมายสะสม งวดล่าสุดที่ครบกำหนดส่ง",
            "y_axis_format": ".1f",
            "header_font_size": 0.4,
            "subheader_font_size": 0.15,
        },
        query={"metrics": ["city_progress_pct"]},
    ),
    Chart(
        key="group_progress",
        title="ความก้าวหน้ารายกลุ่มภารกิจ (%)",
        description="ร้อยละความก้าวหน้าของแต่ละกลุ่มภารกิจและภาพรวมเมือง งวดล่าสุด",
        viz_type="echarts_timeseries_bar",
        dataset=GROUP_PROGRESS,
        params=_bar_params(
            "group_name_th",
            ["progress_pct"],
            # no axis titles: the chart title says it, and long Thai names need the room
            x_axis_title="",
            y_axis_title="",
            y_axis_format=".1f",
            show_legend=False,
            # horizontal: the long Thai group names stay readable on the category axis
            orientation="horizontal",
        ),
        query={
            "columns": [_axis("group_name_th")],
            "metrics": ["progress_pct"],
            "orderby": [["progress_pct", False]],
            "row_limit": 1000,
            "post_processing": _pivot("group_name_th", ["progress_pct"]),
        },
    ),
    Chart(
        key="progress_trend",
        title="แนวโน้มความก้าวหน้ารายงวด (%)",
        description="ร้อยละความก้าวหน้าของภาพรวมเมืองและแต่ละกลุ่มภารกิจ ทุกงวดจนถึงงวดล่าสุด",
        viz_type="echarts_timeseries_line",
        dataset=GROUP_TREND,
        params={
            "x_axis": "period_key",
            "x_axis_sort_asc": True,
            "metrics": ["progress_pct"],
            "groupby": ["group_name_th"],
            "row_limit": 1000,
            "show_legend": True,
            "legendType": "scroll",
            "legendOrientation": "top",
            "markerEnabled": True,
            "rich_tooltip": True,
            "y_axis_format": ".1f",
            "color_scheme": "supersetColors",
        },
        query={
            "columns": [_axis("period_key"), "group_name_th"],
            "metrics": ["progress_pct"],
            "orderby": [["progress_pct", False]],
            "row_limit": 1000,
            "post_processing": _pivot("period_key", ["progress_pct"], ["group_name_th"]),
        },
    ),
    Chart(
        key="policy_status_by_dimension",
        title="จำนวนนโยบายตามสถานะ รายมิติ",
        description="นโยบายแต่ละมิติ แยกตามสถานะ (ตามแผน เสี่ยง ล่าช้ากว่าแผน ไม่มีข้อมูล) งวดล่าสุด",
        viz_type="echarts_timeseries_bar",
        dataset=POLICY_PROGRESS,
        params=_bar_params(
            "dimension_name_th",
            _STATUS_METRICS,
            stack="Stack",
            orientation="horizontal",
            x_axis_title="มิติ",
            y_axis_title="จำนวนนโยบาย",
            show_value=False,
        ),
        query={
            "columns": [_axis("dimension_name_th")],
            "metrics": _STATUS_METRICS,
            "orderby": [[_STATUS_METRICS[0], False]],
            "row_limit": 1000,
            "post_processing": _pivot("dimension_name_th", _STATUS_METRICS),
        },
    ),
    Chart(
        key="key_projects",
        title="โครงการสำคัญ",
        description="นโยบายที่เป็นโครงการสำคัญของปีงบประมาณ ความก้าวหน้าและสถานะ งวดล่าสุด "
        "(H = หน่วยงานรับผิดชอบหลัก, R = หน่วยงานสนับสนุน)",
        viz_type="table",
        dataset=KEY_PROJECTS,
        params=_table_params(_POLICY_TABLE, [("progress_pct", True)], 1000),
        query=_table_query(_POLICY_TABLE, [("progress_pct", True)], 1000),
    ),
    Chart(
        # the dataset holds the list (rpt_most_lagging_policies): the chart only orders it
        key="lagging_policies",
        title="นโยบายที่ล่าช้าที่สุด",
        description="นโยบายที่ล่าช้ากว่าแผนหรือเสี่ยง ความก้าวหน้าต่ำสุดก่อน (ไม่เกิน 15 นโยบาย) งวดล่าสุด "
        "พร้อมหน่วยงานรับผิดชอบหลัก",
        viz_type="table",
        dataset=MOST_LAGGING,
        params=_table_params(_LAGGING_TABLE, [("lag_rank", True)], 1000),
        query=_table_query(_LAGGING_TABLE, [("lag_rank", True)], 1000),
    ),
    Chart(
        key="district_compliance_summary",
        title="การส่งรายงานของ 50 สำนักงานเขต",
        description="จำนวนสำนักงานเขตตามสถานะการส่งรายงาน งวดล่าสุดที่ครบกำหนดส่ง",
        viz_type="pie",
        dataset=DISTRICT_COMPLIANCE,
        params={
            "groupby": ["compliance_status_th"],
            "metric": "n_districts",
            "row_limit": 100,
            "sort_by_metric": True,
            "show_labels": True,
            "label_type": "key_value",
            "labels_outside": True,
            "show_legend": True,
            "legendOrientation": "top",
            "donut": True,
            "show_total": True,
            "number_format": "SMART_NUMBER",
            "color_scheme": "supersetColors",
            "label_colors": STATUS_COLORS,
        },
        query={
            "columns": ["compliance_status_th"],
            "metrics": ["n_districts"],
            "orderby": [["n_districts", False]],
            "row_limit": 100,
        },
    ),
    Chart(
        key="district_compliance_table",
        title="สถานะการส่งรายงาน รายสำนักงานเขต",
        description="ทุกสำนักงานเขต: สถานะการส่ง วันเวลาที่ได้รับ จำนวนวันที่ล่าช้า และแถวที่ผ่านหรือถูกกักไว้ งวดล่าสุด",
        viz_type="table",
        dataset=DISTRICT_COMPLIANCE,
        params=_table_params(
            _DISTRICT_TABLE, [("compliance_status", True), ("unit_code", True)], 100
        ),
        query=_table_query(
            _DISTRICT_TABLE, [("compliance_status", True), ("unit_code", True)], 100
        ),
    ),
)

CHARTS = (
    *CHARTS,
    Chart(
        key="meetings_by_group",
        title="การประชุมหน่วยงานหลักกับหน่วยงานสนับสนุน รายกลุ่มภารกิจ",
        description="ประชุมตามกำหนด ล่าช้า ไม่มีรายงานการประชุม ยังไม่ถึงกำหนด รายกลุ่มภารกิจและภาพรวม "
        "งวดล่าสุด (หน่วยงานหลักนับในกลุ่มของทุกนโยบายที่รับผิดชอบ ภาพรวมนับหน่วยงานละครั้ง)",
        viz_type="echarts_timeseries_bar",
        dataset=MEETINGS_BY_GROUP,
        params=_bar_params(
            "group_name_th",
            _MEETING_METRICS,
            stack="Stack",
            orientation="horizontal",
            x_axis_title="",
            y_axis_title="จำนวนหน่วยงานรับผิดชอบหลัก",
            show_value=False,
        ),
        query={
            "columns": [_axis("group_name_th")],
            "metrics": _MEETING_METRICS,
            "orderby": [[_MEETING_METRICS[0], False]],
            "row_limit": 1000,
            "post_processing": _pivot("group_name_th", _MEETING_METRICS),
        },
    ),
    Chart(
        key="overdue_commitments",
        title="หน่วยงานที่มีเรื่องที่รับไปดำเนินการเกินกำหนดมากที่สุด",
        description="จำนวนเรื่องที่รับไปดำเนินการจากการประชุมที่เกินกำหนด ณ สิ้นงวดล่าสุด รายหน่วยงานผู้รับผิดชอบ "
        "(10 หน่วยงานแรก)",
        viz_type="echarts_timeseries_bar",
        dataset=OVERDUE_COMMITMENTS,
        params=_bar_params(
            "unit_name_th",
            ["overdue"],
            orientation="horizontal",
            x_axis_title="",
            y_axis_title="",
            show_legend=False,
            row_limit=10,
        ),
        query={
            "columns": [_axis("unit_name_th")],
            "metrics": ["overdue"],
            "orderby": [["overdue", False]],
            "row_limit": 10,
            "post_processing": _pivot("unit_name_th", ["overdue"]),
        },
    ),
)

# Dashboard rows: (chart key, width of 12), height in grid units.
LAYOUT: tuple[tuple[tuple[str, int], ...], ...] = (
    (("city_progress", 3), ("group_progress", 4), ("progress_trend", 5)),
    (("policy_status_by_dimension", 7), ("district_compliance_summary", 5)),
    (("key_projects", 6), ("lagging_policies", 6)),
    (("meetings_by_group", 6), ("overdue_commitments", 6)),
    (("district_compliance_table", 12),),
)
ROW_HEIGHT = 60

INTRO_MARKDOWN = (
    "### ความก้าวหน้าตามนโยบายผู้ว่าราชการกรุงเทพมหานคร\n"
    "ข้อมูลงวดล่าสุดที่ครบกำหนดส่งรายงาน จาก schema `bi` (มุมมองที่ผ่านการตรวจคุณภาพ) "
    "ผ่านบทบาทอ่านอย่างเดียว `bma_bi_reader` · "
    "ความก้าวหน้า = ร้อยละของเป้าหมายสะสม (สูงสุด 120% ต่อคู่หน่วยงาน–ตัวชี้วัด) · "
    "สถานะ: ตามแผน ≥ 100%, เสี่ยง 80–99%, ล่าช้ากว่าแผน < 80%"
)


# ---------------------------------------------------------------------------------------------
# Rendering


def database_config(uri: str = DATABASE_URI_PLACEHOLDER) -> dict[str, Any]:
    return {
        "database_name": DATABASE_NAME,
        "sqlalchemy_uri": uri,
        "cache_timeout": None,
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "allow_file_upload": False,
        "extra": {
            "allows_virtual_table_explore": True,
            "schemas_allowed_for_file_upload": [],
            "engine_params": {},
            "metadata_params": {},
        },
        "impersonate_user": False,
        "uuid": DATABASE_UUID,
        "version": VERSION,
    }


def dataset_config(ds: Dataset) -> dict[str, Any]:
    return {
        "table_name": ds.table_name,
        "main_dttm_col": None,
        "description": ds.description,
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": None,
        "catalog": None,
        "schema": "bi",
        "sql": ds.sql,
        "params": None,
        "template_params": None,
        "filter_select_enabled": True,
        "fetch_values_predicate": None,
        "extra": None,
        "normalize_columns": False,
        "always_filter_main_dttm": False,
        "uuid": ds.uuid,
        "metrics": [
            {
                "metric_name": m.name,
                "verbose_name": m.verbose_name,
                "metric_type": None,
                "expression": m.expression,
                "description": None,
                "d3format": m.d3format,
                "currency": None,
                "extra": {},
                "warning_text": None,
            }
            for m in ds.metrics
        ],
        "columns": [
            {
                "column_name": c.name,
                "verbose_name": c.verbose_name,
                "is_dttm": c.type.startswith(("DATE", "TIMESTAMP")),
                "is_active": True,
                "type": c.type,
                "advanced_data_type": None,
                "groupby": c.groupby,
                "filterable": True,
                "expression": None,
                "description": None,
                "python_date_format": None,
                "extra": {},
            }
            for c in ds.columns
        ],
        "version": VERSION,
        "database_uuid": DATABASE_UUID,
    }


def chart_config(chart: Chart) -> dict[str, Any]:
    return {
        "slice_name": chart.title,
        "description": chart.description,
        "certified_by": None,
        "certification_details": None,
        "viz_type": chart.viz_type,
        "params": chart.full_params(),
        "query_context": json.dumps(chart.query_context(), ensure_ascii=False, sort_keys=True),
        "cache_timeout": None,
        "uuid": chart.uuid,
        "version": VERSION,
        "dataset_uuid": chart.dataset.uuid,
    }


def _position() -> dict[str, Any]:
    charts = {c.key: c for c in CHARTS}
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": DASHBOARD_TITLE}},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
    }
    intro_row = "ROW-intro"
    position["GRID_ID"]["children"].append(intro_row)
    position[intro_row] = {
        "type": "ROW",
        "id": intro_row,
        "children": ["MARKDOWN-intro"],
        "parents": ["ROOT_ID", "GRID_ID"],
        "meta": {"background": "BACKGROUND_TRANSPARENT"},
    }
    position["MARKDOWN-intro"] = {
        "type": "MARKDOWN",
        "id": "MARKDOWN-intro",
        "children": [],
        "parents": ["ROOT_ID", "GRID_ID", intro_row],
        "meta": {"width": 12, "height": 20, "code": INTRO_MARKDOWN},
    }
    for number, row in enumerate(LAYOUT, start=1):
        row_id = f"ROW-{number}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {
            "type": "ROW",
            "id": row_id,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        for key, width in row:
            chart = charts[key]
            chart_id = f"CHART-{key}"
            position[row_id]["children"].append(chart_id)
            position[chart_id] = {
                "type": "CHART",
                "id": chart_id,
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID", row_id],
                "meta": {
                    "chartId": 0,
                    "uuid": chart.uuid,
                    "sliceName": chart.title,
                    "width": width,
                    "height": ROW_HEIGHT,
                },
            }
    return position


def dashboard_config() -> dict[str, Any]:
    return {
        "dashboard_title": DASHBOARD_TITLE,
        "description": None,
        "css": "",
        "slug": DASHBOARD_SLUG,
        "certified_by": "สำนักยุทธศาสตร์และประเมินผล",
        "certification_details": "ตัวเลขตามนิยามของ marts (docs/DOMAIN.md §4)",
        "published": True,
        "uuid": DASHBOARD_UUID,
        "position": _position(),
        "metadata": {
            "color_scheme": "supersetColors",
            "label_colors": STATUS_COLORS,
            "shared_label_colors": [],
            "map_label_colors": {},
            "color_scheme_domain": [],
            "refresh_frequency": 0,
            "expanded_slices": {},
            "timed_refresh_immune_slices": [],
            "cross_filters_enabled": False,
            "chart_configuration": {},
            "global_chart_configuration": {
                "scope": {"rootPath": ["ROOT_ID"], "excluded": []},
                "chartsInScope": [],
            },
            "native_filter_configuration": [],
        },
        "version": VERSION,
    }


def slug(text: str) -> str:
    return "".join(ch if ch.isalnum() and ch.isascii() else "_" for ch in text).strip("_")


def bundle_files(database_uri: str = DATABASE_URI_PLACEHOLDER) -> dict[str, dict[str, Any]]:
    """Relative path → YAML content, as `superset export-dashboards` lays the bundle out."""
    files: dict[str, dict[str, Any]] = {
        "metadata.yaml": {
            "version": VERSION,
            "type": "Dashboard",
            "timestamp": "2026-11-25T00:00:00+00:00",
        },
        f"databases/{slug(DATABASE_NAME)}.yaml": database_config(database_uri),
        f"dashboards/{DASHBOARD_SLUG}.yaml": dashboard_config(),
    }
    for ds in DATASETS:
        files[f"datasets/{slug(DATABASE_NAME)}/{ds.table_name}.yaml"] = dataset_config(ds)
    for chart in CHARTS:
        files[f"charts/{chart.key}.yaml"] = chart_config(chart)
    return files


def render_yaml(content: dict[str, Any]) -> str:
    return yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=100)


def write_bundle(out: Path) -> list[Path]:
    written = []
    for relative, content in bundle_files().items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_yaml(content), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the definition")
    args = parser.parse_args(argv)
    for path in write_bundle(args.out):
        print(path)


if __name__ == "__main__":
    main()
