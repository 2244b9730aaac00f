"""The publish gate protects the `bi` schema: a corrupted build never replaces a good one."""

from __future__ import annotations

import subprocess
import sys

import dagster as dg
import pytest

from bma_pipeline.cli import run_pipeline
from bma_pipeline.defs.publish.assets import bi_published
from bma_pipeline.defs.resources import PipelineSettings, WarehouseResource
from bma_pipeline.warehouse import connect
from bma_sample.submissions import generate_submissions

pytestmark = pytest.mark.slow
AS_OF = "2023-01-15T00:00:00"
CITY = (
    "select progress_pct from {schema}.mart_group_progress where group_code = 'CITY' "
    "and period_key = '2566-P1'"
)


def _publish(warehouse: str, reports) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [bi_published],
        resources={
            "warehouse": WarehouseResource(url=warehouse),
            "settings": PipelineSettings(landing_dir="unused", reports_dir=str(reports)),
        },
        raise_on_error=False,
    )


def _check_gate_protects_bi(tmp_path, warehouse: str) -> None:
    landing, reports = tmp_path / "landing", tmp_path / "reports"
    generate_submissions(landing, 2566, [1], seed=3)
    assert run_pipeline(landing, warehouse, reports, as_of=AS_OF, quiet=True).success
    with connect(warehouse, read_only=True) as wh:
        good = float(wh.scalar(CITY.format(schema="bi")))
        assert good == pytest.approx(float(wh.scalar(CITY.format(schema="marts"))))
    assert (reports / "data_docs" / "index.html").exists()

    with connect(warehouse) as wh:
        wh.execute(
            "update marts.mart_group_progress set progress_pct = 500 where group_code = 'CITY'"
        )
    failed = _publish(warehouse, reports)
    assert not failed.success
    failure = next(e for e in failed.all_events if e.is_step_failure)
    message = failure.event_specific_data.error.to_string()
    assert "mart_group_progress.progress_pct" in message
    assert "expect_column_values_to_be_between" in message
    with connect(warehouse, read_only=True) as wh:
        assert float(wh.scalar(CITY.format(schema="bi"))) == pytest.approx(good)
    assert "FAIL" in (reports / "data_docs" / "index.html").read_text(encoding="utf-8")
    gx_pages = list((reports / "data_docs" / "gx" / "validations").rglob("*.html"))
    assert any("mart_group_progress" in page.as_posix() for page in gx_pages)

    # A valid new figure: every KPI at the ratio cap, as floating point computes the mean
    # (one ulp above 120). The gate passes and bi switches.
    at_cap = sum([1.2] * 38) / 38 * 100
    assert at_cap > 120
    with connect(warehouse) as wh:
        wh.execute(
            "update marts.mart_group_progress set progress_pct = :pct where group_code = 'CITY'",
            {"pct": at_cap},
        )
    assert _publish(warehouse, reports).success
    with connect(warehouse, read_only=True) as wh:
        assert float(wh.scalar(CITY.format(schema="bi"))) == at_cap


def test_gate_keeps_the_previous_build_on_duckdb(tmp_path):
    _check_gate_protects_bi(tmp_path, str(tmp_path / "w.duckdb"))


@pytest.mark.postgres
def test_gate_keeps_the_previous_build_on_postgres(tmp_path, pg_database_url):
    _check_gate_protects_bi(tmp_path, pg_database_url)


def test_a_failing_dbt_test_keeps_the_previous_build(tmp_path):
    """dbt tests gate publishing too: the dbt step fails, so `bi` is not switched."""
    from bma_pipeline.definitions import build_definitions

    landing, reports, warehouse = (
        tmp_path / "landing",
        tmp_path / "reports",
        str(tmp_path / "w.duckdb"),
    )
    generate_submissions(landing, 2566, [1], seed=3)
    assert run_pipeline(landing, warehouse, reports, as_of=AS_OF, quiet=True).success
    with connect(warehouse) as wh:  # a unit listed twice breaks dbt's unique tests
        wh.execute("insert into reference.units select * from reference.units limit 1")
    defs = build_definitions(
        warehouse_url=warehouse, landing_dir=str(landing), reports_dir=str(reports), as_of=AS_OF
    )
    downstream_of_reference = [
        key
        for key in defs.resolve_asset_graph().get_all_asset_keys()
        if key.path[0] not in ("reference", "raw")
    ]
    result = defs.resolve_job_def("period_pipeline_job").execute_in_process(
        partition_key="2566-P1",
        asset_selection=downstream_of_reference,
        raise_on_error=False,
    )
    assert not result.success
    failed_checks = [e for e in result.get_asset_check_evaluations() if not e.passed]
    assert any("unique" in e.check_name and "unit_code" in e.check_name for e in failed_checks)
    published = {e.asset_key for e in result.get_asset_materialization_events()}
    assert dg.AssetKey(["bi", "published_marts"]) not in published


def test_a_failure_with_no_plan_in_force_says_so(tmp_path):
    from bma_pipeline.publish.gate import no_plan_hint

    with connect(tmp_path / "w.duckdb") as wh:
        assert "no action plan is in force" in no_plan_hint(wh)  # no plans schema at all
        wh.execute("create schema plans")
        wh.execute("create table plans.policy_in_force (policy_code varchar)")
        assert "raw.plan_files" in no_plan_hint(wh)
        wh.execute("insert into plans.policy_in_force values ('P001')")
        assert no_plan_hint(wh) is None


def test_great_expectations_is_imported_ahead_in_a_background_thread():
    """What the dbt step starts so that the gate does not wait for GX's import."""
    code = (
        "import sys\n"
        "from bma_pipeline.publish import gate\n"
        "assert 'great_expectations' not in sys.modules\n"
        "gate.prefetch_gx()\n"
        "thread = gate._gx_import\n"
        "assert thread is not None and thread.daemon and thread.is_alive()\n"
        "gate.prefetch_gx()\n"
        "assert gate._gx_import is thread\n"  # once per process
        "thread.join(120)\n"
        "assert 'great_expectations' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
