"""The ledger of multi-sheet workbooks (action plans, meeting minutes): every file and every row
of every sheet, kept verbatim, ingested once.

What belongs here: scanning `landing/<unit_code>/<kind folder>/` (`plans/`, `meetings/`),
telling new files from known ones exactly as for submissions (upload names skipped; a file not
settled yet or changed while read waits as `incomplete`; same path and bytes: skip; same bytes
under another name: `duplicate`; file-level rejections with a reason), reading each
with `workbooks.read_workbook`, parsing each sheet with the registry's kinds, and writing the
kind's files and rows tables (`Workbook.files`, `Workbook.rows`: one row per data row with its
sheet) a chunk of whole files per transaction. What does not: judging rows
(`bma_pipeline/plans/rules.py`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from bma_pipeline.columns import Workbook
from bma_pipeline.intake.ledger import (
    BANGKOK,
    DEFAULT_SETTLE_SECONDS,
    IngestReport,
    LandingFile,
    _file_record,
    _landing_file,
    _ledger_records,
    drop_incomplete_records,
    file_rejection,
    is_in_progress_name,
    is_new_observation,
    iter_landing_paths,
    ledger_view,
    records_frame,
    stale_waiting,
    waiting_reason,
)
from bma_pipeline.intake.parse import parse_sheets
from bma_pipeline.intake.readers import DEFAULT_MAX_BYTES, FileRejected
from bma_pipeline.intake.workbooks import WorkbookTables, read_workbook
from bma_pipeline.warehouse import Warehouse

# Workbooks read, parsed and written together (one transaction a chunk); range 1–10,000.
CHUNK_FILES = 200
# A chunk of workbooks ends once its files reach this many bytes on disk: a sheet's cells take
# ~50× their XLSX size in memory while parsed, so a large action plan is parsed on its own.
CHUNK_BYTES = 8 * 1024 * 1024


def ensure_workbook_tables(wh: Warehouse, kind: Workbook) -> None:
    for table in kind.tables:
        wh.create_table(table.schema, table.name, table.sql_types)


def workbook_paths(landing: Path, kind: Workbook) -> Iterator[Path]:
    """Every entry under `landing/<unit>/<kind.folder>/`, in folder order."""
    if not landing.is_dir():
        return
    for unit in sorted(p for p in landing.iterdir() if p.is_dir() and not p.is_symlink()):
        folder = unit / kind.folder
        if folder.is_dir() and not folder.is_symlink():
            yield from iter_landing_paths(folder)


def workbook_rows(tables: WorkbookTables, kind: Workbook) -> pd.DataFrame:
    """Every data row of every sheet as the kind's rows table (without file_id): the sheet,
    the original cells, the original text and parsed value of each of its columns."""
    return workbook_rows_many([tables], kind)[0]


def workbook_rows_many(workbooks: Sequence[WorkbookTables], kind: Workbook) -> list[pd.DataFrame]:
    """`workbook_rows` of each workbook, each sheet layout parsed once for them all.

    pandas' fixed cost per call dominates for sheets of a few rows: parsed workbook by
    workbook, minutes intake spent 13 s of 14 s in 588 calls at bangkok scale.
    """
    names = [name for name in kind.rows.names if name != "file_id"]
    frames: list[list[pd.DataFrame]] = [[] for _ in workbooks]
    for layout in kind.sheets:
        owners = [
            i
            for i, tables in enumerate(workbooks)
            if (table := tables.sheets.get(layout.name)) is not None and len(table) > 0
        ]
        parsed = parse_sheets([workbooks[i].sheets[layout.name] for i in owners], layout)
        for i, frame in zip(owners, parsed, strict=True):
            frame.insert(0, "sheet", layout.name)
            frames[i].append(frame)
    empty = pd.DataFrame({name: pd.Series(dtype=object) for name in names})
    return [
        pd.concat(sheets, ignore_index=True, sort=False).reindex(columns=names)
        if sheets
        else empty.copy()
        for sheets in frames
    ]


@dataclass
class _Entry:
    """One landing file of a chunk: its ledger record, and its workbook while it is parsed."""

    file_id: int
    item: LandingFile
    record: dict[str, object] | None = None  # decided without parsing (waiting, rejected, …)
    tables: WorkbookTables | None = None
    rows: pd.DataFrame | None = None


def ingest_workbooks(
    wh: Warehouse,
    landing: Path,
    kind: Workbook,
    known_units: set[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[str], None] | None = None,
    settle_seconds: float = DEFAULT_SETTLE_SECONDS,
    clock: Callable[[], float] = time.time,
    chunk_files: int = CHUNK_FILES,
    chunk_bytes: int = CHUNK_BYTES,
) -> IngestReport:
    """Record every new whole workbook of the kind in its ledger, each exactly once.

    Files are decided one by one in folder order (known, waiting, duplicate, rejected, read),
    then a chunk of them (`chunk_files` files or `chunk_bytes` on disk) is parsed sheet layout
    by sheet layout and written in one transaction: a killed run leaves whole files only.
    """
    landing = landing.resolve()
    ensure_workbook_tables(wh, kind)
    files = kind.files
    records = _ledger_records(wh, files)
    view = ledger_view(records)
    taken = records[records["outcome"] != "incomplete"]
    known_pairs = set(zip(taken["path"], taken["sha256"], strict=True))
    first_path_of_sha = dict(zip(taken["sha256"][::-1], taken["path"][::-1], strict=True))
    next_id = int(wh.scalar(f"select coalesce(max(file_id), 0) from {files.qualified}")) + 1
    report = IngestReport()
    now_s = clock()
    now = datetime.fromtimestamp(now_s, BANGKOK).replace(tzinfo=None, microsecond=0)
    still_waiting: set[str] = set()
    taken_now: set[str] = set()
    chunk: list[_Entry] = []
    chunk_size = 0
    for path in workbook_paths(landing, kind):
        report.files_seen += 1
        relative = path.relative_to(landing).as_posix()
        if is_in_progress_name(relative):
            report.in_progress_names.append(relative)
            continue
        item = _landing_file(path, landing)
        if (item.relative_path, item.sha256) in known_pairs:
            report.files_already_known += 1
            continue
        entry = _Entry(next_id, item)
        waiting = waiting_reason(item, view, now_s, settle_seconds)
        if waiting is not None:
            still_waiting.add(item.relative_path)
            report.files_incomplete += 1
            report.incomplete.append((item.relative_path, waiting[1]))
            if not is_new_observation(item, view):
                continue  # the earlier record's time is what the interval counts from
            entry.record = _file_record(next_id, item, "incomplete", now, *waiting)
        else:
            taken_now.add(item.relative_path)
            known_pairs.add((item.relative_path, item.sha256))
            _decide(entry, landing, now, kind, known_units, first_path_of_sha, max_bytes, report)
            first_path_of_sha.setdefault(item.sha256, item.relative_path)
        chunk.append(entry)
        chunk_size += item.bytes
        next_id += 1
        if len(chunk) >= chunk_files or chunk_size >= chunk_bytes:
            _write_chunk(wh, chunk, kind, now, report, view.waiting, progress)
            chunk, chunk_size = [], 0
    if chunk:
        _write_chunk(wh, chunk, kind, now, report, view.waiting, progress)
    stale = stale_waiting(view, still_waiting, taken_now)
    if stale:
        wh.execute(f"delete from {files.qualified} where file_id in :ids", {"ids": stale})
    return report


def _decide(
    entry: _Entry,
    landing: Path,
    now: datetime,
    kind: Workbook,
    known_units: set[str],
    first_path_of_sha: dict[str, str],
    max_bytes: int,
    report: IngestReport,
) -> None:
    """A whole new file is a duplicate, a file-level rejection (its record set here), or a
    workbook read (its tables set here, parsed with its chunk)."""
    item = entry.item
    rejection = file_rejection(item.path, landing, known_units, kind.folder)
    if rejection is None and item.sha256 in first_path_of_sha:
        original = first_path_of_sha[item.sha256]
        reason = f"same bytes as {original} (ไฟล์ซ้ำกับ {original})"
        report.files_duplicate += 1
        entry.record = _file_record(entry.file_id, item, "duplicate", now, "duplicate_file", reason)
        return
    try:
        if rejection is not None:
            raise rejection
        entry.tables = read_workbook(item.path, kind, max_bytes=max_bytes)
    except FileRejected as exc:
        reason = f"{exc.message_en} ({exc.message_th})"
        report.files_rejected += 1
        report.rejections.append((item.relative_path, exc.code, reason))
        entry.record = _file_record(entry.file_id, item, "rejected", now, exc.code, reason)


def _write_chunk(
    wh: Warehouse,
    chunk: list[_Entry],
    kind: Workbook,
    now: datetime,
    report: IngestReport,
    waiting: Iterable[str],
    progress: Callable[[str], None] | None,
) -> None:
    """Parse the chunk's workbooks, then write every record and row of it in one transaction
    (dropping the earlier `incomplete` records of its paths)."""
    read = [entry for entry in chunk if entry.tables is not None]
    for entry, rows in zip(
        read, workbook_rows_many([entry.tables for entry in read], kind), strict=True
    ):
        assert entry.tables is not None
        entry.rows = rows
        entry.record = _file_record(
            entry.file_id,
            entry.item,
            "ingested",
            now,
            n_rows=len(rows),
            n_skipped_rows=entry.tables.n_skipped_rows,
        )
        entry.tables = None
        report.files_ingested += 1
        report.rows_ingested += len(rows)
    with_rows = [entry for entry in read if entry.rows is not None and not entry.rows.empty]
    frames = [entry.rows for entry in with_rows]
    with wh.transaction():
        drop_incomplete_records(
            wh, kind.files.qualified, [entry.item.relative_path for entry in chunk], waiting
        )
        wh.append(
            kind.files.schema,
            kind.files.name,
            records_frame([entry.record for entry in chunk], kind.files),
        )
        if frames:
            rows = pd.concat(frames, ignore_index=True, sort=False)
            lengths = [len(frame) for frame in frames]
            ids = np.array([entry.file_id for entry in with_rows], dtype="int64")
            rows.insert(0, "file_id", np.repeat(ids, lengths))
            wh.append(kind.rows.schema, kind.rows.name, _typed(rows, kind))
    for entry in chunk:
        assert entry.record is not None
        if entry.record["outcome"] == "ingested":
            report.ingested_file_ids.append(entry.file_id)
        if progress:
            progress(f"{kind.name} intake: {entry.item.relative_path} {entry.record['outcome']}")
        entry.rows = None


def _typed(rows: pd.DataFrame, kind: Workbook) -> pd.DataFrame:
    """Rows with the dtypes of the kind's rows table (columns of other sheets are all null)."""
    out = rows.copy()
    for column, sql_type in kind.rows.sql_types.items():
        if sql_type in ("integer", "bigint"):
            out[column] = pd.to_numeric(out[column]).astype("Int64")
        elif sql_type == "double precision":
            out[column] = pd.to_numeric(out[column]).astype("float64")
        elif sql_type == "boolean":
            out[column] = out[column].astype("boolean")
        else:
            out[column] = out[column].astype(object)
    return out[list(kind.rows.names)]
