"""The raw ledger: every received file and every data row, kept verbatim, ingested once.

What belongs here: scanning `landing/<unit_code>/<file>`, hashing, telling new
files from ones already received (same path and bytes: skip; same bytes under
another name: `duplicate`), file-level rejections, and writing
`raw.submission_files` / `raw.submission_rows`. Files are written a batch per
transaction (`WRITE_ROWS`), so a run killed mid-way never leaves half a file. What does not:
reading cell values (`readers.py`, `parse.py`) or judging rows (`validation`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from bma_pipeline.batching import batches_by_rows
from bma_pipeline.columns import (
    RAW_SCHEMA,
    SUBMISSION_FILES,
    SUBMISSION_ROWS,
    WORKBOOK_FOLDERS,
    Table,
)
from bma_pipeline.intake.parse import parse_many
from bma_pipeline.intake.readers import DEFAULT_MAX_BYTES, FileRejected, SheetTable, read_submission
from bma_pipeline.warehouse import Warehouse

BANGKOK = ZoneInfo("Asia/Bangkok")
# Files read and parsed together: bounds memory to one chunk, amortises pandas overhead.
# Range 1–10,000 files; 1 parses file by file (slow), larger holds more cell text at once.
CHUNK_FILES = 200
# A chunk also ends once its files reach this many bytes on disk (XLSX inflates ~5–10×).
CHUNK_BYTES = 64 * 1024 * 1024
# Rows written per transaction (and per progress line), in whole files: a killed run leaves
# whole files only. Range ≥ 1 (1: file by file, ~13 ms per commit on DuckDB); a commit costs
# ~40 ms here whatever its size up to ~50,000 rows, larger holds the writer lock longer.
WRITE_ROWS = 10_000


@dataclass(frozen=True)
class LandingFile:
    """A file found in the landing folder, before it is read."""

    path: Path
    relative_path: str
    unit_folder: str
    sha256: str
    bytes: int
    received_at: datetime  # Asia/Bangkok wall time


@dataclass
class IngestReport:
    files_seen: int = 0
    files_ingested: int = 0
    files_duplicate: int = 0
    files_rejected: int = 0
    files_already_known: int = 0
    rows_ingested: int = 0
    rejections: list[tuple[str, str, str]] = field(default_factory=list)  # path, code, reason
    ingested_file_ids: list[int] = field(default_factory=list)


def ensure_ledger_tables(wh: Warehouse) -> None:
    for table in (SUBMISSION_FILES, SUBMISSION_ROWS):
        wh.create_table(table.schema, table.name, table.sql_types)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def received_at_of(path: Path) -> datetime:
    """The received time is the file's modification time, as Bangkok wall time."""
    stamp = path.lstat().st_mtime
    return datetime.fromtimestamp(stamp, BANGKOK).replace(tzinfo=None, microsecond=0)


def iter_landing_paths(landing: Path) -> Iterable[Path]:
    """Every entry that is not a directory, without following symlinked folders."""
    for root, dirs, files in os.walk(landing, followlinks=False):
        dirs.sort()
        root_path = Path(root)
        # A symlinked folder is listed in dirs but not entered: report it as an entry.
        for name in list(dirs):
            if (root_path / name).is_symlink():
                dirs.remove(name)
                yield root_path / name
        for name in sorted(files):
            yield root_path / name


def submission_paths(landing: Path) -> list[Path]:
    """Every landing entry but those under a unit's workbook folders (`plans/`, `meetings/`),
    which have ledgers of their own (`workbook_ledger.py`)."""
    if not landing.is_dir():
        return []
    return [
        path
        for path in iter_landing_paths(landing)
        if not _in_workbook_folder(path.relative_to(landing).parts)
    ]


def _in_workbook_folder(parts: tuple[str, ...]) -> bool:
    return len(parts) > 2 and parts[1] in WORKBOOK_FOLDERS


def file_rejection(
    path: Path, landing: Path, known_units: set[str], kind_folder: str | None = None
) -> FileRejected | None:
    """Why a landing entry cannot be taken at all, if it cannot: a link, not directly in a
    unit's folder (`landing/<unit>/`, or `landing/<unit>/<kind_folder>/` for workbooks), or a
    folder that is not a unit's."""
    relative = path.relative_to(landing)
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        where = "outside" if not target.is_relative_to(landing.resolve()) else "inside"
        return FileRejected(
            "symlink",
            f"{relative} is a symbolic link (to a path {where} the landing folder); "
            "only regular files are accepted",
            f"{relative} เป็นลิงก์สัญลักษณ์ ไม่ใช่ไฟล์จริง",
        )
    folder = "landing/<unit_code>/" + (f"{kind_folder}/" if kind_folder else "")
    if len(relative.parts) != (3 if kind_folder else 2):
        return FileRejected(
            "no_unit_folder",
            f"{relative} is not inside a unit folder {folder}",
            f"{relative} ไม่ได้อยู่ในโฟลเดอร์ของหน่วยงาน {folder}",
        )
    if relative.parts[0] not in known_units:
        return FileRejected(
            "unknown_unit_folder",
            f"folder {relative.parts[0]!r} is not a known unit code",
            f"โฟลเดอร์ {relative.parts[0]!r} ไม่ใช่รหัสหน่วยงานที่รู้จัก",
        )
    return None


