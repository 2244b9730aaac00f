"""The raw ledger: every received file and every data row, kept verbatim, ingested once.

What belongs here: scanning `landing/<unit_code>/<file>`, hashing, telling new
files from ones already received (same path and bytes: skip; same bytes under
another name: `duplicate`), taking only whole files (names upload tools write under are
skipped; a file modified within the settling interval is recorded `incomplete` and taken
on a later scan; an ingested file whose bytes turn out to be the start of the file later
found at its path is marked `superseded_partial`), file-level rejections, and writing
`raw.submission_files` / `raw.submission_rows`. Files are written a batch per
transaction (`WRITE_ROWS`), so a run killed mid-way never leaves half a file. What does not:
reading cell values (`readers.py`, `parse.py`) or judging rows (`validation`).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
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
from bma_pipeline.intake.parse import parse_many_stacked
from bma_pipeline.intake.readers import DEFAULT_MAX_BYTES, FileRejected, SheetTable, read_submission
from bma_pipeline.warehouse import Warehouse

BANGKOK = ZoneInfo("Asia/Bangkok")
# Files read and parsed together: bounds memory to one chunk, amortises pandas overhead.
# Range 1–10,000 files; 1 parses file by file (slow), larger holds more cell text at once
# (nationwide, 50 rows a file: 1,000 files ~60 MB more than 200, and 20 % faster).
CHUNK_FILES = 1000
# A chunk also ends once its files reach this many bytes on disk (XLSX inflates ~5–10×).
CHUNK_BYTES = 64 * 1024 * 1024
# Rows written per transaction (and per progress line), in whole files: a killed run leaves
# whole files only. Range ≥ 1 (1: file by file, ~13 ms per commit on DuckDB); a DuckDB commit
# costs ~50 ms here for 10,000 rows and little more for 50,000; larger holds the writer lock
# longer.
WRITE_ROWS = 50_000
# The first chunk is written in smaller transactions: the first files are committed (and a
# progress line shown) within a second or so, whatever the size of the landing.
FIRST_WRITE_ROWS = 10_000
# A file is taken once its size and modification time have not changed for this long (upload
# services, SMB shares and SFTP write files progressively). Range ≥ 0 s; 0 takes any file that
# does not change while it is read; longer waits longer before a new file is ingested.
DEFAULT_SETTLE_SECONDS = 30.0
# Names upload tools give a file while they write it: never read, never recorded.
IN_PROGRESS_PREFIXES = (".", "~$")  # dot-files (also `.~lock*`, rsync's `.name.XXXXXX`), `~$*`
IN_PROGRESS_SUFFIXES = (".part", ".partial", ".filepart", ".tmp", ".crdownload")


@dataclass(frozen=True)
class LandingFile:
    """A file found in the landing folder, before it is read."""

    path: Path
    relative_path: str
    unit_folder: str
    sha256: str
    bytes: int
    received_at: datetime  # Asia/Bangkok wall time
    mtime_ns: int
    changed_while_read: bool = False  # size or mtime differed before and after hashing


@dataclass
class IngestReport:
    files_seen: int = 0
    files_ingested: int = 0
    files_duplicate: int = 0
    files_rejected: int = 0
    files_already_known: int = 0
    files_incomplete: int = 0  # recorded (or still) `incomplete`: taken on a later scan
    files_superseded_partial: int = 0  # earlier records whose bytes began a file found now
    rows_ingested: int = 0
    rejections: list[tuple[str, str, str]] = field(default_factory=list)  # path, code, reason
    incomplete: list[tuple[str, str]] = field(default_factory=list)  # path, reason
    superseded: list[tuple[str, int, int]] = field(default_factory=list)  # path, old, new id
    in_progress_names: list[str] = field(default_factory=list)  # skipped, never recorded
    ingested_file_ids: list[int] = field(default_factory=list)


def ensure_ledger_tables(wh: Warehouse) -> None:
    # create_table adds the columns an older ledger lacks (mtime_ns: null for its files).
    for table in (SUBMISSION_FILES, SUBMISSION_ROWS):
        wh.create_table(table.schema, table.name, table.sql_types)


def is_in_progress_name(relative_path: str) -> bool:
    """True for names upload tools write under before renaming (`x.csv.part`, `~$x.xlsx`,
    dot-files and dot-folders): such a file is never whole, so it is neither read nor recorded."""
    parts = PurePosixPath(relative_path).parts
    if any(part.startswith(IN_PROGRESS_PREFIXES) for part in parts):
        return True
    return parts[-1].lower().endswith(IN_PROGRESS_SUFFIXES) if parts else False


@dataclass(frozen=True)
class Observation:
    """An `incomplete` record: a file seen while it may still have been written."""

    file_id: int
    bytes: int
    mtime_ns: int | None
    observed_at: datetime  # Bangkok wall time, whole seconds (the record's ingested_at)


def is_settled(
    size: int,
    mtime_ns: int,
    now: float,
    settle_seconds: float,
    earlier: Observation | None = None,
) -> bool:
    """Whether a file's size and mtime have been stable for `settle_seconds` at `now` (POSIX s).

    The first of the two observations is the file's last change (its mtime) or, for an mtime
    that is recent or in the future, an earlier `incomplete` record of the same size and mtime.
    """
    if settle_seconds <= 0 or now - mtime_ns / 1e9 >= settle_seconds:
        return True
    if earlier is None or (earlier.bytes, earlier.mtime_ns) != (size, mtime_ns):
        return False
    # observed_at is floored to the second: count the observation as up to 1 s later.
    observed = earlier.observed_at.replace(tzinfo=BANGKOK).timestamp() + 1
    return now - observed >= settle_seconds


@dataclass
class LedgerView:
    """What the ledger holds about landing paths, for deciding what is new (intake, sensor)."""

    taken: set[tuple[str, int, int]] = field(default_factory=set)  # path, bytes, mtime_ns
    sha256_by_path_size: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    waiting: dict[str, Observation] = field(default_factory=dict)  # path → incomplete record

    def holds(self, relative_path: str, size: int, mtime_ns: int) -> bool:
        """The ledger took a file with this path, size and mtime (ingested or not)."""
        return (relative_path, size, mtime_ns) in self.taken

    def holds_bytes(self, relative_path: str, size: int, path: Path) -> bool:
        """The ledger took these bytes at this path (a touched file, or a record without mtime)."""
        hashes = self.sha256_by_path_size.get((relative_path, size))
        return bool(hashes) and sha256_of(path) in hashes


def _ledger_records(wh: Warehouse, files: Table = SUBMISSION_FILES) -> pd.DataFrame:
    has_mtime = wh.scalar(
        "select count(*) from information_schema.columns where table_schema = :schema "
        "and table_name = :table and column_name = 'mtime_ns'",
        {"schema": files.schema, "table": files.name},
    )
    # -1 for records without an mtime (or a ledger from before the column, read read-only): a
    # nullable bigint would come back as float64, which cannot hold nanoseconds exactly.
    mtime = "coalesce(mtime_ns, -1)" if has_mtime else "-1"
    return wh.query(
        f"select file_id, path, sha256, bytes, {mtime} as mtime_ns, outcome, ingested_at "
        f"from {files.qualified} order by file_id"
    )


def ledger_view(records: pd.DataFrame) -> LedgerView:
    view = LedgerView()
    for row in records.itertuples(index=False):
        mtime_ns = None if int(row.mtime_ns) < 0 else int(row.mtime_ns)
        if row.outcome == "incomplete":
            observed = pd.Timestamp(row.ingested_at).to_pydatetime()
            view.waiting[row.path] = Observation(
                int(row.file_id), int(row.bytes), mtime_ns, observed
            )
            continue
        if mtime_ns is not None:
            view.taken.add((row.path, int(row.bytes), mtime_ns))
        view.sha256_by_path_size.setdefault((row.path, int(row.bytes)), set()).add(row.sha256)
    return view


def read_ledger_view(wh: Warehouse, files: Table = SUBMISSION_FILES) -> LedgerView:
    """A files ledger's view of the landing folder; empty when no file was ever recorded."""
    if not wh.table_exists(files.schema, files.name):
        return LedgerView()
    return ledger_view(_ledger_records(wh, files))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def prefix_sha256s(path: Path, lengths: Iterable[int]) -> dict[int, str]:
    """SHA-256 of the first n bytes of a file, for each n (one pass over the file)."""
    wanted = sorted(set(lengths))
    digest, done, found = hashlib.sha256(), 0, {}
    with path.open("rb") as handle:
        for n in wanted:
            while done < n and (chunk := handle.read(min(1 << 20, n - done))):
                digest.update(chunk)
                done += len(chunk)
            if done < n:
                break
            found[n] = digest.copy().hexdigest()
    return found


