"""The ledger of multi-sheet workbooks (action plans, meeting minutes): every file and every row
of every sheet, kept verbatim, ingested once.

What belongs here: scanning `landing/<unit_code>/<kind folder>/` (`plans/`, `meetings/`),
telling new files from known ones exactly as for submissions (upload names skipped; a file not
settled yet or changed while read waits as `incomplete`; same path and bytes: skip; same bytes
under another name: `duplicate`; file-level rejections with a reason), reading each
with `workbooks.read_workbook`, parsing each sheet with the registry's kinds, and writing the
kind's files and rows tables (`Workbook.files`, `Workbook.rows`: one row per data row with its
sheet) one file per transaction. What does not: judging rows (`bma_pipeline/plans/rules.py`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

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
    frames = []
    for layout in kind.sheets:
        table = tables.sheets.get(layout.name)
        if table is None or table.rows.empty:
            continue
        frame = parse_sheets([table], layout)[0]
        frame.insert(0, "sheet", layout.name)
        frames.append(frame)
    names = [name for name in kind.rows.names if name != "file_id"]
    if not frames:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in names})
    rows = pd.concat(frames, ignore_index=True, sort=False)
    return rows.reindex(columns=names)


def ingest_workbooks(
    wh: Warehouse,
    landing: Path,
    kind: Workbook,
    known_units: set[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[str], None] | None = None,
    settle_seconds: float = DEFAULT_SETTLE_SECONDS,
    clock: Callable[[], float] = time.time,
) -> IngestReport:
    """Record every new whole workbook of the kind in its ledger, each exactly once."""
    landing = landing.resolve()
    ensure_workbook_tables(wh, kind)
    files, rows_table = kind.files, kind.rows
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
        waiting = waiting_reason(item, view, now_s, settle_seconds)
        rows = None
        if waiting is not None:
            still_waiting.add(item.relative_path)
            report.files_incomplete += 1
            report.incomplete.append((item.relative_path, waiting[1]))
            if not is_new_observation(item, view):
                continue  # the earlier record's time is what the interval counts from
            record = _file_record(next_id, item, "incomplete", now, *waiting)
        else:
            taken_now.add(item.relative_path)
            known_pairs.add((item.relative_path, item.sha256))
            record, rows = _taken(
                next_id, item, landing, now, kind, known_units, first_path_of_sha, max_bytes, report
            )
            first_path_of_sha.setdefault(item.sha256, item.relative_path)
        with wh.transaction():
            if item.relative_path in view.waiting:
                wh.execute(
                    f"delete from {files.qualified} where outcome = 'incomplete' and path = :path",
                    {"path": item.relative_path},
                )
            wh.append(files.schema, files.name, records_frame([record], files))
            if rows is not None and not rows.empty:
                rows.insert(0, "file_id", next_id)
                wh.append(rows_table.schema, rows_table.name, _typed(rows, kind))
        if record["outcome"] == "ingested":
            report.ingested_file_ids.append(next_id)
        next_id += 1
        if progress:
            progress(f"{kind.name} intake: {item.relative_path} {record['outcome']}")
    stale = stale_waiting(view, still_waiting, taken_now)
    if stale:
        wh.execute(f"delete from {files.qualified} where file_id in :ids", {"ids": stale})
    return report


def _taken(
    file_id: int,
    item: LandingFile,
    landing: Path,
    now: datetime,
    kind: Workbook,
    known_units: set[str],
    first_path_of_sha: dict[str, str],
    max_bytes: int,
    report: IngestReport,
) -> tuple[dict[str, object], pd.DataFrame | None]:
    """The file record of a whole new file and its rows when it is ingested: a duplicate, a
    file-level rejection, or every sheet's rows."""
    rejection = file_rejection(item.path, landing, known_units, kind.folder)
    if rejection is None and item.sha256 in first_path_of_sha:
        original = first_path_of_sha[item.sha256]
        reason = f"same bytes as {original} (ไฟล์ซ้ำกับ {original})"
        report.files_duplicate += 1
        return _file_record(file_id, item, "duplicate", now, "duplicate_file", reason), None
    try:
        if rejection is not None:
            raise rejection
        tables = read_workbook(item.path, kind, max_bytes=max_bytes)
    except FileRejected as exc:
        reason = f"{exc.message_en} ({exc.message_th})"
        report.files_rejected += 1
        report.rejections.append((item.relative_path, exc.code, reason))
        return _file_record(file_id, item, "rejected", now, exc.code, reason), None
    rows = workbook_rows(tables, kind)
    report.files_ingested += 1
    report.rows_ingested += len(rows)
    record = _file_record(
        file_id,
        item,
        "ingested",
        now,
        n_rows=len(rows),
        n_skipped_rows=tables.n_skipped_rows,
    )
    return record, rows


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