def _file_record(
    file_id: int,
    item: LandingFile,
    outcome: str,
    now: datetime,
    reason_code: str | None = None,
    reason: str | None = None,
    n_rows: int = 0,
    n_skipped_rows: int = 0,
) -> dict[str, object]:
    return {
        "file_id": file_id,
        "path": item.relative_path,
        "unit_folder": item.unit_folder,
        "file_name": item.path.name,
        "sha256": item.sha256,
        "bytes": item.bytes,
        "received_at": item.received_at,
        "outcome": outcome,
        "reason_code": reason_code,
        "reason": reason,
        "n_rows": n_rows,
        "n_skipped_rows": n_skipped_rows,
        "ingested_at": now,
        "validated_at": None,
    }


# A lone file record is one bound-parameter insert: a one-row frame costs ~5 ms to build and scan.
_INSERT_FILE_RECORD = (
    f"insert into {SUBMISSION_FILES.qualified} ({', '.join(SUBMISSION_FILES.names)}) "
    f"values ({', '.join(':' + column for column in SUBMISSION_FILES.names)})"
)


def _landing_file(path: Path, landing: Path) -> LandingFile:
    relative = path.relative_to(landing)
    is_link = path.is_symlink()
    return LandingFile(
        path=path,
        relative_path=relative.as_posix(),
        unit_folder=relative.parts[0] if len(relative.parts) > 1 else "",
        # A symlink is never followed: its identity is the link text, not the target's bytes.
        sha256=(
            hashlib.sha256(os.readlink(path).encode()).hexdigest() if is_link else sha256_of(path)
        ),
        bytes=0 if is_link else path.stat().st_size,
        received_at=received_at_of(path),
    )


@dataclass
class _Planned:
    """One new landing file and what intake decided about it before writing."""

    item: LandingFile
    rejection: FileRejected | None = None
    duplicate_of: str | None = None
    table: SheetTable | None = None
    rows: pd.DataFrame | None = None


def _chunks(planned: list[_Planned], max_files: int, max_bytes: int) -> Iterator[list[_Planned]]:
    """Consecutive runs of files small enough to read and parse together."""
    chunk: list[_Planned] = []
    size = 0
    for entry in planned:
        chunk.append(entry)
        size += entry.item.bytes
        if len(chunk) >= max_files or size >= max_bytes:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _read_and_parse(chunk: list[_Planned], max_bytes: int) -> None:
    """Read every file of a chunk that needs reading, then parse them all in one batch."""
    to_parse: list[_Planned] = []
    for entry in chunk:
        if entry.rejection is not None or entry.duplicate_of is not None:
            continue
        try:
            entry.table = read_submission(entry.item.path, max_bytes=max_bytes)
        except FileRejected as exc:
            entry.rejection = exc
            continue
        to_parse.append(entry)
    parsed = parse_many([(entry.table, entry.item.unit_folder) for entry in to_parse])
    for entry, rows in zip(to_parse, parsed, strict=True):
        entry.rows = rows