def signature_of(path: Path) -> tuple[int, int]:
    """(size, mtime in ns) of a landing entry, without following a symlink."""
    stat = path.lstat()
    return stat.st_size, stat.st_mtime_ns


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
        "mtime_ns": item.mtime_ns,
    }


# A lone file record is one bound-parameter insert: a one-row frame costs ~5 ms to build and scan.
_INSERT_FILE_RECORD = (
    f"insert into {SUBMISSION_FILES.qualified} ({', '.join(SUBMISSION_FILES.names)}) "
    f"values ({', '.join(':' + column for column in SUBMISSION_FILES.names)})"
)


def _landing_file(path: Path, landing: Path) -> LandingFile:
    """The file as found, hashed between two looks at its size and mtime."""
    relative = path.relative_to(landing)
    is_link = path.is_symlink()
    before = signature_of(path)
    # A symlink is never followed: its identity is the link text, not the target's bytes.
    sha256 = hashlib.sha256(os.readlink(path).encode()).hexdigest() if is_link else sha256_of(path)
    after = signature_of(path)
    return LandingFile(
        path=path,
        relative_path=relative.as_posix(),
        unit_folder=relative.parts[0] if len(relative.parts) > 1 else "",
        sha256=sha256,
        bytes=0 if is_link else after[0],
        received_at=received_at_of(path),
        mtime_ns=after[1],
        changed_while_read=before != after,
    )


