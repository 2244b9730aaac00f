"""The SQL tiles under bi/sql, run against the published `bi` views, give the same figures as
the executive dashboard computes for the same period."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from bma_pipeline.fiscal import Period
from bma_pipeline.reports.dashboard import DashboardData, collect_dashboard

from .conftest import FISCAL_YEAR, PERIOD_KEY, PERIOD_NO, REPO_ROOT, ReportRun

TILES_DIR = REPO_ROOT / "bi" / "sql"
TILES = sorted(TILES_DIR.glob("*.sql"))


def tile_sql(name: str) -> str:
    return (TILES_DIR / f"{name}.sql").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tiles(report_run: ReportRun) -> dict[str, pd.DataFrame]:
    """Every tile's rows for the period, as a BI tool filtering on period_key would get them."""
    out = {}
    with report_run.read() as wh:
        assert wh.table_exists("bi", "mart_policy_progress"), "the run publishes the bi views"
        for path in TILES:
            rows = wh.query(path.read_text(encoding="utf-8"))
            out[path.stem] = rows[rows["period_key"] == PERIOD_KEY].reset_index(drop=True)
    return out


@pytest.fixture(scope="module")
def dashboard(report_run: ReportRun) -> DashboardData:
    with report_run.read() as wh:
        return collect_dashboard(wh, Period.from_key(PERIOD_KEY))


@pytest.mark.parametrize("path", TILES, ids=[p.stem for p in TILES])
def test_tile_has_a_header_and_reads_only_the_bi_schema(path: Path):
    text = path.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("--")]
    assert header[0].startswith("-- Tile: ")
    assert any(line.startswith("-- Same figures as: the executive dashboard") for line in header)
    body = "\n".join(line for line in text.splitlines() if not line.startswith("--"))
    schemas = set(re.findall(r"\b(\w+)\.(?:mart|dim|fct|rpt)_\w+", body))
    assert schemas == {"bi"}, f"{path.name} reads {schemas}"


def test_there_is_a_tile_for_each_dashboard_figure():
    assert {p.stem for p in TILES} == {
        "city_and_group_progress",
        "progress_trend",
        "policies_by_status_and_dimension",
        "key_projects",
        "district_submissions",
        "most_lagging_policies",
        "meetings_by_group",
        "overdue_commitments_by_unit",
    }


def test_group_progress_tile_equals_the_dashboard(tiles, dashboard):
    tile = tiles["city_and_group_progress"].set_index("group_code")
    shown = dashboard.groups.set_index("group_code")
    assert sorted(tile.index) == sorted(shown.index)
    for code, row in shown.iterrows():
        assert tile.at[code, "progress_pct"] == pytest.approx(row["progress_pct"])
        assert tile.at[code, "status"] == row["status"]
        assert tile.at[code, "group_th"] == row["name_th"]
        for column in ("n_policies", "n_on_track", "n_at_risk", "n_off_track", "n_no_data"):
            assert tile.at[code, column] == row[column]


def test_trend_tile_equals_the_dashboard(report_run, dashboard):
    with report_run.read() as wh:
        rows = wh.query(tile_sql("progress_trend"))
    upto = rows[(rows["fiscal_year"] == FISCAL_YEAR) & (rows["period_no"] <= PERIOD_NO)]
    key = ["group_code", "period_key"]
    tile = upto.set_index(key)["progress_pct"].sort_index()
    shown = dashboard.trend.set_index(key)["progress_pct"].sort_index()
    pd.testing.assert_series_equal(tile, shown, check_dtype=False)


def test_status_by_dimension_tile_equals_the_dashboard(tiles, dashboard):
    tile = tiles["policies_by_status_and_dimension"].set_index("dimension_code")
    shown = dashboard.by_dimension.set_index("dimension_code")
    assert sorted(tile.index) == sorted(shown.index)
    for status in ("on_track", "at_risk", "off_track", "no_data"):
        assert tile[f"n_{status}"].to_dict() == shown[status].to_dict()
    assert tile["n_policies"].to_dict() == shown["total"].to_dict()


def test_key_projects_tile_equals_the_dashboard(tiles, dashboard):
    tile = tiles["key_projects"]
    shown = dashboard.key_projects
    assert list(tile["policy_code"]) == list(shown["policy_code"])
    assert list(tile["status"]) == list(shown["status"])
    assert list(tile["lead_units_th"]) == list(shown["lead_units"])
    assert tile["progress_pct"].tolist() == pytest.approx(shown["progress_pct"].tolist())


