"""The sample-submission generator: determinism, file shapes and the simulated timeline."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bma_pipeline.fiscal import Period
from bma_pipeline.reference.catalog import Catalog
from bma_sample.catalogue import sample_catalogue
from bma_sample.submissions import GenerationReport, generate_submissions

FISCAL_YEAR = 2566
PERIODS = [1, 2, 3]
SEED = 7
BANGKOK = ZoneInfo("Asia/Bangkok")
FILE_NAME = re.compile(r"^2566-P[1-3](_rev1)?\.(csv|xlsx)$")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return sample_catalogue()


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("landing")


@pytest.fixture(scope="module")
def report(landing: Path, catalog: Catalog) -> GenerationReport:
    return generate_submissions(landing, FISCAL_YEAR, PERIODS, SEED, catalog)


def _received_at(path: Path) -> datetime:
    """A file's mtime as Bangkok wall time (what the ledger records as received_at)."""
    return datetime.fromtimestamp(path.stat().st_mtime, BANGKOK).replace(tzinfo=None)


def _snapshot(root: Path) -> dict[str, tuple[str, int]]:
    return {
        str(path.relative_to(root)): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
        )
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _text_of(raw: bytes) -> str:
    """A CSV's text: UTF-8 (with or without BOM), else cp874."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp874")


def _period_of(path: Path) -> Period:
    return Period.from_key(path.stem.removesuffix("_rev1"))


def test_same_seed_gives_identical_bytes_and_mtimes(
    report: GenerationReport, landing: Path, catalog: Catalog, tmp_path: Path
) -> None:
    again = generate_submissions(tmp_path, FISCAL_YEAR, PERIODS, SEED, catalog)
    assert _snapshot(tmp_path) == _snapshot(landing)
    assert again.n_rows == report.n_rows
    assert again.late == report.late


def test_another_seed_gives_other_files(landing: Path, catalog: Catalog, tmp_path: Path) -> None:
    generate_submissions(tmp_path, FISCAL_YEAR, [1], SEED + 1, catalog)
    first = {k: v for k, v in _snapshot(landing).items() if "-P1" in k}
    assert _snapshot(tmp_path) != first


def test_only_unit_folders_with_submission_files_plans_and_minutes(
    report: GenerationReport, landing: Path, catalog: Catalog
) -> None:
    units = set(catalog.units["unit_code"])
    entries = list(landing.iterdir())
    assert entries and all(entry.is_dir() for entry in entries)
    assert {entry.name for entry in entries} <= units
    leads = set(catalog.assignments.query("role == 'H'")["unit_code"])
    reporting = set()
    for entry in entries:
        for path in entry.iterdir():
            if path.is_dir():
                # the plans it sent and, for a lead unit, the minutes of its meetings
                assert path.name == "plans" or (path.name == "meetings" and entry.name in leads)
                continue
            assert FILE_NAME.match(path.name), path
            reporting.add(entry.name)
    sent = report.files_written + report.plan_files + report.minutes.files_written
    written = {path.relative_to(landing) for path in sent}
    on_disk = {path.relative_to(landing) for path in landing.rglob("*") if path.is_file()}
    assert written == on_disk
    assert {p.relative_to(landing).as_posix() for p in report.plan_files} == {
        "SED/plans/2566_city_plan.xlsx",
        "DDS/plans/2566_P123_revision_P3.xlsx",
    }
    # Every unit with a target this year reports; 50 districts and the departments.
    assert len(reporting) == catalog.targets.query("fiscal_year == 2566")["unit_code"].nunique()


def test_formats_and_encodings_are_mixed(report: GenerationReport) -> None:
    kinds = set()
    for path in report.files_written:
        raw = path.read_bytes()
        if path.suffix == ".xlsx":
            kinds.add("xlsx")
        elif raw.startswith(b"\xef\xbb\xbf"):
            kinds.add("utf-8-bom")
        else:
            try:
                raw.decode("utf-8")
                kinds.add("utf-8")
            except UnicodeDecodeError:
                kinds.add("cp874")
    assert kinds == {"xlsx", "utf-8-bom", "utf-8", "cp874"}


def test_cp874_file_is_not_mojibake(report: GenerationReport) -> None:
    cp874_files = []
    for path in report.files_written:
        if path.suffix != ".csv":
            continue
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            cp874_files.append(path)
    assert cp874_files
    text = cp874_files[0].read_bytes().decode("cp874")
    assert re.search(r"[\u0E00-\u0E7F]", text)
    assert any(word in text for word in ("กำลังดำเนินการ", "ล่าช้า", "แล้วเสร็จ", "ยังไม่เริ่ม"))


def test_district_files_have_thai_headers(report: GenerationReport) -> None:
    district_csvs = [
        p for p in report.files_written if p.suffix == ".csv" and p.parent.name.isdigit()
    ]
    assert district_csvs
    for path in district_csvs:
        header = next(csv.reader(io.StringIO(_text_of(path.read_bytes()))))
        assert header[0] == "รหัสหน่วยงาน" and header[3] == "รหัสตัวชี้วัด", path


def test_resubmitted_file_has_one_row_per_targeted_kpi(
    report: GenerationReport, catalog: Catalog
) -> None:
    targets = catalog.targets[catalog.targets["fiscal_year"] == FISCAL_YEAR]
    checked = 0
    for path in report.files_written:
        if path.suffix != ".csv" or "_rev1" not in path.stem:
            continue
        rows = [row for row in csv.reader(io.StringIO(_text_of(path.read_bytes()))) if any(row)]
        kpis = sorted(row[3] for row in rows[1:])
        expected = sorted(targets.loc[targets["unit_code"] == path.parent.name, "kpi_code"])
        assert kpis == expected, path
        checked += 1
    assert checked


def test_bad_rows_are_about_three_percent(report: GenerationReport) -> None:
    assert 0.01 <= report.bad_row_share <= 0.06
    assert set(report.bad_rows_by_kind) == {
        "unknown_kpi",
        "negative_value",
        "wrong_unit",
        "text_value",
        "duplicate_kpi",
        "period_out_of_range",
    }


def test_timeline_has_late_missing_and_resubmitted_units(
    report: GenerationReport, landing: Path
) -> None:
    assert report.late and report.missing and report.resubmitted
    for unit_code, period_no in report.missing:
        assert not list((landing / unit_code).glob(f"2566-P{period_no}*"))
    for unit_code, period_no in report.late:
        first = next((landing / unit_code).glob(f"2566-P{period_no}.*"))
        assert _received_at(first).date() > Period(FISCAL_YEAR, period_no).due_date()
    for unit_code, period_no in report.resubmitted:
        first = next((landing / unit_code).glob(f"2566-P{period_no}.*"))
        again = next((landing / unit_code).glob(f"2566-P{period_no}_rev1.*"))
        assert _received_at(again) > _received_at(first)


def test_upload_times_fall_in_their_period_window(report: GenerationReport) -> None:
    late = set(report.late)
    for path in report.files_written:
        period = _period_of(path)
        received = _received_at(path)
        assert received.date() > period.end_date, path
        assert received.date() <= period.due_date() + timedelta(days=9), path
        is_first = "_rev1" not in path.stem
        if is_first and (path.parent.name, period.period_no) not in late:
            assert received.date() <= period.due_date(), path


def test_mtime_is_bangkok_wall_time(report: GenerationReport) -> None:
    path = report.files_written[0]
    received = _received_at(path)
    utc = datetime.fromtimestamp(os.stat(path).st_mtime, ZoneInfo("UTC")).replace(tzinfo=None)
    assert received - utc == timedelta(hours=7)


def test_unknown_fiscal_year_is_refused(tmp_path: Path, catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="2599"):
        generate_submissions(tmp_path, 2599, [1], SEED, catalog)
    assert not list(tmp_path.iterdir())


def test_the_sample_minutes_show_every_state_of_the_meeting_cycle(
    report: GenerationReport, catalog: Catalog
) -> None:
    """Most H units meet each period; some late, one never; a corrected resubmission; one file
    with bad rows; commitments done, dropped and left open (overdue)."""
    from bma_pipeline.columns import MINUTES
    from bma_pipeline.validation.workbook_check import read_sheets

    minutes = report.minutes
    leads = set(catalog.assignments.query("role == 'H'")["unit_code"])
    meeting_units = {path.parts[-3] for path in minutes.files_written}
    never = leads - meeting_units
    assert len(never) == 1  # the one unit that never meets
    assert minutes.late and minutes.missing and minutes.resubmitted and minutes.with_bad_rows
    per_period = {p: {u for u in meeting_units if any(
        f.parts[-3] == u and f.name.startswith(f"2566-P{p}") for f in minutes.files_written
    )} for p in PERIODS}  # fmt: skip
    assert all(len(units) > len(leads) / 2 for units in per_period.values())
    statuses, made, closed = set(), set(), set()
    for path in minutes.files_written:
        sheets = read_sheets(path, MINUTES)
        assert sheets is not None, path
        if "commitments" in sheets:
            made |= set(sheets["commitments"]["commitment_id"])
        if "updates" in sheets:
            statuses |= set(sheets["updates"]["status"])
            done = sheets["updates"]["status"].isin(["done", "dropped"])
            closed |= set(sheets["updates"].loc[done, "commitment_id"])
    assert {"done", "dropped"} <= statuses
    assert made - closed, "some commitments are never closed (they turn overdue)"
