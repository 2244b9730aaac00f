"""The whole pipeline on generated submissions, checked against figures recomputed here.

The expected figures come from the generated files themselves (their bytes and
modification times) and the reference CSVs, through a deliberately small reader
and the DOMAIN §4 formulas written out again in plain Python — not from the
pipeline's own parsing, validation or SQL.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd
import pytest

from bma_pipeline.cli import run_pipeline
from bma_pipeline.fiscal import Period
from bma_pipeline.warehouse import connect
from bma_sample.catalogue import Revision, sample_catalogue
from bma_sample.plans import revised_catalogue
from bma_sample.submissions import generate_submissions

pytestmark = pytest.mark.slow

FISCAL_YEAR = 2566
PERIODS = [1, 2, 3]
AS_OF = "2023-04-20T09:00:00"
RATIO_CAP = 1.2
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
HEADER_NAMES = {
    "รหัสหน่วยงาน": "unit_code",
    "ปีงบประมาณ": "fiscal_year",
    "งวดที่": "period_no",
    "งวด": "period_no",
    "รหัสตัวชี้วัด": "kpi_code",
    "ผลการดำเนินงาน": "actual_value",
    "งบประมาณที่ใช้ (บาท)": "budget_spent_baht",
    "สถานะ": "status",
}
STATUSES = {"ยังไม่เริ่ม", "กำลังดำเนินการ", "แล้วเสร็จ", "ล่าช้า"}
STATUSES |= {"not_started", "in_progress", "completed", "delayed"}
MISSING = {"", "-", "#N/A", "N/A"}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().translate(THAI_DIGITS)


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "").replace("%", "").strip())
    except ValueError:
        return None


def _period(text: str) -> int | None:
    match = re.fullmatch(r"(?:\d{4}-P)?(\d+)", text)
    return int(match.group(1)) if match else None


def read_file(path: Path) -> list[dict[str, str]]:
    """Rows of a generated file as canonical-name → text."""
    if path.suffix == ".csv":
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp874")
        grid = list(csv.reader(io.StringIO(text)))
    else:
        sheet = openpyxl.load_workbook(path, data_only=True).worksheets[0]
        grid = [list(r) for r in sheet.iter_rows(values_only=True)]
    for index, row in enumerate(grid):
        names = [_text(c) for c in row]
        if "รหัสตัวชี้วัด" in names or "kpi_code" in names:
            columns = [HEADER_NAMES.get(n, n) for n in names]
            body = grid[index + 1 :]
            break
    else:
        raise AssertionError(f"no header in {path}")
    rows = []
    for row in body:
        cells = {c: _text(v) for c, v in zip(columns, row, strict=False)}
        if any(cells.values()):
            rows.append(cells)
    return rows


def received_at(path: Path) -> datetime:
    stamp = path.stat().st_mtime
    return datetime.fromtimestamp(stamp, ZoneInfo("Asia/Bangkok")).replace(tzinfo=None)


def valid_rows(path: Path, unit: str, targets: dict) -> list[tuple[str, int, float]]:
    """(kpi, period, value) of the rows a careful clerk would accept."""
    rows = read_file(path)
    keys = [(r.get("kpi_code"), r.get("fiscal_year"), r.get("period_no")) for r in rows]
    accepted = []
    for row, key in zip(rows, keys, strict=True):
        value = _number(row.get("actual_value", ""))
        budget = row.get("budget_spent_baht", "")
        budget_ok = budget in MISSING or (_number(budget) is not None and _number(budget) >= 0)
        period = _period(row.get("period_no", ""))
        if (
            row.get("unit_code") == unit
            and (unit, row.get("kpi_code")) in targets
            and row.get("fiscal_year") == str(FISCAL_YEAR)
            and period is not None
            and 1 <= period <= 6
            and value is not None
            and value >= 0
            and budget_ok
            and row.get("status", "") in STATUSES | {""}
            and keys.count(key) == 1
        ):
            accepted.append((row["kpi_code"], period, value))
    return accepted


def expected_figures(landing: Path) -> tuple[dict, dict]:
    """Compliance per (unit, period) and progress_pct per policy at the last period."""
    catalog = sample_catalogue()
    revision = Revision()  # the sample's: DDS revises P123 from P3 (a target raised, …)
    # Progress at the last period is measured against the plan in force then.
    in_force = (
        revised_catalogue(catalog, FISCAL_YEAR, revision)
        if PERIODS[-1] >= revision.effective_from
        else catalog
    )

    def targets_of(plan) -> dict[tuple[str, str], float]:
        year_targets = plan.targets[plan.targets["fiscal_year"] == FISCAL_YEAR]
        return {
            (u, k): float(t)
            for u, k, t in year_targets[["unit_code", "kpi_code", "annual_target"]].itertuples(
                index=False
            )
        }

    targets = targets_of(in_force)
    kpis = in_force.kpis.set_index("kpi_code")
    known = {**targets_of(catalog), **targets}  # a row is valid against either plan

    first_valid: dict[tuple[str, int], datetime] = {}
    current: dict[tuple[str, str, int], tuple[tuple[datetime, str], float]] = {}
    for path in sorted(p for p in landing.glob("*/*") if p.is_file()):  # submissions only
        unit, when = path.parent.name, received_at(path)
        for kpi, period, value in valid_rows(path, unit, known):
            first_valid[(unit, period)] = min(when, first_valid.get((unit, period), when))
            order = (when, path.name)
            if (unit, kpi, period) not in current or current[(unit, kpi, period)][0] < order:
                current[(unit, kpi, period)] = (order, value)

    units = sorted({u for u, _ in targets})
    compliance = {}
    for unit in units:
        for p in PERIODS:
            due = Period(FISCAL_YEAR, p).due_date()
            got = first_valid.get((unit, p))
            status = "missing" if got is None else "on_time" if got.date() <= due else "late"
            compliance[(unit, p)] = status

    last = PERIODS[-1]
    ratios = defaultdict(list)
    for (unit, kpi), target in targets.items():
        values = {p: current[(unit, kpi, p)][1] for p in PERIODS if (unit, kpi, p) in current}
        if not values:
            continue
        if kpis.at[kpi, "aggregation"] == "sum":
            actual, to_date = sum(values.values()), target * last / 6
        else:
            actual, to_date = values[max(values)], target
        if kpis.at[kpi, "direction"] == "increase":
            ratio = 1.0 if to_date == 0 else actual / to_date
        else:
            ratio = RATIO_CAP if actual == 0 else to_date / actual
        ratios[kpis.at[kpi, "policy_code"]].append(min(ratio, RATIO_CAP))
    progress = {policy: 100 * sum(r) / len(r) for policy, r in ratios.items()}
    return compliance, progress


@pytest.fixture(scope="module")
def pipeline_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    landing, warehouse = root / "landing", str(root / "warehouse.duckdb")
    report = generate_submissions(landing, FISCAL_YEAR, PERIODS, seed=7)
    result = run_pipeline(landing, warehouse, root / "reports", as_of=AS_OF, quiet=True)
    assert result.success
    return landing, warehouse, root, report


def test_every_file_and_row_is_in_the_ledger(pipeline_run):
    landing, warehouse, _, report = pipeline_run
    files = sorted(p for p in landing.glob("*/*") if p.is_file())
    with connect(warehouse, read_only=True) as wh:
        ledger = wh.query("select path, outcome, n_rows from raw.submission_files")
        counts = wh.query(
            "select count(*) as raw, "
            "(select count(*) from raw.quarantined_rows) as quarantined "
            "from raw.submission_rows"
        ).iloc[0]
    assert sorted(ledger["path"]) == sorted(p.relative_to(landing).as_posix() for p in files)
    assert set(ledger["outcome"]) == {"ingested"}
    expected_rows = sum(len(read_file(p)) for p in files)
    assert int(counts["raw"]) == expected_rows == report.n_rows
    assert 0 < int(counts["quarantined"]) < expected_rows * 0.06


def test_compliance_matches_file_times(pipeline_run):
    landing, warehouse, _, _ = pipeline_run
    expected, _ = expected_figures(landing)
    with connect(warehouse, read_only=True) as wh:
        mart = wh.query(
            "select unit_code, period_no, compliance_status from marts.mart_submission_compliance "
            "where fiscal_year = :year and period_no <= :period",
            {"year": FISCAL_YEAR, "period": PERIODS[-1]},
        )
    actual = {(u, int(p)): s for u, p, s in mart.itertuples(index=False)}
    assert actual == expected
    statuses = set(expected.values())
    assert {"on_time", "late", "missing"} <= statuses


def test_policy_progress_matches_hand_computation(pipeline_run):
    landing, warehouse, _, _ = pipeline_run
    _, expected = expected_figures(landing)
    with connect(warehouse, read_only=True) as wh:
        mart = wh.query(
            "select policy_code, progress_pct from marts.mart_policy_progress "
            "where fiscal_year = :year and period_no = :period and progress_pct is not null",
            {"year": FISCAL_YEAR, "period": PERIODS[-1]},
        )
    actual = dict(zip(mart["policy_code"], mart["progress_pct"].astype(float), strict=True))
    assert set(actual) == set(expected)
    for policy, pct in expected.items():
        assert actual[policy] == pytest.approx(pct, abs=1e-6), policy


def test_every_group_and_the_city_have_progress(pipeline_run):
    _, warehouse, root, _ = pipeline_run
    with connect(warehouse, read_only=True) as wh:
        groups = wh.query(
            "select group_code, progress_pct from marts.mart_group_progress "
            "where fiscal_year = :year and period_no = :period",
            {"year": FISCAL_YEAR, "period": PERIODS[-1]},
        )
    progress = dict(zip(groups["group_code"], groups["progress_pct"], strict=True))
    assert set(progress) == {"G1", "G2", "G3", "CITY"}
    assert all(0 < float(v) <= 120 for v in progress.values())
    assert (root / "reports" / "run_summary.json").exists()


def test_second_run_duplicates_nothing(pipeline_run):
    landing, warehouse, root, _ = pipeline_run
    query = (
        "select (select count(*) from raw.submission_files) as files, "
        "(select count(*) from raw.submission_rows) as raw_rows, "
        "(select count(*) from raw.quarantined_rows) as quarantined, "
        "(select count(*) from marts.fct_kpi_progress) as facts, "
        "(select sum(progress_pct) from marts.mart_policy_progress) as progress"
    )
    with connect(warehouse, read_only=True) as wh:
        before = wh.query(query)
    result = run_pipeline(landing, warehouse, root / "reports", as_of=AS_OF, quiet=True)
    assert result.success
    with connect(warehouse, read_only=True) as wh:
        after = wh.query(query)
    pd.testing.assert_frame_equal(before, after)