@dataclass
class _Planned:
    """One new landing file and what intake decided about it before writing."""

    item: LandingFile
    rejection: FileRejected | None = None
    duplicate_of: str | None = None
    incomplete: tuple[str, str] | None = None  # reason code, reason: not taken yet
    supersedes: list[int] = field(default_factory=list)  # earlier partial records' file ids
    table: SheetTable | None = None
    row_span: tuple[int, int] | None = None  # its rows' positions in the chunk's parsed frame

    @property
    def needs_reading(self) -> bool:
        return self.rejection is None and self.duplicate_of is None and self.incomplete is None

    @property
    def n_rows(self) -> int:
        return self.row_span[1] - self.row_span[0] if self.row_span is not None else 0


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


def _read_and_parse(chunk: list[_Planned], max_bytes: int) -> pd.DataFrame | None:
    """Read every file of a chunk that needs reading, then parse them all in one batch: the
    chunk's rows, file after file (each file's `row_span`), or None when no file has any."""
    to_parse: list[_Planned] = []
    for entry in chunk:
        if not entry.needs_reading:
            continue
        try:
            entry.table = read_submission(entry.item.path, max_bytes=max_bytes)
        except FileRejected as exc:
            entry.rejection = exc
        # A file that changed since it was hashed is not the file the ledger would record.
        if signature_of(entry.item.path) != (entry.item.bytes, entry.item.mtime_ns):
            entry.incomplete, entry.rejection, entry.table = _CHANGED_WHILE_READ, None, None
            continue
        if entry.table is not None:
            to_parse.append(entry)
    if not to_parse:
        return None
    rows, lengths = parse_many_stacked([(e.table, e.item.unit_folder) for e in to_parse])
    bounds = np.cumsum([0, *lengths]).tolist()
    for entry, start, stop in zip(to_parse, bounds[:-1], bounds[1:], strict=True):
        entry.row_span = (start, stop)
    return rows


