"""Incremental by period: a run for one period rewrites that period of int_kpi_values_current and
leaves the others alone, and the marts still equal a full rebuild (README.md, "Incremental"). A plan
revision effective P4 changes P4–P6 figures only: P1–P3 stay row for row as they were.

dbt runs in-process here (dbtRunner, one parse per adapter, vars fixed across runs) so four runs
cost seconds, not a subprocess start and a parse each.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest

from bma_pipeline.warehouse import WarehouseLocation

from . import golden_fixture
from .conftest import DBT_PROJECT_DIR, MARTS, Tables, load_fixture_duckdb, load_fixture_postgres
from .test_dbt_golden import (
    AT,
    OFF,
    ON,
    _same,
    _sorted_rows,
    assert_rows_equal,
    expected_kpi_progress,
    expected_policy_progress,
)

PERIOD_KEY = "2566-P2"
VALUES_CURRENT = "intermediate.int_kpi_values_current"
LOAD_COLUMNS = ("loaded_at", "load_invocation_id")

# 1001 resends P2 once more (K0001 3 → 2), received 2023-03-01, after file 6.
P2_RESUBMISSION = (19, "1001", "1001_2566_p2_v3.csv", datetime(2023, 3, 1, 10, 0))
P2_ROWS = [(19, 1, "1001", 2, "K0001", 2.0, "in_progress", None)]
# DDS corrects P1 late (K0001 12 → 11), received 2023-03-05: another period than the run's.
P1_CORRECTION = (20, "DDS", "dds_2566_p1_fix.csv", datetime(2023, 3, 5, 9, 0))
P1_ROWS = [(20, 1, "DDS", 1, "K0001", 11.0, "completed", None)]


class WarehouseUnderTest:
    """The test's own access to the warehouse dbt writes: insert ledger rows, read tables."""

    def __init__(self, kind: str, target: str) -> None:
        self.kind, self.target = kind, target

    def _connect(self):
        if self.kind == "duckdb":
            import duckdb

            # dbt runs in this process and keeps the file open: same configuration, not read-only
            return duckdb.connect(self.target)
        import psycopg

        return psycopg.connect(self.target)

    def add_file(self, file: tuple, rows: list[tuple]) -> None:
        file_id, unit, name, received_at = file
        file_row = golden_fixture._file_row(
            file_id, unit, name, received_at, "ingested", len(rows), True
        )
        row_rows = [golden_fixture._submission_row(*row) for row in rows]
        mark = "?" if self.kind == "duckdb" else "%s"
        con = self._connect()
        try:
            cur = con.cursor()
            for table, values in (("submission_files", [file_row]), ("submission_rows", row_rows)):
                marks = ", ".join(mark for _ in values[0])
                cur.executemany(f"insert into raw.{table} values ({marks})", values)
            con.commit()
        finally:
            con.close()

    def replace_rows(self, tables: Tables) -> None:
        """Replace the rows of `tables`, as the plan step rewrites schema plans on every run."""
        mark = "?" if self.kind == "duckdb" else "%s"
        con = self._connect()
        try:
            cur = con.cursor()
            for (schema, table), (columns, rows) in tables.items():
                cur.execute(f"delete from {schema}.{table}")
                if rows:
                    marks = ", ".join(mark for _ in columns)
                    cur.executemany(f"insert into {schema}.{table} values ({marks})", rows)
            con.commit()
        finally:
            con.close()

    def rows(self, table: str) -> list[dict]:
        con = self._connect()
        try:
            cur = con.cursor()
            cur.execute(f"select * from {table}")
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
        finally:
            con.close()

    def snapshot(self) -> dict[str, list[dict]]:
        """Every mart and the incremental model (without its load columns), sorted."""
        tables = [f"marts.{name}" for name in MARTS] + [VALUES_CURRENT]
        return {
            table: _sorted_rows(
                [
                    {k: v for k, v in row.items() if k not in LOAD_COLUMNS}
                    for row in self.rows(table)
                ]
            )
            for table in tables
        }


