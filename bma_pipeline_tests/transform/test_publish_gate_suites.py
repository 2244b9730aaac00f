"""The publish gate's expectations over the golden fixture's marts: the hand-checked build passes,
and a build with a broken figure in a plan, meeting or commitment mart fails, naming it."""

from __future__ import annotations

import shutil

from bma_pipeline.publish.gate import run_gate
from bma_pipeline.warehouse import connect

from .conftest import DbtBuild


def _gate(path) -> list[str]:
    with connect(str(path), read_only=True) as wh:
        result = run_gate(wh)
    assert result.evaluated > 0
    return [str(failure) for failure in result.failures]


def test_the_golden_build_passes_every_expectation(duckdb_build: DbtBuild):
    assert _gate(duckdb_build.location) == []


# (a statement breaking one figure, the mart and column the gate must name)
BROKEN = [
        ("update marts.fct_kpi_progress set target_rule = 'guess' where kpi_code = 'K0007'",
         "fct_kpi_progress.target_rule"),
        ("insert into marts.fct_kpi_progress select * from marts.fct_kpi_progress "
         "where kpi_code = 'K0008' and period_no = 4", "fct_kpi_progress.fiscal_year,period_no"),
        ("update marts.dim_target set valid_to_period = 1 where valid_from_period = 3",
         "dim_target"),
        ("update marts.mart_plan_revisions set change_type = 'renamed'",
         "mart_plan_revisions.change_type"),
        ("update marts.mart_meetings set attendance_share = 1.5 where h_unit_code = 'DDS'",
         "mart_meetings.attendance_share"),
        ("update marts.mart_commitments set status_now = 'late' where commitment_id = 'DDS-02'",
         "mart_commitments.status_now"),
        ("update marts.mart_project_progress set progress_pct = 130",
         "mart_project_progress.progress_pct"),
]  # fmt: skip


def test_each_broken_figure_fails_the_gate_naming_its_mart(duckdb_build: DbtBuild, tmp_path):
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(duckdb_build.location, copy)
    with connect(str(copy)) as wh:
        for statement, _ in BROKEN:
            wh.execute(statement)
    failures = _gate(copy)
    for _, named in BROKEN:
        assert any(f.startswith(named) for f in failures), (named, failures)
