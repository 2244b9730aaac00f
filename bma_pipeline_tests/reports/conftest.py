"""One generated warehouse for every report test: the whole pipeline (every Dagster asset,
reports included) over three generated periods, run once per test session: enough for period 3's
pack to follow up the commitments of period 1's meetings and to show the sample plan revision in
force from period 3.

What belongs here: building that warehouse and reading it. What does not: expected figures
(each test module computes its own from the marts).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from bma_pipeline.cli import run_pipeline
from bma_pipeline.warehouse import Warehouse, connect
from bma_sample.catalogue import sample_catalogue
from bma_sample.submissions import generate_submissions

FISCAL_YEAR = 2566
PERIODS = [1, 2, 3]
PERIOD_NO = PERIODS[-1]
PERIOD_KEY = f"{FISCAL_YEAR}-P{PERIOD_NO}"
# Shortly after period 3's deadline (2023-04-10): P1–P3 are due, so late and missing show.
AS_OF = "2023-04-20T09:00:00"
REPO_ROOT = Path(__file__).resolve().parents[2]
TEST_OUTPUT = REPO_ROOT / "test-output"


def meeting_unit() -> str:
    """The H unit whose policies have the most supporting units: the fullest meeting pack."""
    assignments = sample_catalogue().assignments
    leads = assignments[assignments["role"] == "H"][["policy_code", "unit_code"]]
    supports = assignments[assignments["role"] == "R"][["policy_code", "unit_code"]]
    pairs = leads.merge(supports, on="policy_code", suffixes=("", "_r"))
    n_support = pairs.groupby("unit_code")["unit_code_r"].nunique()
    return str(n_support.sort_index().idxmax())  # the first code among equals


@dataclass(frozen=True)
class ReportRun:
    warehouse: str
    reports: Path
    landing: Path
    meeting_unit: str  # the H unit whose pack is also printed to PDF
    result: object  # dagster ExecuteInProcessResult

    def read(self) -> contextlib.AbstractContextManager[Warehouse]:
        return connect(self.warehouse, read_only=True)

    @property
    def period_dir(self) -> Path:
        return self.reports / PERIOD_KEY


@pytest.fixture(scope="session")
def report_run(tmp_path_factory: pytest.TempPathFactory) -> ReportRun:
    """Every asset of `period_pipeline_job` for 2566-P3, through `build_definitions`."""
    root = tmp_path_factory.mktemp("reports")
    landing, warehouse, reports = root / "landing", str(root / "warehouse.duckdb"), root / "reports"
    generate_submissions(landing, FISCAL_YEAR, PERIODS, seed=11)
    unit = meeting_unit()
    result = run_pipeline(
        landing,
        warehouse,
        reports,
        as_of=AS_OF,
        quiet=True,
        period=PERIOD_KEY,
        pdf=True,
        pdf_units=[unit],
    )
    failures = [e.message for e in result.all_events if e.is_step_failure]
    assert result.success, failures
    return ReportRun(warehouse, reports, landing, unit, result)


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """test-output/ at the repository root (git-ignored): screenshots and sample files."""
    path = Path(os.getenv("BMA_TEST_OUTPUT", TEST_OUTPUT))
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep(path: Path, output: Path, name: str | None = None) -> Path:
    """Copy a produced file to the test output folder for people to look at."""
    target = output / (name or path.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    return target
