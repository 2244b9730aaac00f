"""The asset checks on the validated submissions judge the real ledger, and block the marts.

A pipeline is run once on generated files; then the ledger is broken on purpose (a stored raw
row deleted: a row lost) and the next run must fail its ERROR check and skip everything
downstream of it, so no mart or `bi` view is rebuilt from a ledger that lost data.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from bma_pipeline.cli import run_pipeline
from bma_pipeline.defs.resources import PipelineSettings, WarehouseResource
from bma_pipeline.defs.validation.checks import ledger_conservation, quarantine_rate_per_unit
from bma_pipeline.validation.invariants import quarantine_rate_by_unit
from bma_pipeline.warehouse import connect
from bma_sample.submissions import generate_submissions

pytestmark = pytest.mark.slow
AS_OF = "2023-01-15T00:00:00"


def _evaluation(result: dg.ExecuteInProcessResult, name: str) -> dg.AssetCheckEvaluation:
    return next(e for e in result.get_asset_check_evaluations() if e.check_name == name)


def _materialized(result: dg.ExecuteInProcessResult) -> set[str]:
    return {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> tuple[Path, str, Path, dg.ExecuteInProcessResult]:
    root = tmp_path_factory.mktemp("checks")
    landing, reports, warehouse = root / "landing", root / "reports", str(root / "w.duckdb")
    generate_submissions(landing, 2566, [1], seed=5)
    result = run_pipeline(landing, warehouse, reports, as_of=AS_OF, quiet=True)
    assert result.success
    return landing, warehouse, reports, result


def test_conservation_passes_on_an_honest_ledger(loaded):
    *_, result = loaded
    evaluation = _evaluation(result, "ledger_conservation")
    assert evaluation.passed
    meta = {k: v.value for k, v in evaluation.metadata.items()}
    assert meta["raw_rows"] == meta["accepted_rows"] + meta["quarantined_rows"] > 0
    assert "marts/mart_group_progress" in _materialized(result)


def test_quarantine_rate_check_warns_above_the_threshold(loaded):
    _, warehouse, _, _ = loaded
    with connect(warehouse, read_only=True) as wh:
        worst = float(quarantine_rate_by_unit(wh)["rate"].max())
    assert worst > 0  # the generator sends some bad rows
    resource = WarehouseResource(url=warehouse)
    strict = quarantine_rate_per_unit(
        warehouse=resource,
        settings=PipelineSettings(landing_dir="-", reports_dir="-", quarantine_warn_rate=worst / 2),
    )
    assert not strict.passed
    assert strict.severity == dg.AssetCheckSeverity.WARN
    assert strict.metadata["units_over_threshold"].value >= 1
    lenient = quarantine_rate_per_unit(
        warehouse=resource,
        settings=PipelineSettings(landing_dir="-", reports_dir="-", quarantine_warn_rate=worst),
    )
    assert lenient.passed


def test_a_lost_row_fails_conservation_and_blocks_the_marts(loaded):
    landing, warehouse, reports, _ = loaded
    with connect(warehouse) as wh:
        file_id, row_number = wh.query(
            "select file_id, min(row_number) as row_number from raw.submission_rows "
            "group by file_id order by file_id limit 1"
        ).iloc[0]
        wh.execute(
            f"delete from raw.submission_rows where file_id = {int(file_id)} "
            f"and row_number = {int(row_number)}"
        )
    direct = ledger_conservation(warehouse=WarehouseResource(url=warehouse))
    assert not direct.passed
    assert direct.severity == dg.AssetCheckSeverity.ERROR
    assert direct.metadata["files_with_row_count_mismatch"].value == 1

    rerun = run_pipeline(landing, warehouse, reports, as_of=AS_OF, quiet=True)
    assert not rerun.success
    evaluation = _evaluation(rerun, "ledger_conservation")
    assert not evaluation.passed
    assert evaluation.severity == dg.AssetCheckSeverity.ERROR
    materialized = _materialized(rerun)
    assert "raw/quarantined_rows" in materialized
    assert not any(key.startswith(("marts/", "bi/")) for key in materialized)