def ingest_landing(
    wh: Warehouse,
    landing: Path,
    known_units: set[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[str], None] | None = None,
    chunk_files: int = CHUNK_FILES,
    chunk_bytes: int = CHUNK_BYTES,
) -> IngestReport:
    """Record every new file of the landing folder in the ledger, each exactly once.

    Files are decided in folder order (already known, rejected, duplicate, to read),
    read and parsed a chunk at a time (one parser call per chunk), and written
    about `WRITE_ROWS` rows of whole files per transaction.
    """
    landing = landing.resolve()
    ensure_ledger_tables(wh)
    known = wh.query("select path, sha256 from raw.submission_files")
    known_pairs = set(zip(known["path"], known["sha256"], strict=True))
    first_path_of_sha = dict(zip(known["sha256"][::-1], known["path"][::-1], strict=True))
    next_id = int(wh.scalar("select coalesce(max(file_id), 0) from raw.submission_files")) + 1
    report = IngestReport()
    now = datetime.now(BANGKOK).replace(tzinfo=None, microsecond=0)

    paths = list(submission_paths(landing))
    planned: list[_Planned] = []
    for path in paths:
        report.files_seen += 1
        item = _landing_file(path, landing)
        if (item.relative_path, item.sha256) in known_pairs:
            report.files_already_known += 1
            continue
        entry = _Planned(item, rejection=file_rejection(path, landing, known_units))
        if entry.rejection is None and item.sha256 in first_path_of_sha:
            entry.duplicate_of = first_path_of_sha[item.sha256]
        known_pairs.add((item.relative_path, item.sha256))
        first_path_of_sha.setdefault(item.sha256, item.relative_path)
        planned.append(entry)

    done = report.files_already_known
    for chunk in _chunks(planned, chunk_files, chunk_bytes):
        _read_and_parse(chunk, max_bytes)
        sizes = [len(entry.rows) if entry.rows is not None else 0 for entry in chunk]
        for batch in batches_by_rows(chunk, sizes, WRITE_ROWS):
            _write_files(wh, batch, next_id, now, report)
            for entry in batch:
                entry.table = entry.rows = None  # free the chunk's memory as it is written
            next_id += len(batch)
            done += len(batch)
            if progress and done < len(paths):  # after each committed write batch
                progress(f"intake: {done}/{len(paths)} files scanned")
    if progress and paths:
        progress(f"intake: {len(paths)}/{len(paths)} files scanned")
    return report


def _write_files(
    wh: Warehouse, batch: list[_Planned], first_id: int, now: datetime, report: IngestReport
) -> None:
    """Write a batch of files' records and rows in one transaction; count them in the report.

    One append for the whole batch: a DuckDB commit and a frame scan per file cost more
    than parsing the file (measured ~13 ms per 50-row file when written one by one).
    """
    records, frames, frame_ids = [], [], []
    for file_id, entry in enumerate(batch, first_id):
        record = _file_record_of(entry, file_id, now)
        records.append(record)
        if record["outcome"] == "ingested" and entry.rows is not None:
            frames.append(entry.rows)
            frame_ids.append(file_id)
    with wh.transaction():
        if len(records) == 1:
            record = records[0]
            wh.execute(_INSERT_FILE_RECORD, record)
        else:
            wh.append(RAW_SCHEMA, "submission_files", records_frame(records))
        if frames:
            rows = pd.concat(frames, ignore_index=True, copy=False)
            lengths = [len(frame) for frame in frames]
            rows.insert(0, "file_id", np.repeat(np.array(frame_ids, dtype="int64"), lengths))
            wh.append(RAW_SCHEMA, "submission_rows", rows[list(SUBMISSION_ROWS.names)])
    for file_id, (entry, record) in enumerate(zip(batch, records, strict=True), first_id):
        if record["outcome"] == "ingested":
            report.files_ingested += 1
            report.rows_ingested += len(entry.rows) if entry.rows is not None else 0
            report.ingested_file_ids.append(file_id)
        elif record["outcome"] == "duplicate":
            report.files_duplicate += 1
        else:
            report.files_rejected += 1
            report.rejections.append(
                (entry.item.relative_path, str(record["reason_code"]), str(record["reason"]))
            )


def records_frame(
    records: list[dict[str, object]], table: Table = SUBMISSION_FILES
) -> pd.DataFrame:
    """File records as a frame typed like a files table (a bound insert costs ~1 ms)."""
    frame = pd.DataFrame.from_records(records, columns=list(table.names))
    for column, sql_type in table.sql_types.items():
        if sql_type in ("bigint", "integer"):
            frame[column] = frame[column].astype("int64")
        elif sql_type == "timestamp":
            frame[column] = pd.to_datetime(frame[column])
        else:
            frame[column] = frame[column].astype(object)
    return frame


def _file_record_of(entry: _Planned, file_id: int, now: datetime) -> dict[str, object]:
    """The raw.submission_files record of a planned file: ingested, duplicate or rejected."""
    item, rows = entry.item, entry.rows
    if entry.duplicate_of is not None:
        original = entry.duplicate_of
        reason = f"same bytes as {original} (ไฟล์ซ้ำกับ {original})"
        return _file_record(file_id, item, "duplicate", now, "duplicate_file", reason)
    if entry.rejection is not None:
        reason = f"{entry.rejection.message_en} ({entry.rejection.message_th})"
        return _file_record(file_id, item, "rejected", now, entry.rejection.code, reason)
    assert rows is not None and entry.table is not None
    return _file_record(
        file_id,
        item,
        "ingested",
        now,
        n_rows=len(rows),
        n_skipped_rows=entry.table.n_skipped_rows,
    )
