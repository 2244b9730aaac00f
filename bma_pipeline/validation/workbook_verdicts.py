"""Recording the verdicts on one workbook (a plan, minutes) in its kind's ledger.

What belongs here: the one transaction that replaces a file's (or a round of files')
quarantine rows (one per failing row of each sheet, every reason in Thai and English) and sets
its `validated_at`, and the report the validation assets show. What does not: the rules
(`plans/rules.py`, `minutes/rules.py`) or choosing which files to judge (their `apply.py`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd

from bma_pipeline.columns import Workbook
from bma_pipeline.warehouse import Warehouse


@dataclass
class WorkbookValidationReport:
    files_validated: int = 0
    rows_validated: int = 0
    rows_quarantined: int = 0
    reason_counts: dict[str, int] = field(default_factory=dict)
    _reasons: Counter[str] = field(default_factory=Counter, repr=False)

    @property
    def rows_accepted(self) -> int:
        return self.rows_validated - self.rows_quarantined

    def add(self, n_rows: int, quarantine: pd.DataFrame) -> None:
        self.files_validated += 1
        self.rows_validated += n_rows
        self.rows_quarantined += len(quarantine)
        self._reasons.update(quarantine["reason_codes"].str.split(",").explode().dropna())
        self.reason_counts = dict(sorted(self._reasons.items()))


def record_verdicts(
    wh: Warehouse, kind: Workbook, file_id: int, verdicts: dict[str, pd.DataFrame]
) -> pd.DataFrame:
    """Write a file's verdicts (per sheet: row_number, reason_codes, message_th, message_en) and
    mark it judged, in one transaction; returns the quarantine rows written."""
    return record_verdicts_many(wh, kind, [(file_id, verdicts)])[0]


def record_verdicts_many(
    wh: Warehouse, kind: Workbook, files: Sequence[tuple[int, dict[str, pd.DataFrame]]]
) -> list[pd.DataFrame]:
    """`record_verdicts` of several files in one transaction (a file is never half-recorded:
    either every file of the call is judged, or none); each file's quarantine rows."""
    now = datetime.now(ZoneInfo("Asia/Bangkok")).replace(tzinfo=None, microsecond=0)
    written = []
    for file_id, verdicts in files:
        quarantine = pd.concat(
            [frame.assign(sheet=name) for name, frame in verdicts.items()], ignore_index=True
        )
        if quarantine.empty:
            quarantine = pd.DataFrame(columns=["sheet", "row_number", "reason_codes"])
        written.append(quarantine.assign(file_id=file_id, quarantined_at=pd.Timestamp(now)))
    if not files:
        return written
    ids = {"ids": [int(file_id) for file_id, _ in files]}
    rows = [frame for frame in written if not frame.empty]
    with wh.transaction():
        # Re-running after a crash: clear these files' verdicts first (idempotent).
        wh.execute(f"delete from {kind.quarantine.qualified} where file_id in :ids", ids)
        if rows:
            wh.append(
                kind.quarantine.schema,
                kind.quarantine.name,
                pd.concat(rows, ignore_index=True)[list(kind.quarantine.names)],
            )
        wh.execute(
            f"update {kind.files.qualified} set validated_at = :now where file_id in :ids",
            {"now": now, **ids},
        )
    return written
