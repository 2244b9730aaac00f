"""Apache Superset on the published marts: the executive dashboard imported from the bundle,
every chart's figures equal to the marts, and the dashboard drawn without errors in Chromium.

Needs PostgreSQL, Superset's own venv (`make superset-venv`) and Chromium; without one of them
the tests skip with the reason, under CI=true they fail (CI installs all three).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

from bma_tools.superset import bundle as sb
from bma_tools.superset import export
from bma_tools.superset.provision import SupersetClient, provision

from ..browser import Chromium, require_chromium
from .test_superset_bundle import committed_bundle

pytestmark = [pytest.mark.superset, pytest.mark.postgres, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
SUPERSET_VENV = Path(os.getenv("SUPERSET_VENV", REPO / ".venv-superset"))
SCREENSHOT = REPO / "test-output" / "superset" / "executive_dashboard.png"
CURRENT = f"({sb.CURRENT_PERIOD_SQL})"


def _missing(problem: str) -> None:
    if os.getenv("CI", "").lower() == "true":
        pytest.fail(f"{problem}; CI installs it (make test), so this is an error")
    pytest.skip(problem)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def warehouse(pg_server_url, tmp_path_factory):
    """A fresh PostgreSQL warehouse, two periods loaded and published to `bi`."""
    import psycopg

    from bma_pipeline.cli import run_pipeline
    from bma_sample.submissions import generate_submissions

    name = f"bma_test_superset_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server_url, autocommit=True) as con:
        con.execute(f"create database {name}")
    url = urlunparse(urlparse(pg_server_url)._replace(path=f"/{name}"))
    work = tmp_path_factory.mktemp("superset_warehouse")
    try:
        generate_submissions(work / "landing", 2566, [1, 2], seed=11)
        # after period 2's deadline (10 Feb 2023): P2 is the current period
        result = run_pipeline(
            work / "landing",
            url,
            work / "reports",
            as_of="2023-02-20T09:00:00",
            quiet=True,
        )
        assert result.success
        yield url
    finally:
        with psycopg.connect(pg_server_url, autocommit=True) as con:
            con.execute(f"drop database if exists {name} with (force)")


@pytest.fixture(scope="module")
def superset_venv() -> Path:
    if not (SUPERSET_VENV / "bin" / "superset").exists():
        _missing(f"no Superset venv at {SUPERSET_VENV} (make superset-venv)")
    return SUPERSET_VENV


@pytest.fixture(scope="module")
def superset(superset_venv, warehouse, tmp_path_factory):
    """`bi/superset/superset.sh up` against the test warehouse on a free port; stopped by pid."""
    home = tmp_path_factory.mktemp("superset_home")
    port = _free_port()
    parsed = urlparse(warehouse)
    reader = urlunparse(
        parsed._replace(netloc=f"bma_bi_reader@{parsed.hostname}:{parsed.port or 5432}")
    )
    env = {
        **os.environ,
        "SUPERSET_VENV": str(superset_venv),
        "PIPELINE_PYTHON": sys.executable,
        "BMA_SUPERSET_HOME": str(home),
        "SUPERSET_PORT": str(port),
        "BMA_SUPERSET_WAREHOUSE": reader,
        "BMA_SUPERSET_DUCKDB": str(home / "no-duckdb-here.duckdb"),
        "SUPERSET_ADMIN_USERNAME": "admin",
        "SUPERSET_ADMIN_PASSWORD": "admin",
    }
    script = REPO / "bi" / "superset" / "superset.sh"
    started = time.monotonic()
    try:
        up = subprocess.run(
            [str(script), "up"], env=env, capture_output=True, text=True, timeout=900
        )
        assert up.returncode == 0, up.stdout + up.stderr
        assert f"http://127.0.0.1:{port}/superset/dashboard/bma-executive/" in up.stdout
        assert "login: admin / admin" in up.stdout
        print(f"superset up in {time.monotonic() - started:.0f} s")
        client = SupersetClient(f"http://127.0.0.1:{port}")
        client.login("admin", "admin")
        client.home, client.reader_url = home, reader
        yield client
    finally:
        pid_file = home / "superset.pid"
        pid = int(pid_file.read_text()) if pid_file.exists() else None
        subprocess.run([str(script), "stop"], env=env, capture_output=True, timeout=60)
        if pid is not None:
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)


def _marts(warehouse: str, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(warehouse) as con:
        return con.execute(sql).fetchall()


def _charts(client: SupersetClient) -> dict[str, dict]:
    """Chart key → {id, data rows} for every chart on the dashboard."""
    listed = client.json("GET", f"/api/v1/dashboard/{sb.DASHBOARD_SLUG}/charts")["result"]
    by_title = {c.title: c.key for c in sb.CHARTS}
    charts = {}
    for chart in listed:
        result = client.chart_data(chart["id"])["result"][0]
        assert not result.get("error"), (chart["slice_name"], result.get("error"))
        charts[by_title[chart["slice_name"]]] = {"id": chart["id"], "data": result["data"]}
    return charts


def test_every_chart_answers_with_the_marts_figures(superset, warehouse):
    charts = _charts(superset)
    assert set(charts) == {c.key for c in sb.CHARTS}
    (fiscal_year, period_no), *_ = _marts(warehouse, sb.CURRENT_PERIOD_SQL)
    assert (fiscal_year, period_no) == (2566, 2)
    current = f"fiscal_year = {fiscal_year} and period_no = {period_no}"

    city = _marts(
        warehouse, f"select progress_pct from marts.mart_group_progress where is_city and {current}"
    )[0][0]
    assert charts["city_progress"]["data"][0]["city_progress_pct"] == pytest.approx(city)

    groups = dict(
        _marts(
            warehouse,
            "select coalesce(d.name_th, 'ภาพรวมกรุงเทพมหานคร'), g.progress_pct "
            "from marts.mart_group_progress g left join marts.dim_group d using (group_code) "
            f"where g.{current.replace(' and ', ' and g.')}",
        )
    )
    shown = {row["group_name_th"]: row["progress_pct"] for row in charts["group_progress"]["data"]}
    assert shown == pytest.approx(groups)
    g2 = _marts(
        warehouse,
        f"select progress_pct from marts.mart_group_progress where group_code = 'G2' and {current}",
    )[0][0]
    assert shown["คุณภาพชีวิต"] == pytest.approx(g2)

    # trend: one point per period up to the current one, per group and the city
    trend = charts["progress_trend"]["data"]
    assert [row["period_key"] for row in trend] == [f"2566-P{p}" for p in range(1, period_no + 1)]
    p1_g2 = _marts(
        warehouse,
        "select progress_pct from marts.mart_group_progress "
        "where group_code = 'G2' and period_key = '2566-P1'",
    )[0][0]
    assert trend[0]["progress_pct, คุณภาพชีวิต"] == pytest.approx(p1_g2)

    # policies by status per dimension
    expected = {
        (dimension, status): n
        for dimension, status, n in _marts(
            warehouse,
            "select d.name_th, p.status, count(*) from marts.mart_policy_progress p "
            "join marts.dim_dimension d using (dimension_code) "
            f"where p.{current.replace(' and ', ' and p.')} group by 1, 2",
        )
    }
    shown = {
        (row["dimension_name_th"], status): row[f"n_{status}"]
        for row in charts["policy_status_by_dimension"]["data"]
        for status in sb.STATUS_TH
        if row[f"n_{status}"]
    }
    assert shown == expected
    assert sum(shown.values()) == _marts(warehouse, "select count(*) from marts.dim_policy")[0][0]

    key_projects = _marts(
        warehouse,
        f"select policy_code from marts.mart_policy_progress where is_key_project and {current}",
    )
    assert len(key_projects) > 0
    assert {r["policy_code"] for r in charts["key_projects"]["data"]} == {
        code for (code,) in key_projects
    }

    # the most lagging: off track or at risk, lowest first, at most 15 (as the dashboard)
    lagging = _marts(
        warehouse,
        "select policy_code, progress_pct from marts.mart_policy_progress "
        f"where status in ('off_track', 'at_risk') and {current} "
        "order by progress_pct, policy_code limit 15",
    )
    shown_lagging = charts["lagging_policies"]["data"]
    assert len(shown_lagging) == len(lagging) > 0
    assert [r["policy_code"] for r in shown_lagging] == [code for code, _ in lagging]
    assert [r["progress_pct"] for r in shown_lagging] == pytest.approx([p for _, p in lagging])

    # the 50 districts' submission compliance: every district once, counts as in the mart
    n_districts = _marts(
        warehouse, "select count(*) from marts.dim_unit where unit_type = 'district'"
    )[0][0]
    assert n_districts == 50
    pie = {
        r["compliance_status_th"]: r["n_districts"]
        for r in charts["district_compliance_summary"]["data"]
    }
    assert sum(pie.values()) == n_districts
    by_status = dict(
        _marts(
            warehouse,
            "select compliance_status, count(*) from marts.mart_submission_compliance "
            f"where unit_type = 'district' and {current} group by 1",
        )
    )
    assert pie == {sb.COMPLIANCE_TH[s]: n for s, n in by_status.items()}
    table = charts["district_compliance_table"]["data"]
    assert len({r["unit_code"] for r in table}) == len(table) == n_districts

    # H–R meetings per group: as mart_meetings counts them through the policies each H unit leads
    meetings = {
        (group, status): n
        for group, status, n in _marts(
            warehouse,
            "select coalesce(g.name_th, 'ภาพรวมกรุงเทพมหานคร'), m.meeting_status, count(*) "
            "from (select distinct a.unit_code, p.group_code from marts.dim_assignment a "
            "      join marts.mart_policy_progress p on p.policy_code = a.policy_code "
            f"      and p.fiscal_year = a.fiscal_year and p.{current.replace(' and ', ' and p.')} "
            "      and p.period_no between a.valid_from_period and a.valid_to_period "
            "      where a.role = 'H' "
            "      union all select distinct a.unit_code, null from marts.dim_assignment a "
            "      where a.role = 'H') u "
            "join marts.mart_meetings m on m.h_unit_code = u.unit_code "
            f"  and m.{current.replace(' and ', ' and m.')} "
            "left join marts.dim_group g on g.group_code = u.group_code group by 1, 2",
        )
    }
    shown = {
        (row["group_name_th"], status): row[f"n_{status}"]
        for row in charts["meetings_by_group"]["data"]
        for status in sb.MEETING_STATUS_TH
        if row[f"n_{status}"]
    }
    assert shown == meetings

    # the units with the most commitments overdue at the current period's end
    overdue = _marts(
        warehouse,
        "select owner_unit, count(*) from marts.mart_commitments "
        f"where status_at_period_end = 'overdue' and {current} group by 1 order by 2 desc",
    )
    assert overdue, "the sample leaves commitments overdue"
    shown = charts["overdue_commitments"]["data"]
    assert len(shown) == min(10, len(overdue))
    assert [r["overdue"] for r in shown] == [n for _, n in overdue[: len(shown)]]


def test_reimport_updates_in_place(superset, warehouse):
    before = sorted(
        c["id"]
        for c in superset.json("GET", f"/api/v1/dashboard/{sb.DASHBOARD_SLUG}/charts")["result"]
    )
    bundle = REPO / "bi" / "superset" / "bundle"
    dashboard = provision(superset.base_url, bundle, superset.reader_url, "admin", "admin")
    after = sorted(
        c["id"]
        for c in superset.json("GET", f"/api/v1/dashboard/{sb.DASHBOARD_SLUG}/charts")["result"]
    )
    assert after == before
    assert superset.json("GET", "/api/v1/chart/?q=(page_size:100)")["count"] == len(sb.CHARTS)
    assert superset.json("GET", "/api/v1/dataset/?q=(page_size:100)")["count"] == len(sb.DATASETS)
    assert dashboard["dashboard_title"] == sb.DASHBOARD_TITLE


def test_exporting_the_imported_bundle_gives_the_committed_bundle(superset):
    """The committed bundle, imported by `superset.sh up`, exported again by Superset and
    normalised: the same files, byte for byte (the round trip `make superset-bundle` relies on)."""
    exported = export.render_files(export.normalize(export.export_dashboard(superset)))
    committed = committed_bundle()
    assert sorted(exported) == sorted(committed)
    changed = [path for path in committed if exported[path] != committed[path]]
    assert changed == [], "run: make superset-bundle"


PROBE = """
(() => {
  const charts = [...document.querySelectorAll('[data-test="chart-grid-component"]')];
  const errors = charts.flatMap(c => [...c.querySelectorAll('[role="alert"], .ant-alert-error')])
    .map(e => e.innerText.trim()).filter(Boolean);
  const drawn = charts.filter(c =>
    !c.querySelector('[data-test="loading-indicator"]')
    && c.querySelector('canvas, svg, table, .header-line')).length;
  return {holders: charts.length, drawn: drawn,
          loading: document.querySelectorAll('[data-test="loading-indicator"]').length,
          errors: errors, title: document.title};
})()
"""

LOGIN = """
(async () => {
  const token = document.getElementById('csrf_token').value;
  const body = new URLSearchParams({username: '%s', password: '%s', csrf_token: token});
  const r = await fetch('/login/', {method: 'POST', body: body, credentials: 'same-origin'});
  const me = await fetch('/api/v1/me/', {credentials: 'same-origin'});
  return {login: r.status, landed: r.url, me: me.status};
})()
"""


def _log_in(browser: Chromium, base_url: str, attempts: int = 3):  # noqa: ANN202 - a Page
    """A page logged in as admin. Once (CI, a loaded machine) the login was answered and the
    next request still found no session: the form is sent again, and every answer is kept."""
    answers = []
    for _ in range(attempts):
        page = browser.open(f"{base_url}/login/")
        answers.append(page.evaluate(LOGIN % ("admin", "admin")))
        if answers[-1]["me"] == 200:
            return page
    raise AssertionError(f"admin could not log in: {answers}")


def test_dashboard_draws_every_chart_in_chromium(superset):
    def finished(state: dict) -> bool:
        return bool(state["errors"]) or (
            state["holders"] == len(sb.CHARTS)
            and state["drawn"] == len(sb.CHARTS)
            and state["loading"] == 0
        )

    # The window is tall enough for the whole dashboard: the screenshot takes it as it is.
    profile = superset.home / "chromium-profile"
    with Chromium(require_chromium(), window=(1600, 3200), profile=profile) as browser:
        page = _log_in(browser, superset.base_url)
        page.navigate(f"{superset.base_url}/superset/dashboard/{sb.DASHBOARD_SLUG}/")
        page.wait_until(PROBE, finished, timeout=120)
        time.sleep(2.0)  # animations settle before the picture
        page.screenshot(SCREENSHOT, width=None)
        state = page.evaluate(PROBE)
    assert state["errors"] == [], state
    assert state["holders"] == len(sb.CHARTS), state
    assert state["drawn"] == len(sb.CHARTS), state
    assert SCREENSHOT.stat().st_size > 50_000
