"""Apply the validation contract to ledger rows that have not been judged yet.

What belongs here: reading the rows of files not yet validated, running the
contract (`quarantine.validate_submission_rows`) and recording its verdicts —
quarantine entries and the file's `validated_at` — in one transaction, so a file
is judged whole or not at all. What does not: the rules themselves (`schemas.py`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd

from bma_pipeline.batching import batches_by_rows
from bma_pipeline.columns import QUARANTINED_ROWS, RAW_SCHEMA, SUBMISSION_ROWS
from bma_pipeline.reference.catalog import Catalog
from bma_pipeline.validation.quarantine import validate_submission_rows
from bma_pipeline.warehouse import Warehouse


@dataclass
class ValidationReport:
    files_validated: int
    rows_validated: int
    rows_accepted: int
    rows_quarantined: int
    reason_counts: dict[str, int]


def ensure_quarantine_table(wh: Warehouse) -> None:
    wh.create_table(RAW_SCHEMA, QUARANTINED_ROWS.name, QUARANTINED_ROWS.sql_types)


def _typed_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Give rows read back from either warehouse the dtypes that parsing produced."""
    rows = rows.copy()
    for column, sql_type in SUBMISSION_ROWS.sql_types.items():
        if sql_type in ("integer", "bigint"):
            rows[column] = pd.to_numeric(rows[column]).astype("Int64")
        elif sql_type == "double precision":
            rows[column] = pd.to_numeric(rows[column]).astype("float64")
        elif sql_type == "date":
            rows[column] = pd.to_datetime(rows[column]).dt.date
    return rows


# Rows judged per batch: bounds memory (a nationwide year is ~2.4 M rows) and makes each
# batch one transaction. Range ≥ 1 file; larger batches amortise Pandera's per-call cost
# (measured at 2.4 M rows: 100,000 → peak RSS 1.3 GB, 250,000 → 1.85 GB, same time).
BATCH_ROWS = 100_000


def validate_pending_files(
    wh: Warehouse, catalog: Catalog, batch_rows: int = BATCH_ROWS
) -> ValidationReport:
    """Judge every row of every ingested file that has not been validated yet.

    Files are judged in batches of about `batch_rows` rows; each batch's verdicts commit
    together, so a file is judged whole or not at all.
    """
    ensure_quarantine_table(wh)
    pending = wh.query(
        "select file_id, coalesce(n_rows, 0) as n_rows from raw.submission_files "
        "where outcome = 'ingested' and validated_at is null order by file_id"
    )
    report = ValidationReport(0, 0, 0, 0, {})
    reasons: Counter[str] = Counter()
    file_ids = [int(file_id) for file_id in pending["file_id"]]
    sizes = [int(n_rows) for n_rows in pending["n_rows"]]
    for batch in batches_by_rows(file_ids, sizes, batch_rows):
        n_rows, n_quarantined = _validate_batch(wh, catalog, batch, reasons)
        report.files_validated += len(batch)
        report.rows_validated += n_rows
        report.rows_quarantined += n_quarantined
    report.rows_accepted = report.rows_validated - report.rows_quarantined
    report.reason_counts = dict(reasons)
    return report


def _validate_batch(
    wh: Warehouse, catalog: Catalog, batch: list[int], reasons: Counter[str]
) -> tuple[int, int]:
    """Judge one batch of files and record its verdicts; (rows judged, rows quarantined)."""
    first, last = batch[0], batch[-1]
    rows = wh.query(
        "select r.* from raw.submission_rows r join raw.submission_files f using (file_id) "
        "where f.outcome = 'ingested' and f.validated_at is null "
        "and r.file_id between :first and :last order by r.file_id, r.row_number",
        {"first": first, "last": last},
    )
    rows = _typed_rows(rows)
    quarantine = validate_submission_rows(rows, catalog)
    now = datetime.now(ZoneInfo("Asia/Bangkok")).replace(tzinfo=None, microsecond=0)
    quarantine = quarantine.assign(quarantined_at=pd.Timestamp(now))[list(QUARANTINED_ROWS.names)]
    with wh.transaction():
        # Re-running after a crash: clear verdicts of these files first (idempotent).
        wh.execute("delete from raw.quarantined_rows where file_id in :files", {"files": batch})
        wh.append(RAW_SCHEMA, "quarantined_rows", quarantine)
        wh.execute(
            "update raw.submission_files set validated_at = :now where file_id in :files",
            {"now": now, "files": batch},
        )
    reasons.update(quarantine["reason_codes"].str.split(",").explode().dropna())
    return len(rows), len(quarantine)
