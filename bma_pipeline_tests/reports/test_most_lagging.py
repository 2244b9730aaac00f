"""The most lagging policies are one list: the executive dashboard, the bi/sql tile and the
Superset chart show the same policies in the same order for the generated warehouse, and that
list is the off-track and at-risk policies, lowest progress first, at most 15."""

from __future__ import annotations

import json

import pytest
import yaml

from bma_pipeline.fiscal import Period
from bma_pipeline.reports.dashboard import collect_dashboard

from . import expected
from .conftest import PERIOD_KEY, REPO_ROOT, ReportRun

BUNDLE = REPO_ROOT / "bi" / "superset" / "bundle"
LAGGING_CHART_TITLE = "นโยบายที่ล่าช้าที่สุด"


def superset_chart_sql() -> str:
    """The committed Superset chart as Superset runs it: its dataset's SQL, ordered and limited
    by the chart's own params."""
    charts = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in BUNDLE.glob("charts/*.yaml")]
    [chart] = [c for c in charts if c["slice_name"] == LAGGING_CHART_TITLE]
    datasets = {
        d["uuid"]: d
        for d in (yaml.safe_load(p.read_text(encoding="utf-8")) for p in BUNDLE.rglob("*.yaml"))
        if "table_name" in d
    }
    sql = datasets[chart["dataset_uuid"]]["sql"]
    order = ", ".join(
        f"{column} {'asc' if ascending else 'desc'}"
        for column, ascending in map(json.loads, chart["params"]["order_by_cols"])
    )
    return f"select * from ({sql}) chart order by {order} limit {chart['params']['row_limit']}"


@pytest.fixture(scope="module")
def lagging(report_run: ReportRun) -> dict[str, list[str]]:
    """Reader → the policy codes it lists as most lagging for the period."""
    with report_run.read() as wh:
        dashboard = collect_dashboard(wh, Period.from_key(PERIOD_KEY)).lagging
        tile = wh.query((REPO_ROOT / "bi" / "sql" / "most_lagging_policies.sql").read_text())
        chart = wh.query(superset_chart_sql())
        policies = expected.policies(wh, PERIOD_KEY)
    assert set(chart["period_key"]) == {PERIOD_KEY}, "Superset's current period is the run's"
    behind = policies[policies["status"].isin(["off_track", "at_risk"])]
    return {
        "dashboard": list(dashboard["policy_code"]),
        "bi/sql": list(tile.loc[tile["period_key"] == PERIOD_KEY, "policy_code"]),
        "superset": list(chart["policy_code"]),
        "by hand": list(behind.sort_values(["progress_pct", "policy_code"])["policy_code"][:15]),
    }


def test_dashboard_tile_and_superset_list_the_same_policies(lagging):
    assert lagging["by hand"], "the generated data has policies behind plan"
    assert lagging["dashboard"] == lagging["bi/sql"] == lagging["superset"] == lagging["by hand"]


def test_no_policy_on_track_or_without_data_is_listed(report_run, lagging):
    with report_run.read() as wh:
        policies = expected.policies(wh, PERIOD_KEY).set_index("policy_code")
    assert {policies.at[code, "status"] for code in lagging["superset"]} <= {"off_track", "at_risk"}
    assert len(lagging["superset"]) <= 15
