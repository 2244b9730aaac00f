"""Incremental by period: a run for one period rewrites that period of int_kpi_values_current and
leaves the others alone, and the marts still equal a full rebuild (README.md, "Incremental").

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
from .conftest import DBT_PROJECT_DIR, MARTS, load_fixture_duckdb, load_fixture_postgres
from .test_dbt_golden import _same, _sorted_rows

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


def _dbt_runner(work_dir: Path, env: dict[str, str], monkeypatch) -> Callable[..., None]:
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
        json.dumps({"as_of": golden_fixture.AS_OF, "period_key": PERIOD_KEY}),
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