_CHANGED_WHILE_READ = (
    "changed_while_read",
    "its size or modification time changed while it was read: still being written; taken "
    "once it stops changing (ไฟล์ยังถูกเขียนอยู่ขณะอ่าน จะรับเมื่อไฟล์ไม่เปลี่ยนแปลงแล้ว)",
)


def _settling(item: LandingFile, now: float, settle_seconds: float) -> tuple[str, str]:
    age = now - item.mtime_ns / 1e9
    when = f"modified {age:.0f} s ago" if age >= 0 else f"modified {-age:.0f} s in the future"
    return (
        "settling",
        f"{when}; taken once its size and modification time have not changed for "
        f"{settle_seconds:g} s (ไฟล์เพิ่งถูกแก้ไข จะรับเมื่อไม่เปลี่ยนแปลงครบ {settle_seconds:g} วินาที)",
    )


def waiting_reason(
    item: LandingFile, view: LedgerView, now: float, settle_seconds: float
) -> tuple[str, str] | None:
    """Why a new file is not taken yet — it changed while read, or has not settled — as
    (reason code, reason); None when it is whole. A symlink is judged by its link only."""
    if item.path.is_symlink():
        return None
    if item.changed_while_read:
        return _CHANGED_WHILE_READ
    earlier = view.waiting.get(item.relative_path)
    if not is_settled(item.bytes, item.mtime_ns, now, settle_seconds, earlier):
        return _settling(item, now, settle_seconds)
    return None


def is_new_observation(item: LandingFile, view: LedgerView) -> bool:
    """A waiting file looks different from its `incomplete` record (or has none): record it
    again; otherwise the earlier record's time is what the settling interval counts from."""
    earlier = view.waiting.get(item.relative_path)
    return earlier is None or (earlier.bytes, earlier.mtime_ns) != (item.bytes, item.mtime_ns)


def stale_waiting(view: LedgerView, still_waiting: set[str], taken_now: set[str]) -> list[int]:
    """File ids of `incomplete` records whose file was taken, replaced by known bytes or is
    gone from the landing."""
    return [
        obs.file_id
        for waiting_path, obs in view.waiting.items()
        if waiting_path not in still_waiting and waiting_path not in taken_now
    ]


def _partials_of(item: LandingFile, earlier: list[tuple[int, int, str]]) -> list[int]:
    """File ids of earlier ingested records at this path whose bytes are this file's start
    (a file ingested while it was still being written)."""
    shorter = [(file_id, n, sha) for file_id, n, sha in earlier if 0 < n < item.bytes]
    if not shorter:
        return []
    prefixes = prefix_sha256s(item.path, [n for _, n, _ in shorter])
    return [file_id for file_id, n, sha in shorter if prefixes.get(n) == sha]


