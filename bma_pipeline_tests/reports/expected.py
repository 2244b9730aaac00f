"""What the reports must show, read from the marts by queries written here, independently of
`bma_pipeline.reports`, and the Thai labels as docs/DOMAIN.md and the mart docs name them.

What belongs here: expected figures and labels. What does not: parsing reports (html.py) or
building the warehouse (conftest.py).
"""

from __future__ import annotations

import math

import pandas as pd

from bma_pipeline.warehouse import Warehouse

STATUS_TH = {
    "on_track": "ตามแผน",
    "at_risk": "เสี่ยง",
    "off_track": "ล่าช้ากว่าแผน",
    "no_data": "ไม่มีข้อมูล",
}
COMPLIANCE_TH = {"on_time": "ส่งตรงเวลา", "late": "ส่งล่าช้า", "missing": "ไม่ส่ง", "pending": "รอส่ง"}
THAI = "\u0e00-\u0e7f"  # the Thai Unicode block, as a regex character range


def pct(value: float | None) -> str:
    """How the reports print a percentage: one decimal, a space, %."""
    return "–" if value is None or math.isnan(value) else f"{value:,.1f} %"


def group_progress(wh: Warehouse, period_key: str) -> pd.DataFrame:
    return wh.query(
        "select group_code, progress_pct, status, n_policies, n_policies_with_data "
        "from marts.mart_group_progress where period_key = :period order by group_code",
        {"period": period_key},
    )


def policies(wh: Warehouse, period_key: str) -> pd.DataFrame:
    return wh.query(
        "select policy_code, dimension_code, is_key_project, progress_pct, status "
        "from marts.mart_policy_progress where period_key = :period order by policy_code",
        {"period": period_key},
    )


def status_by_dimension(wh: Warehouse, period_key: str) -> dict[str, dict[str, int]]:
    """dimension → status → policies, every dimension of dim_dimension, zeros included."""
    rows = wh.query(
        "select d.dimension_code, p.status, count(p.policy_code) as n "
        "from marts.dim_dimension d left join marts.mart_policy_progress p "
        "  on p.dimension_code = d.dimension_code and p.period_key = :period "
        "group by 1, 2",
        {"period": period_key},
    )
    out: dict[str, dict[str, int]] = {}
    for row in rows.itertuples():
        counts = out.setdefault(row.dimension_code, dict.fromkeys(STATUS_TH, 0))
        if isinstance(row.status, str):
            counts[row.status] = int(row.n)
    return out


def district_compliance(wh: Warehouse, period_key: str) -> dict[str, str]:
    """district unit code → compliance status (no_target when it has no row in the mart)."""
    rows = wh.query(
        "select u.unit_code, c.compliance_status from marts.dim_unit u "
        "left join marts.mart_submission_compliance c "
        "  on c.unit_code = u.unit_code and c.period_key = :period "
        "where u.unit_type = 'district'",
        {"period": period_key},
    )
    return {r.unit_code: r.compliance_status or "no_target" for r in rows.itertuples()}


def lead_policies(wh: Warehouse, unit_code: str, period_key: str) -> pd.DataFrame:
    return wh.query(
        "select m.policy_code, m.status, m.progress_pct from marts.mart_policy_progress m "
        "where m.period_key = :period and m.policy_code in "
        "  (select policy_code from marts.dim_assignment where role = 'H' and unit_code = :unit) "
        "order by m.policy_code",
        {"period": period_key, "unit": unit_code},
    )