def test_district_tile_equals_the_dashboard(tiles, dashboard):
    tile = tiles["district_submissions"]
    assert len(tile) == 50
    assert dict(zip(tile["unit_code"], tile["compliance_status"], strict=True)) == dict(
        zip(dashboard.districts["unit_code"], dashboard.districts["compliance_status"], strict=True)
    )
    assert tile["compliance_status"].value_counts().to_dict() == {
        s: n for s, n in dashboard.compliance_counts.items() if n
    }


def test_lagging_tile_equals_the_dashboard(tiles, dashboard):
    tile = tiles["most_lagging_policies"]
    shown = dashboard.lagging
    assert list(tile["policy_code"]) == list(shown["policy_code"])
    assert list(tile["lead_units_th"]) == list(shown["lead_units"])
    assert tile["progress_pct"].tolist() == pytest.approx(shown["progress_pct"].tolist())


def test_meetings_tile_equals_the_dashboard(tiles, dashboard):
    tile = tiles["meetings_by_group"].set_index("group_code")
    shown = dashboard.meetings.set_index("group_code")
    assert sorted(tile.index) == sorted(shown.index) == ["CITY", "G1", "G2", "G3"]
    for column in ("n_lead_units", "n_held", "n_late", "n_missing", "n_pending"):
        assert tile[column].to_dict() == shown[column].to_dict(), column
    assert tile["group_th"].to_dict() == shown["name_th"].to_dict()


def test_overdue_commitments_tile_equals_the_dashboard(tiles, dashboard):
    tile = tiles["overdue_commitments_by_unit"]
    shown = dashboard.overdue_units
    assert not tile.empty, "the sample leaves commitments overdue"
    assert list(tile["unit_code"]) == list(shown["unit_code"])  # the dashboard shows its head
    assert list(tile["n_overdue"]) == list(shown["n_overdue"])
    assert list(tile["max_days_overdue"]) == list(shown["max_days_overdue"])
    assert list(tile["h_unit_codes"]) == list(shown["h_unit_codes"])


# DuckDB column types → PostgreSQL, for copying the marts into a PostgreSQL warehouse.
PG_TYPES = {
    "INTEGER": "bigint",
    "BIGINT": "bigint",
    "HUGEINT": "numeric",
    "DOUBLE": "double precision",
    "FLOAT": "double precision",
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
}


def _rows(frame: pd.DataFrame) -> list[tuple]:
    """Rows compared across engines: numbers rounded, everything else as text."""

    def cell(value: object) -> object:
        if pd.isna(value):  # None, NaN, NaT and pd.NA alike
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return round(float(value), 6)
        if isinstance(value, date):  # dates come back as datetime.date or pandas Timestamp
            return pd.Timestamp(value).isoformat()
        return str(value)

    return sorted(tuple(cell(v) for v in row) for row in frame.astype(object).itertuples(False))


@pytest.mark.postgres
def test_tiles_run_on_postgresql_as_the_bi_reader(report_run, pg_database_url):
    """The marts copied into PostgreSQL, published by the project's publish step (bi views and
    grants), then every tile run as bma_bi_reader: the same rows as on DuckDB."""
    import psycopg

    from bma_pipeline.publish.grants import BI_READER_ROLE
    from bma_pipeline.publish.publish import publish_marts, published_marts
    from bma_pipeline.warehouse import connect

    duck: dict[str, list[tuple]] = {}
    with report_run.read() as source, connect(pg_database_url) as target:
        for mart in published_marts():
            types = source.query(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'marts' and table_name = :mart order by ordinal_position",
                {"mart": mart},
            )
            columns = {r.column_name: PG_TYPES[r.data_type] for r in types.itertuples()}
            frame = source.query(f"select * from marts.{mart}").convert_dtypes()
            target.replace("marts", mart, frame, columns)
        target.create_table("raw", "submission_rows", {"reporter": "text"})  # personal data
        publish_marts(target)
        for path in TILES:
            duck[path.stem] = _rows(source.query(path.read_text(encoding="utf-8")))

    reader_url = pg_database_url.replace("://postgres@", f"://{BI_READER_ROLE}@", 1)
    with psycopg.connect(reader_url) as con:
        for path in TILES:
            cursor = con.execute(path.read_text(encoding="utf-8"))
            names = [d.name for d in cursor.description]
            frame = pd.DataFrame(cursor.fetchall(), columns=names)
            assert _rows(frame) == duck[path.stem], path.name
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute("select count(*) from raw.submission_rows")
