"""Only whole files are ingested: a file still being written waits, and a half file read
by mistake is superseded by the whole one.

The scans here get "now" from a fixed clock, so the settling interval is counted without
waiting for it; the files' modification times are set relative to that clock.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bma_pipeline.intake import ledger
from bma_pipeline.intake.ledger import ingest_landing, is_in_progress_name
from bma_pipeline.validation.apply import validate_pending_files
from bma_pipeline.validation.invariants import ledger_balance
from bma_pipeline.warehouse import connect
from bma_sample.catalogue import sample_catalogue
from bma_sample.plans import write_sample_plans

BANGKOK = ZoneInfo("Asia/Bangkok")
HEADER = "รหัสหน่วยงาน,ปีงบประมาณ,งวดที่,รหัสตัวชี้วัด,ผลการดำเนินงาน\n"
NOW = datetime(2025, 1, 10, 12, 0, tzinfo=BANGKOK).timestamp()
SETTLE = 30.0
PATH = "1001/2566-P3.csv"
UNITS = {"1001", "1002"}


def kpis_of_1001() -> list[str]:
    """Unit 1001's KPIs with a target in FY2566 (104 in the shipped catalogue)."""
    targets = sample_catalogue().targets
    mine = targets[(targets["fiscal_year"] == 2566) & (targets["unit_code"] == "1001")]
    return sorted(mine["kpi_code"])