def _dbt_runner(
    work_dir: Path, env: dict[str, str], monkeypatch, period_key: str = PERIOD_KEY
) -> Callable[..., None]:
    """Parse once, then `run(*args)` invokes `dbt run` with the same vars against that manifest."""
    from dbt.cli.main import dbtRunner

    for name, value in {**env, "DO_NOT_TRACK": "1"}.items():
        monkeypatch.setenv(name, value)
    common = [
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target",
        env["BMA_DBT_TARGET"],
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
        "--vars",
        json.dumps({"as_of": golden_fixture.AS_OF, "period_key": period_key}),
        "--quiet",
    ]
    parsed = dbtRunner().invoke(["parse", *common])
    assert parsed.success, parsed.exception
    runner = dbtRunner(manifest=parsed.result)

    def run(*args: str) -> None:
        result = runner.invoke(["run", *args, *common])
        failures = [
            f"{r.node.name}: {r.message}"
            for r in (result.result or [])
            if str(r.status) not in ("success", "pass")
        ]
        assert result.success, failures or result.exception

    return run


@pytest.fixture
def duckdb_warehouse(
    tmp_path, monkeypatch
) -> Iterator[tuple[WarehouseUnderTest, Callable[..., None]]]:
    path = tmp_path / "warehouse.duckdb"
    load_fixture_duckdb(path)
    env = WarehouseLocation.parse(path).dbt_env()
    yield WarehouseUnderTest("duckdb", str(path)), _dbt_runner(tmp_path, env, monkeypatch)


@pytest.fixture
def postgres_warehouse(
    pg_database_url, tmp_path, monkeypatch
) -> Iterator[tuple[WarehouseUnderTest, Callable[..., None]]]:
    load_fixture_postgres(urlparse(pg_database_url).path.lstrip("/"))
    env = WarehouseLocation.parse(pg_database_url).dbt_env()
    yield WarehouseUnderTest("postgres", pg_database_url), _dbt_runner(tmp_path, env, monkeypatch)


# The revision arrives before the run of P4, the period as_of (2023-04-20) falls in.
@pytest.fixture
def duckdb_before_revision(
    tmp_path, monkeypatch
) -> Iterator[tuple[WarehouseUnderTest, Callable[..., None]]]:
    path = tmp_path / "warehouse.duckdb"
    load_fixture_duckdb(path, golden_fixture.TABLES_BEFORE_P4_REVISION)
    env = WarehouseLocation.parse(path).dbt_env()
    runner = _dbt_runner(tmp_path, env, monkeypatch, period_key="2566-P4")
    yield WarehouseUnderTest("duckdb", str(path)), runner


@pytest.fixture
def postgres_before_revision(
    pg_database_url, tmp_path, monkeypatch
) -> Iterator[tuple[WarehouseUnderTest, Callable[..., None]]]:
    load_fixture_postgres(
        urlparse(pg_database_url).path.lstrip("/"), golden_fixture.TABLES_BEFORE_P4_REVISION
    )
    env = WarehouseLocation.parse(pg_database_url).dbt_env()
    runner = _dbt_runner(tmp_path, env, monkeypatch, period_key="2566-P4")
    yield WarehouseUnderTest("postgres", pg_database_url), runner


def _loads_by_period(wh: WarehouseUnderTest) -> dict[int, set[tuple]]:
    loads: dict[int, set[tuple]] = {}
    for row in wh.rows(VALUES_CURRENT):
        loads.setdefault(row["period_no"], set()).add(tuple(row[c] for c in LOAD_COLUMNS))
    return loads


def _value(wh: WarehouseUnderTest, table: str, unit: str, kpi: str, period: int) -> dict:
    return next(
        r
        for r in wh.rows(table)
        if (r["unit_code"], r["kpi_code"], r["period_no"]) == (unit, kpi, period)
    )