def ingest_landing(
    wh: Warehouse,
    landing: Path,
    known_units: set[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[str], None] | None = None,
    chunk_files: int = CHUNK_FILES,
    chunk_bytes: int = CHUNK_BYTES,
    settle_seconds: float = DEFAULT_SETTLE_SECONDS,
    clock: Callable[[], float] = time.time,
) -> IngestReport:
    """Record every new whole file of the landing folder in the ledger, each exactly once.

    Files are decided in folder order (in-progress name, already known, still settling,
    rejected, duplicate, to read), read and parsed a chunk at a time (one parser call per
    chunk), and written about `WRITE_ROWS` rows of whole files per transaction. `clock`
    gives "now" as POSIX seconds (tests fix it instead of waiting out the interval).
    """
    landing = landing.resolve()
    ensure_ledger_tables(wh)
    records = _ledger_records(wh)
    view = ledger_view(records)
    taken = records[records["outcome"] != "incomplete"]
    known_pairs = set(zip(taken["path"], taken["sha256"], strict=True))
    first_path_of_sha = dict(zip(taken["sha256"][::-1], taken["path"][::-1], strict=True))
    ingested_at_path: dict[str, list[tuple[int, int, str]]] = {}
    for row in taken[taken["outcome"] == "ingested"].itertuples(index=False):
        earlier = (int(row.file_id), int(row.bytes), str(row.sha256))
        ingested_at_path.setdefault(row.path, []).append(earlier)
    next_id = int(wh.scalar("select coalesce(max(file_id), 0) from raw.submission_files")) + 1
    report = IngestReport()
    now_s = clock()
    now = datetime.fromtimestamp(now_s, BANGKOK).replace(tzinfo=None, microsecond=0)

    paths = list(submission_paths(landing))
    planned: list[_Planned] = []
    still_waiting: set[str] = set()
    for path in paths:
        report.files_seen += 1
        relative = path.relative_to(landing).as_posix()
        if is_in_progress_name(relative):
            report.in_progress_names.append(relative)
            continue
        item = _landing_file(path, landing)
        if (item.relative_path, item.sha256) in known_pairs:
            report.files_already_known += 1
            continue
        reason = waiting_reason(item, view, now_s, settle_seconds)
        if reason is not None:
            still_waiting.add(item.relative_path)
            if is_new_observation(item, view):
                planned.append(_Planned(item, incomplete=reason))
            else:  # the earlier observation stands: its time is what the interval counts from
                report.files_incomplete += 1
                report.incomplete.append((item.relative_path, reason[1]))
            continue
        entry = _Planned(item, rejection=file_rejection(path, landing, known_units))
        if entry.rejection is None and item.sha256 in first_path_of_sha:
            entry.duplicate_of = first_path_of_sha[item.sha256]
        entry.supersedes = _partials_of(item, ingested_at_path.get(item.relative_path, []))
        known_pairs.add((item.relative_path, item.sha256))
        first_path_of_sha.setdefault(item.sha256, item.relative_path)
        planned.append(entry)

    # Waiting records of files since taken, replaced by known bytes, or gone from the landing.
    stale = stale_waiting(view, still_waiting, {entry.item.relative_path for entry in planned})
    if stale:
        wh.execute(
            f"delete from {RAW_SCHEMA}.submission_files where file_id in :ids", {"ids": stale}
        )

    done = len(paths) - len(planned)
    for n_chunk, chunk in enumerate(_chunks(planned, chunk_files, chunk_bytes)):
        chunk_rows = _read_and_parse(chunk, max_bytes)
        sizes = [entry.n_rows for entry in chunk]
        write_rows = min(FIRST_WRITE_ROWS, WRITE_ROWS) if n_chunk == 0 else WRITE_ROWS
        for batch in batches_by_rows(chunk, sizes, write_rows):
            _write_files(wh, batch, next_id, now, report, set(view.waiting), chunk_rows)
            for entry in batch:
                entry.table = None  # free the chunk's memory as it is written
            next_id += len(batch)
            done += len(batch)
            if progress and done < len(paths):  # after each committed write batch
                progress(f"intake: {done}/{len(paths)} files scanned")
        del chunk_rows  # before the next chunk is read
    if progress and paths:
        progress(f"intake: {len(paths)}/{len(paths)} files scanned")
    return report


def drop_incomplete_records(
    wh: Warehouse, files_table: str, paths: Iterable[str], waiting: Iterable[str]
) -> None:
    """In the caller's transaction: delete the `incomplete` records of those of `paths` that
    have one (`waiting`), now that their whole files are written."""
    replaced = sorted(set(paths) & set(waiting))
    if replaced:
        wh.execute(
            f"delete from {files_table} where outcome = 'incomplete' and path in :paths",
            {"paths": replaced},
        )