def submission_1001_p3() -> tuple[bytes, bytes]:
    """(whole file, its first half cut at a row boundary): one row per KPI of unit 1001."""
    rows = [f"1001,2566,3,{kpi},{n}\n" for n, kpi in enumerate(kpis_of_1001(), start=1)]
    whole = (HEADER + "".join(rows)).encode("utf-8")
    half = (HEADER + "".join(rows[: len(rows) // 2])).encode("utf-8")
    return whole, half


def land(landing: Path, data: bytes, mtime: float, relative: str = PATH) -> Path:
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, ns=(int(mtime * 1e9), int(mtime * 1e9)))
    return path


def files(wh) -> list[tuple]:
    return list(
        wh.query(
            "select file_id, path, outcome, reason_code, bytes, mtime_ns, n_rows "
            "from raw.submission_files order by file_id"
        ).itertuples(index=False, name=None)
    )


def n_rows(wh) -> int:
    return int(wh.scalar("select count(*) from raw.submission_rows"))


def scan(wh, landing: Path, at: float, settle: float = SETTLE) -> ledger.IngestReport:
    return ingest_landing(wh, landing, UNITS, settle_seconds=settle, clock=lambda: at)


def test_the_issue_s_file_has_104_rows_for_unit_1001():
    whole, half = submission_1001_p3()
    assert len(kpis_of_1001()) == 104
    assert whole.startswith(half) and half.count(b"\n") == 1 + 52


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def warehouse_url(request, tmp_path) -> str:
    if request.param == "duckdb":
        return str(tmp_path / "w.duckdb")
    return request.getfixturevalue("pg_database_url")


def test_a_file_changed_within_the_interval_waits_as_incomplete(tmp_path, warehouse_url):
    landing = tmp_path / "landing"
    whole, _ = submission_1001_p3()
    path = land(landing, whole, mtime=NOW - 5)
    mtime_ns = path.stat().st_mtime_ns
    with connect(warehouse_url) as wh:
        first = scan(wh, landing, at=NOW)
        assert (first.files_incomplete, first.files_ingested, first.rows_ingested) == (1, 0, 0)
        assert files(wh) == [(1, PATH, "incomplete", "settling", len(whole), mtime_ns, 0)]
        assert n_rows(wh) == 0
        observed = wh.scalar("select ingested_at from raw.submission_files")

        # Looked at again before the interval is over: still waiting, first observation kept.
        again = scan(wh, landing, at=NOW + 10)
        assert again.files_incomplete == 1
        assert files(wh) == [(1, PATH, "incomplete", "settling", len(whole), mtime_ns, 0)]
        assert wh.scalar("select ingested_at from raw.submission_files") == observed

        # 31 s after its last change: taken, and the waiting record gives way to it.
        later = scan(wh, landing, at=NOW + 26)
        assert (later.files_ingested, later.rows_ingested) == (1, 104)
        assert files(wh) == [(2, PATH, "ingested", None, len(whole), mtime_ns, 104)]
        assert n_rows(wh) == 104


def test_a_future_mtime_is_taken_after_two_looks_an_interval_apart(tmp_path, warehouse_url):
    """A clock ahead of ours stamps files in the future: the ledger's first look counts."""
    landing = tmp_path / "landing"
    whole, _ = submission_1001_p3()
    land(landing, whole, mtime=NOW + 3600)
    with connect(warehouse_url) as wh:
        first = scan(wh, landing, at=NOW)
        assert first.files_incomplete == 1
        assert "in the future" in first.incomplete[0][1]
        # The first look is recorded to the second: 28.x s after it is not yet 30 s.
        assert scan(wh, landing, at=NOW + 29).files_incomplete == 1
        taken = scan(wh, landing, at=NOW + 31)
        assert (taken.files_ingested, taken.rows_ingested) == (1, 104)
        assert [f[2] for f in files(wh)] == ["ingested"]


def test_a_file_still_growing_restarts_the_interval(tmp_path):
    landing = tmp_path / "landing"
    whole, half = submission_1001_p3()
    land(landing, half, mtime=NOW - 5)
    with connect(str(tmp_path / "w.duckdb")) as wh:
        assert scan(wh, landing, at=NOW).files_incomplete == 1
        land(landing, whole, mtime=NOW + 20)  # the upload goes on
        assert scan(wh, landing, at=NOW + 40).files_incomplete == 1
        # One waiting record, now with the grown size.
        assert [(f[2], f[4]) for f in files(wh)] == [("incomplete", len(whole))]
        taken = scan(wh, landing, at=NOW + 50)
        assert (taken.files_ingested, taken.rows_ingested) == (1, 104)
        assert [(f[2], f[6]) for f in files(wh)] == [("ingested", 104)]


def test_a_waiting_record_of_a_file_gone_from_the_landing_is_dropped(tmp_path):
    landing = tmp_path / "landing"
    whole, _ = submission_1001_p3()
    path = land(landing, whole, mtime=NOW - 5)
    with connect(str(tmp_path / "w.duckdb")) as wh:
        assert scan(wh, landing, at=NOW).files_incomplete == 1
        path.unlink()  # the upload was abandoned
        scan(wh, landing, at=NOW + 60)
        assert files(wh) == []


@pytest.mark.parametrize(
    "name",
    ["2566-P3.csv.part", "2566-P3.xlsx.tmp", "~$2566-P3.xlsx", ".~lock.2566-P3.xlsx#", ".DS_Store"],
)
def test_names_upload_tools_write_under_are_neither_read_nor_recorded(tmp_path, name):
    landing = tmp_path / "landing"
    whole, _ = submission_1001_p3()
    land(landing, whole, mtime=NOW - 3600, relative=f"1001/{name}")
    assert is_in_progress_name(f"1001/{name}")
    with connect(str(tmp_path / "w.duckdb")) as wh:
        report = scan(wh, landing, at=NOW)
        assert report.in_progress_names == [f"1001/{name}"]
        assert files(wh) == [] and n_rows(wh) == 0


def test_ordinary_names_are_not_taken_for_upload_names():
    assert not is_in_progress_name("1001/2566-P3.csv")
    assert not is_in_progress_name("1001/รายงาน งวด 3 (แก้ไข).xlsx")
    assert is_in_progress_name("1001/.sync/2566-P3.csv")  # a dot-folder of a sync tool


def _appending_after(original: Callable, extra: bytes) -> Callable:
    """`original`, but a writer appends to the file right after it (once)."""
    done: list[Path] = []

    def wrapped(path: Path, *args, **kwargs):
        result = original(path, *args, **kwargs)
        if not done:
            with path.open("ab") as handle:
                handle.write(extra)
            done.append(path)
        return result

    return wrapped


@pytest.mark.parametrize("while_", ["hashing", "reading"])
def test_a_file_that_changes_while_it_is_read_is_not_taken(tmp_path, monkeypatch, while_):
    """The writer appends between intake's two looks (around the hash, or around the read
    that parses the rows): the bytes read are not the file's, so nothing is ingested, even
    with no settling interval; the next scan takes the whole file."""
    landing = tmp_path / "landing"
    whole, half = submission_1001_p3()
    land(landing, half, mtime=NOW - 3600)
    name = "sha256_of" if while_ == "hashing" else "read_submission"
    monkeypatch.setattr(ledger, name, _appending_after(getattr(ledger, name), whole[len(half) :]))
    with connect(str(tmp_path / "w.duckdb")) as wh:
        report = ingest_landing(wh, landing, UNITS, settle_seconds=0)
        assert (report.files_ingested, report.files_incomplete) == (0, 1)
        assert [(f[2], f[3], f[6]) for f in files(wh)] == [("incomplete", "changed_while_read", 0)]
        assert n_rows(wh) == 0
        monkeypatch.undo()
        taken = ingest_landing(wh, landing, UNITS, settle_seconds=0)
        assert (taken.files_ingested, taken.rows_ingested) == (1, 104)
        assert [(f[2], f[6]) for f in files(wh)] == [("ingested", 104)]


def test_a_half_file_taken_by_mistake_is_superseded_by_the_whole(tmp_path, warehouse_url):
    """The writer paused longer than the interval, so the half file looked settled and was
    ingested; the whole file later found at the same path begins with those bytes."""
    landing = tmp_path / "landing"
    whole, half = submission_1001_p3()
    catalog = sample_catalogue()
    units = set(catalog.units["unit_code"])
    with connect(warehouse_url) as wh:
        land(landing, half, mtime=NOW - 3600)
        first = ingest_landing(wh, landing, units, clock=lambda: NOW)
        validate_pending_files(wh, catalog)
        assert (first.files_ingested, first.rows_ingested) == (1, 52)

        land(landing, whole, mtime=NOW - 60)
        second = ingest_landing(wh, landing, units, clock=lambda: NOW)
        validate_pending_files(wh, catalog)
        assert (second.files_ingested, second.files_superseded_partial) == (1, 1)
        assert second.superseded == [(PATH, 1, 2)]
        assert [(f[0], f[2], f[3], f[4], f[6]) for f in files(wh)] == [
            (1, "superseded_partial", "superseded_partial", len(half), 52),
            (2, "ingested", None, len(whole), 104),
        ]
        reason = wh.scalar("select reason from raw.submission_files where file_id = 1")
        assert f"start of {PATH}" in reason and "file 2" in reason
        # History kept: the half file's rows stay in raw; only the whole file's count.
        assert n_rows(wh) == 52 + 104
        balance = ledger_balance(wh)
        assert balance.balanced
        assert balance.raw_rows == 104
        assert balance.accepted_rows + balance.quarantined_rows == 104


def test_a_corrected_file_at_the_same_path_is_not_taken_for_a_partial(tmp_path):
    """New bytes that do not begin with the earlier ones are a resubmission, as before."""
    landing = tmp_path / "landing"
    whole, half = submission_1001_p3()
    corrected = half.replace(b",1\n", b",7\n", 1) + whole[len(half) :]
    assert not corrected.startswith(half)
    with connect(str(tmp_path / "w.duckdb")) as wh:
        land(landing, half, mtime=NOW - 3600)
        scan(wh, landing, at=NOW)
        land(landing, corrected, mtime=NOW - 60)
        report = scan(wh, landing, at=NOW)
        assert (report.files_ingested, report.files_superseded_partial) == (1, 0)
        assert [(f[2], f[6]) for f in files(wh)] == [("ingested", 52), ("ingested", 104)]


P3_AS_OF = "2023-04-20T09:00:00"  # after P3's due date (10 April 2023)
HALF_RECEIVED = datetime(2023, 4, 5, 9, 55, tzinfo=BANGKOK).timestamp()
WHOLE_RECEIVED = datetime(2023, 4, 5, 10, 0, tzinfo=BANGKOK).timestamp()


def figures_1001_p3(warehouse: str) -> dict[str, object]:
    """What the marts say about unit 1001's P3 submission."""
    where = "unit_code = '1001' and fiscal_year = 2566 and period_no = 3"
    with connect(warehouse, read_only=True) as wh:
        compliance = wh.query(
            "select compliance_status, first_received_at, days_late, n_files, n_rows_received, "
            "n_rows_accepted, n_rows_quarantined from marts.mart_submission_compliance "
            f"where {where}"
        )
        accepted = wh.scalar(
            f"select count(*) from intermediate.int_submission_rows_accepted where {where}"
        )
        progress = wh.query(
            "select kpi_code, actual_ytd from marts.fct_kpi_progress "
            f"where {where} order by kpi_code"
        )
    return {
        "compliance": compliance.to_dict("records"),
        "accepted_rows": int(accepted),
        "actual_ytd": dict(zip(progress["kpi_code"], progress["actual_ytd"], strict=True)),
    }


def _run(landing: Path, warehouse: str, reports: Path, **kwargs):
    from bma_pipeline.cli import run_pipeline

    result = run_pipeline(landing, warehouse, reports, as_of=P3_AS_OF, quiet=True, **kwargs)
    assert result.success
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks["ledger_conservation"]
    return result


@pytest.mark.slow
def test_a_file_half_written_when_intake_runs_ends_with_the_control_s_figures(tmp_path):
    """The issue's scenario: unit 1001's P3 CSV (104 data rows) is half on disk, cut at a row
    boundary, when a run scans the landing; the whole file lands later. A control run that
    only ever saw the whole file gives the figures the marts must end with."""
    whole, half = submission_1001_p3()

    control = tmp_path / "control"
    catalog = sample_catalogue()
    write_sample_plans(control / "landing", 2566, catalog, revision=None)  # the plan in force
    land(control / "landing", whole, mtime=WHOLE_RECEIVED)
    _run(control / "landing", str(control / "w.duckdb"), control / "reports")
    expected = figures_1001_p3(str(control / "w.duckdb"))
    assert expected["compliance"][0]["n_files"] == 1
    assert expected["compliance"][0]["n_rows_received"] == 104
    assert expected["accepted_rows"] == 104

    landing, warehouse, reports = tmp_path / "landing", str(tmp_path / "w.duckdb"), tmp_path
    write_sample_plans(landing, 2566, catalog, revision=None)
    # 1. Half on disk, written just now. The long interval keeps the file inside it however
    #    slowly this machine starts the run: recorded `incomplete`, no row taken.
    path = land(landing, half, mtime=time.time())
    _run(landing, warehouse, reports / "r1", settle_seconds=3600)
    with connect(warehouse, read_only=True) as wh:
        assert [(f[2], f[4], f[6]) for f in files(wh)] == [("incomplete", len(half), 0)]
        assert n_rows(wh) == 0
    waiting = figures_1001_p3(warehouse)["compliance"][0]
    assert (waiting["n_files"], waiting["n_rows_received"]) == (0, 0)

    # 2. The writer stalls past the interval (and its tool stamps the file's time): the half
    #    file looks settled and is ingested, as in the issue: 52 rows.
    os.utime(path, (HALF_RECEIVED, HALF_RECEIVED))
    _run(landing, warehouse, reports / "r2")
    stalled = figures_1001_p3(warehouse)["compliance"][0]
    assert (stalled["n_files"], stalled["n_rows_received"]) == (1, 52)

    # 3. The whole file lands at the same path: the half file is superseded.
    land(landing, whole, mtime=WHOLE_RECEIVED)
    _run(landing, warehouse, reports / "r3")
    with connect(warehouse, read_only=True) as wh:
        assert [(f[2], f[6]) for f in files(wh)] == [
            ("superseded_partial", 52),
            ("ingested", 104),
        ]
        # Every stored row is accounted for: the half file's 52 are superseded, not lost.
        counts = wh.query(
            "select outcome, n_rows_received, n_rows_accepted, n_rows_superseded "
            "from marts.rpt_submission_file_row_counts order by file_id"
        )
        assert counts.values.tolist() == [
            ["superseded_partial", 52, 0, 52],
            ["ingested", 104, 104, 0],
        ]
    assert figures_1001_p3(warehouse) == expected