def _assert_period_run_rewrites_only_changed_periods(wh: WarehouseUnderTest, run) -> None:
    run()  # no table yet: every period is built
    first = _loads_by_period(wh)
    assert sorted(first) == [1, 2, 3] and all(len(loads) == 1 for loads in first.values())
    assert len(set().union(*first.values())) == 1

    # A resubmission for P2, then a run for P2: P2 is rewritten, P1 and P3 keep their rows.
    wh.add_file(P2_RESUBMISSION, P2_ROWS)
    run()
    second = _loads_by_period(wh)
    assert second[1] == first[1] and second[3] == first[3]
    assert len(second[2]) == 1 and second[2] != first[2]
    current = _value(wh, VALUES_CURRENT, "1001", "K0001", 2)
    assert (current["actual_value"], current["file_id"], current["n_versions"]) == (2.0, 19, 3)
    # the cumulative models are rebuilt whole: P3's actual to date moves with P2's value
    assert _value(wh, "marts.fct_kpi_progress", "1001", "K0001", 2)["actual_ytd"] == 3.0
    assert _value(wh, "marts.fct_kpi_progress", "1001", "K0001", 3)["actual_ytd"] == 7.0

    # A P1 correction ingested by a P2 run: P1 changed, so it is rewritten too; P3 is not.
    wh.add_file(P1_CORRECTION, P1_ROWS)
    run()
    third = _loads_by_period(wh)
    assert third[3] == first[3]
    assert third[1] != first[1] and third[2] != second[2] and third[1] == third[2]
    assert _value(wh, VALUES_CURRENT, "DDS", "K0001", 1)["actual_value"] == 11.0

    incremental = wh.snapshot()
    run("--full-refresh")
    assert len(set().union(*_loads_by_period(wh).values())) == 1  # every period rewritten
    rebuilt = wh.snapshot()
    for table, rows in rebuilt.items():
        assert len(incremental[table]) == len(rows), table
        for got, expected in zip(incremental[table], rows, strict=True):
            mismatched = {k: (got[k], v) for k, v in expected.items() if not _same(got[k], v)}
            assert not mismatched, f"{table}: incremental differs from full refresh {mismatched}"


def test_period_run_rewrites_only_changed_periods_duckdb(duckdb_warehouse):
    _assert_period_run_rewrites_only_changed_periods(*duckdb_warehouse)


@pytest.mark.postgres
def test_period_run_rewrites_only_changed_periods_postgres(postgres_warehouse):
    _assert_period_run_rewrites_only_changed_periods(*postgres_warehouse)


# Before v3, P005 is v2's from P3 to P6: 1004's K0007 target is 60 (to date 40, 50, 60 at P4–P6),
# K0010 is still in scope (ENV's 15 to date against 60 × p / 6). Every other P4–P6 figure is the
# golden one (test_dbt_golden.py), with P005's rows under v2 instead of v3.
# fmt: off
K0007_1004_BEFORE = {  # period → (annual, target to date, ratio, status); actual to date 40
    4: (60.0, 40.0, 1.0, ON), 5: (60.0, 50.0, 0.8, AT), 6: (60.0, 60.0, 40 / 60, OFF),
}
K0010_ENV_BEFORE = {  # period → (target to date, ratio, status); actual to date 15
    4: (40.0, 15 / 40, OFF), 5: (50.0, 15 / 50, OFF), 6: (60.0, 15 / 60, OFF),
}
# P005 at P4–P6 before v3, seven pairs: ENV K0007, K0008, K0009, K0010 (H); 1004 K0007, K0009,
# 1005 K0007 (R). (progress, h, r, status, on, at_risk, off)
P005_BEFORE = {
    4: ((53 / 55 + 1.0 + 0.6 + 85 / 80 + 0.4 + 0.0 + 15 / 40) / 7,
        (53 / 55 + 85 / 80 + 0.4 + 15 / 40) / 4, (1.0 + 0.6 + 0.0) / 3, OFF, 2, 1, 4),
    5: ((53 / 55 + 0.8 + 0.6 + 85 / 80 + 0.4 + 0.0 + 15 / 50) / 7,
        (53 / 55 + 85 / 80 + 0.4 + 15 / 50) / 4, (0.8 + 0.6 + 0.0) / 3, OFF, 1, 2, 4),
    6: ((53 / 60 + 40 / 60 + 0.4 + 85 / 90 + 0.4 + 0.0 + 15 / 60) / 7,
        (53 / 60 + 85 / 90 + 0.4 + 15 / 60) / 4, (40 / 60 + 0.4 + 0.0) / 3, OFF, 0, 2, 5),
}
# fmt: on