def _write_files(
    wh: Warehouse,
    batch: list[_Planned],
    first_id: int,
    now: datetime,
    report: IngestReport,
    waiting: set[str],
    chunk_rows: pd.DataFrame | None,
) -> None:
    """Write a batch of files' records and rows (from `chunk_rows`, the parsed rows of the
    batch's chunk) in one transaction; count them in the report.

    One append for the whole batch: a DuckDB commit and a frame scan per file cost more
    than parsing the file (measured ~13 ms per 50-row file when written one by one). The
    same transaction drops the earlier `incomplete` records of the batch's paths (`waiting`:
    the paths that have one) and marks the partial records a whole file supersedes.
    """
    records: list[dict[str, object]] = []
    spans: list[tuple[int, int]] = []
    frame_ids: list[int] = []
    superseded: list[dict[str, object]] = []
    for file_id, entry in enumerate(batch, first_id):
        record = _file_record_of(entry, file_id, now)
        records.append(record)
        if record["outcome"] == "ingested" and entry.row_span is not None:
            spans.append(entry.row_span)
            frame_ids.append(file_id)
        if entry.incomplete is None:
            superseded += [_superseded(old, entry.item, file_id) for old in entry.supersedes]
    with wh.transaction():
        drop_incomplete_records(
            wh, f"{RAW_SCHEMA}.submission_files", [e.item.relative_path for e in batch], waiting
        )
        if len(records) == 1:
            record = records[0]
            wh.execute(_INSERT_FILE_RECORD, record)
        else:
            wh.append(RAW_SCHEMA, "submission_files", records_frame(records))
        for update in superseded:
            wh.execute(_MARK_SUPERSEDED, update)
        if spans and chunk_rows is not None:
            # One slice: a batch's files are consecutive in their chunk, and only files with
            # rows have a span.
            rows = chunk_rows.iloc[spans[0][0] : spans[-1][1]].reset_index(drop=True)
            lengths = [stop - start for start, stop in spans]
            rows.insert(0, "file_id", np.repeat(np.array(frame_ids, dtype="int64"), lengths))
            wh.append(RAW_SCHEMA, "submission_rows", rows[list(SUBMISSION_ROWS.names)])
    for file_id, (entry, record) in enumerate(zip(batch, records, strict=True), first_id):
        if entry.incomplete is None:
            report.files_superseded_partial += len(entry.supersedes)
            report.superseded += [
                (entry.item.relative_path, old, file_id) for old in entry.supersedes
            ]
        if record["outcome"] == "ingested":
            report.files_ingested += 1
            report.rows_ingested += entry.n_rows
            report.ingested_file_ids.append(file_id)
        elif record["outcome"] == "duplicate":
            report.files_duplicate += 1
        elif record["outcome"] == "incomplete":
            report.files_incomplete += 1
            report.incomplete.append((entry.item.relative_path, str(record["reason"])))
        else:
            report.files_rejected += 1
            report.rejections.append(
                (entry.item.relative_path, str(record["reason_code"]), str(record["reason"]))
            )


_MARK_SUPERSEDED = (
    f"update {RAW_SCHEMA}.submission_files "
    "set outcome = 'superseded_partial', reason_code = 'superseded_partial', reason = :reason "
    "where file_id = :file_id and outcome = 'ingested'"
)


def _superseded(file_id: int, whole: LandingFile, whole_id: int) -> dict[str, object]:
    """The update marking an earlier partial record, and the reason an operator reads."""
    reason = (
        f"its bytes are the start of {whole.relative_path} as received later (file {whole_id}, "
        f"{whole.bytes} bytes): it was read while still being written, so its rows are not "
        f"counted (ไฟล์นี้ถูกอ่านขณะยังส่งไม่ครบ ถูกแทนที่ด้วยไฟล์ฉบับสมบูรณ์ หมายเลข {whole_id})"
    )
    return {"file_id": file_id, "reason": reason}


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
    """The raw.submission_files record of a planned file: ingested, duplicate, rejected or
    incomplete (seen, not taken: no rows)."""
    item = entry.item
    if entry.incomplete is not None:
        code, reason = entry.incomplete
        return _file_record(file_id, item, "incomplete", now, code, reason)
    if entry.duplicate_of is not None:
        original = entry.duplicate_of
        reason = f"same bytes as {original} (ไฟล์ซ้ำกับ {original})"
        return _file_record(file_id, item, "duplicate", now, "duplicate_file", reason)
    if entry.rejection is not None:
        reason = f"{entry.rejection.message_en} ({entry.rejection.message_th})"
        return _file_record(file_id, item, "rejected", now, entry.rejection.code, reason)
    assert entry.row_span is not None and entry.table is not None
    return _file_record(
        file_id,
        item,
        "ingested",
        now,
        n_rows=entry.n_rows,
        n_skipped_rows=entry.table.n_skipped_rows,
    )
