"""Recording the verdicts on one workbook (a plan, minutes) in its kind's ledger.

What belongs here: the one transaction that replaces a file's quarantine rows (one per failing
row of each sheet, every reason in Thai and English) and sets its `validated_at`, and the
report the validation assets show. What does not: the rules (`plans/rules.py`,
`minutes/rules.py`) or choosing which files to judge (their `apply.py`).
"""

from __future__ import annotations

from collections import Counter
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
    quarantine = pd.concat(
        [frame.assign(sheet=name) for name, frame in verdicts.items()], ignore_index=True
    )
    if quarantine.empty:
        quarantine = pd.DataFrame(columns=["sheet", "row_number", "reason_codes"])
    now = datetime.now(ZoneInfo("Asia/Bangkok")).replace(tzinfo=None, microsecond=0)
    quarantine = quarantine.assign(file_id=file_id, quarantined_at=pd.Timestamp(now))
    with wh.transaction():
        # Re-running after a crash: clear this file's verdicts first (idempotent).
        wh.execute(
            f"delete from {kind.quarantine.qualified} where file_id = :file", {"file": file_id}
        )
        if not quarantine.empty:
            wh.append(
                kind.quarantine.schema,
                kind.quarantine.name,
                quarantine[list(kind.quarantine.names)],
            )
        wh.execute(
            f"update {kind.files.qualified} set validated_at = :now where file_id = :file",
            {"now": now, "file": file_id},
        )
    return quarantine