def _kpi_progress_before_revision() -> list[dict]:
    """fct_kpi_progress at P4–P6 while v2 holds P005 to the end of the year."""
    expected = []
    for row in expected_kpi_progress():
        if row["period_no"] < 4:
            continue
        if row["policy_code"] == "P005":
            row = {**row, "plan_version_id": 2}
        if (row["unit_code"], row["kpi_code"]) == ("1004", "K0007"):
            annual, target, ratio, status = K0007_1004_BEFORE[row["period_no"]]
            row = {
                **row,
                "annual_target": annual,
                "target_to_date": target,
                "achievement_ratio": ratio,
                "capped_ratio": ratio,
                "status": status,
            }
        expected.append(row)
    for period, (target, ratio, status) in K0010_ENV_BEFORE.items():
        expected.append(
            {
                "fiscal_year": 2566,
                "period_no": period,
                "period_key": f"2566-P{period}",
                "unit_code": "ENV",
                "kpi_code": "K0010",
                "policy_code": "P005",
                "project_code": None,
                "group_code": "G2",
                "dimension_code": "environment",
                "role": "H",
                "direction": "increase",
                "aggregation": "sum",
                "plan_version_id": 2,
                "target_rule": "pro_rata",
                "baseline_value": None,
                "annual_target": 60.0,
                "period_value": None,
                "actual_ytd": 15.0,
                "target_to_date": target,
                "achievement_ratio": ratio,
                "capped_ratio": ratio,
                "status": status,
                "has_data": True,
                "is_key_project": False,
            }
        )
    return expected


def _policy_progress_before_revision() -> list[dict]:
    """mart_policy_progress at P4–P6 while v2 holds P005 to the end of the year."""
    expected = []
    for row in expected_policy_progress():
        if row["period_no"] < 4:
            continue
        if row["policy_code"] == "P005":
            ratio, h, r, status, on, at, off = P005_BEFORE[row["period_no"]]
            row = {
                **row,
                "n_pairs": 7,
                "n_pairs_with_data": 7,
                "progress_pct": 100 * ratio,
                "h_progress_pct": 100 * h,
                "r_progress_pct": 100 * r,
                "status": status,
                "n_on_track": on,
                "n_at_risk": at,
                "n_off_track": off,
            }
        expected.append(row)
    return expected


def _of_periods(rows: list[dict], periods: range) -> list[dict]:
    return [row for row in rows if row["period_no"] in periods]


def _assert_revision_rebuilds_only_its_periods(wh: WarehouseUnderTest, run) -> None:
    run()
    before = wh.snapshot()
    loads_before = _loads_by_period(wh)
    early, late = range(1, 4), range(4, 7)
    fct, policy = "marts.fct_kpi_progress", "marts.mart_policy_progress"
    key = ("unit_code", "kpi_code", "period_no")
    assert_rows_equal(_of_periods(before[fct], late), _kpi_progress_before_revision(), key)
    assert_rows_equal(
        _of_periods(before[policy], late),
        _policy_progress_before_revision(),
        ("policy_code", "period_no"),
    )

    wh.replace_rows(golden_fixture.PLANS)  # ENV's revision from P4 (v3) is ingested
    run()
    after = wh.snapshot()
    # P1–P3: every table with a period row for row as before; no period of values rewritten
    by_period = [table for table, rows in before.items() if rows and "period_no" in rows[0]]
    assert {fct, policy, "marts.mart_unit_progress", "marts.mart_project_progress"} <= set(
        by_period
    )
    for table in by_period:
        untouched, rebuilt = _of_periods(before[table], early), _of_periods(after[table], early)
        assert untouched and len(rebuilt) == len(untouched), table
        for got, expected in zip(rebuilt, untouched, strict=True):
            mismatched = {k: (got[k], v) for k, v in expected.items() if not _same(got[k], v)}
            assert not mismatched, f"{table}: P1–P3 changed {mismatched}"
    assert _loads_by_period(wh) == loads_before
    # P4–P6: against v3, the golden figures
    assert_rows_equal(
        _of_periods(after[fct], late), _of_periods(expected_kpi_progress(), late), key
    )
    assert_rows_equal(
        _of_periods(after[policy], late),
        _of_periods(expected_policy_progress(), late),
        ("policy_code", "period_no"),
    )


def test_revision_from_p4_changes_p4_to_p6_only_duckdb(duckdb_before_revision):
    _assert_revision_rebuilds_only_its_periods(*duckdb_before_revision)


@pytest.mark.postgres
def test_revision_from_p4_changes_p4_to_p6_only_postgres(postgres_before_revision):
    _assert_revision_rebuilds_only_its_periods(*postgres_before_revision)
