"""The ledger keeps every file once, rejects what it cannot take, and loses no row."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bma_pipeline.intake.ledger import ingest_landing
from bma_pipeline.warehouse import connect

UNITS = {"1001", "1002", "DDS"}
# The files here are written whole before intake looks: no settling interval (waiting for
# files still being written is test_whole_files.py's subject).
WHOLE = {"settle_seconds": 0}
HEADER = "รหัสหน่วยงาน,ปีงบประมาณ,งวดที่,รหัสตัวชี้วัด,ผลการดำเนินงาน,สถานะ\n"


def _write(path: Path, text: str, encoding: str = "utf-8", mtime: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    root = tmp_path / "landing"
    _write(
        root / "1001" / "2566-P1.csv",
        HEADER + "1001,2566,1,K0001,12.5,กำลังดำเนินการ\n1001,2566,1,K0002,๓,แล้วเสร็จ\n",
    )
    _write(root / "1002" / "2566-P1.csv", HEADER + "1002,2566,1,K0001,4,\n", encoding="cp874")
    return root


def _outcomes(wh) -> dict[str, tuple[str, str | None]]:
    files = wh.query("select path, outcome, reason_code from raw.submission_files")
    return {p: (o, c) for p, o, c in files.itertuples(index=False)}


def _check_ledger(url: str, landing: Path) -> None:
    with connect(url) as wh:
        first = ingest_landing(wh, landing, UNITS, **WHOLE)
        assert (first.files_ingested, first.rows_ingested) == (2, 3)

        # Re-scanning the same folder adds nothing.
        again = ingest_landing(wh, landing, UNITS, **WHOLE)
        assert (again.files_ingested, again.files_already_known) == (0, 2)
        assert wh.scalar("select count(*) from raw.submission_rows") == 3

        # Same bytes under another name: recorded once as a duplicate, rows not re-ingested.
        shutil.copy(landing / "1001" / "2566-P1.csv", landing / "1001" / "copy.csv")
        # A corrected resubmission (new bytes) is ingested.
        _write(landing / "1001" / "2566-P1_rev1.csv", HEADER + "1001,2566,1,K0001,13,\n")
        # File-level failures are recorded and never stop the run.
        _write(landing / "9999" / "x.csv", HEADER + "9999,2566,1,K0001,1,\n")
        _write(landing / "loose.csv", HEADER)
        _write(landing / "1002" / "report.pdf", "%PDF-1.4")
        (landing / "1002" / "link.csv").symlink_to(landing / "1001" / "2566-P1.csv")
        third = ingest_landing(wh, landing, UNITS, **WHOLE)
        assert third.files_ingested == 1
        assert third.files_duplicate == 1
        assert third.files_rejected == 4
        outcomes = _outcomes(wh)
        assert outcomes["1001/copy.csv"] == ("duplicate", "duplicate_file")
        assert outcomes["1001/2566-P1_rev1.csv"] == ("ingested", None)
        assert outcomes["9999/x.csv"] == ("rejected", "unknown_unit_folder")
        assert outcomes["loose.csv"] == ("rejected", "no_unit_folder")
        assert outcomes["1002/report.pdf"] == ("rejected", "unsupported_extension")
        assert outcomes["1002/link.csv"] == ("rejected", "symlink")
        assert wh.scalar("select count(*) from raw.submission_rows") == 4

        rows = wh.query(
            "select r.row_number, r.raw_actual_value, r.actual_value, r.status, f.path "
            "from raw.submission_rows r join raw.submission_files f using (file_id) "
            "order by f.path, r.row_number"
        )
        thai_digit_row = rows[rows["raw_actual_value"] == "๓"].iloc[0]
        assert thai_digit_row["actual_value"] == 3.0
        assert thai_digit_row["row_number"] == 3  # header is row 1, data starts at row 2
        assert thai_digit_row["status"] == "completed"
        # Every ingested file's n_rows equals its stored rows.
        mismatch = wh.scalar(
            "select count(*) from raw.submission_files f where outcome = 'ingested' and "
            "n_rows <> (select count(*) from raw.submission_rows r where r.file_id = f.file_id)"
        )
        assert mismatch == 0


def test_ledger_on_duckdb(tmp_path: Path, landing: Path) -> None:
    _check_ledger(str(tmp_path / "w.duckdb"), landing)


@pytest.mark.postgres
def test_ledger_on_postgres(pg_database_url: str, landing: Path) -> None:
    _check_ledger(pg_database_url, landing)


def test_received_at_is_bangkok_wall_time_of_mtime(tmp_path: Path) -> None:
    from datetime import datetime

    from bma_pipeline.intake.ledger import received_at_of

    path = _write(tmp_path / "f.csv", "x", mtime=1_670_000_000)  # 2022-12-02 16:53:20 UTC
    assert received_at_of(path) == datetime(2022, 12, 2, 23, 53, 20)


@pytest.mark.parametrize("chunk_files", [1, 2, 1000])
def test_files_read_in_chunks_give_the_same_ledger(
    tmp_path: Path, landing: Path, chunk_files: int
) -> None:
    # Same bytes twice in one scan: the first (in folder order) is ingested, the second not.
    shutil.copy(landing / "1001" / "2566-P1.csv", landing / "1001" / "2566-P1_copy.csv")
    _write(landing / "1001" / "broken.xlsx", "not a workbook")
    _write(landing / "DDS" / "2566-P1.csv", HEADER + "DDS,2566,1,K0001,7,ล่าช้า\n")
    with connect(str(tmp_path / f"w{chunk_files}.duckdb")) as wh:
        report = ingest_landing(wh, landing, UNITS, chunk_files=chunk_files, **WHOLE)
        files = wh.query(
            "select file_id, path, outcome, reason_code, n_rows from raw.submission_files "
            "order by file_id"
        )
        rows = wh.query(
            "select f.path, r.row_number, r.actual_value, r.status from raw.submission_rows r "
            "join raw.submission_files f using (file_id) order by f.path, r.row_number"
        )
    assert (report.files_ingested, report.files_duplicate, report.files_rejected) == (3, 1, 1)
    assert files["file_id"].tolist() == [1, 2, 3, 4, 5]
    assert list(files.itertuples(index=False, name=None)) == [
        (1, "1001/2566-P1.csv", "ingested", None, 2),
        (2, "1001/2566-P1_copy.csv", "duplicate", "duplicate_file", 0),
        (3, "1001/broken.xlsx", "rejected", "corrupt_xlsx", 0),
        (4, "1002/2566-P1.csv", "ingested", None, 1),
        (5, "DDS/2566-P1.csv", "ingested", None, 1),
    ]
    assert list(rows.itertuples(index=False, name=None)) == [
        ("1001/2566-P1.csv", 2, 12.5, "in_progress"),
        ("1001/2566-P1.csv", 3, 3.0, "completed"),
        ("1002/2566-P1.csv", 2, 4.0, None),
        ("DDS/2566-P1.csv", 2, 7.0, "delayed"),
    ]


def test_batched_intake_writes_what_file_by_file_intake_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of many files parsed together and written many rows a transaction give the
    ledger that one file read, parsed and committed at a time gives, column for column, on
    every kind of file the sample writes (CSV UTF-8, BOM and cp874, XLSX, title rows, blank
    tails, bad rows) and every fixture of the readers (rejected ones included)."""
    import pandas as pd

    import bma_pipeline.intake.ledger as ledger
    from bma_pipeline.reference.catalog import CITY_DIR
    from bma_sample.submissions import generate_submissions

    landing = tmp_path / "landing"
    generate_submissions(landing, 2566, [1], seed=11, plans=False, minutes=False)
    fixtures = Path(__file__).parent / "fixtures"
    for fixture in sorted(fixtures.iterdir()):
        if fixture.suffix in (".csv", ".xlsx", ".pdf"):
            shutil.copy(fixture, landing / "1001" / f"fixture_{fixture.name}")
    units = set(pd.read_csv(CITY_DIR / "units.csv", dtype=str)["unit_code"])
    n_files = sum(1 for path in landing.rglob("*") if path.is_file())

    def ledger_of(name: str, chunk_files: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        with connect(str(tmp_path / f"{name}.duckdb")) as wh:
            report = ingest_landing(
                wh, landing, units, chunk_files=chunk_files, clock=lambda: 1.9e9, **WHOLE
            )
            assert report.files_seen == n_files
            files = wh.query("select * from raw.submission_files order by file_id")
            rows = wh.query("select * from raw.submission_rows order by file_id, row_number")
        return files, rows

    batched = ledger_of("batched", chunk_files=ledger.CHUNK_FILES)
    monkeypatch.setattr(ledger, "WRITE_ROWS", 1)
    one_by_one = ledger_of("one_by_one", chunk_files=1)

    files, rows = batched
    assert set(files["outcome"]) == {"ingested", "rejected"}
    assert len(rows) > 1000 and rows["raw_cells"].notna().all()
    pd.testing.assert_frame_equal(files, one_by_one[0])
    pd.testing.assert_frame_equal(rows, one_by_one[1])
