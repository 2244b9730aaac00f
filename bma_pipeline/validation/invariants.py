"""Ledger invariants that the asset checks evaluate: nothing lost, nothing counted twice.

raw rows = accepted rows + quarantined rows, for every validated file.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bma_pipeline.columns import Workbook
from bma_pipeline.warehouse import Warehouse


@dataclass(frozen=True)
class LedgerBalance:
    raw_rows: int
    accepted_rows: int
    quarantined_rows: int
    orphan_quarantine_entries: int  # quarantine entries with no raw row
    duplicate_quarantine_entries: int  # the same raw row quarantined twice
    files_with_row_count_mismatch: int  # n_rows in the file ledger ≠ rows stored
    files_pending_validation: int

    @property
    def balanced(self) -> bool:
        return (
            self.raw_rows == self.accepted_rows + self.quarantined_rows
            and self.orphan_quarantine_entries == 0
            and self.duplicate_quarantine_entries == 0
            and self.files_with_row_count_mismatch == 0
            and self.files_pending_validation == 0
        )


def ledger_balance(wh: Warehouse) -> LedgerBalance:
    counts = wh.query(
        """
        with validated_rows as (
            select r.file_id, r.row_number
            from raw.submission_rows r
            join raw.submission_files f on f.file_id = r.file_id
            where f.outcome = 'ingested' and f.validated_at is not null
        ),
        quarantine_keys as (
            -- the current verdicts: a row judged again keeps its earlier entry, superseded
            select distinct file_id, row_number from raw.quarantined_rows
            where superseded_at is null
        )
        select
            (select count(*) from validated_rows) as raw_rows,
            (select count(*) from validated_rows v
               where not exists (select 1 from quarantine_keys q
                                 where q.file_id = v.file_id and q.row_number = v.row_number)
            ) as accepted_rows,
            (select count(*) from validated_rows v
               where exists (select 1 from quarantine_keys q
                             where q.file_id = v.file_id and q.row_number = v.row_number)
            ) as quarantined_rows,
            (select count(*) from raw.quarantined_rows q
               where not exists (select 1 from raw.submission_rows r
                                 where r.file_id = q.file_id and r.row_number = q.row_number)
            ) as orphan_quarantine_entries,
            (select count(*) - count(distinct file_id * 1000000 + row_number)
               from raw.quarantined_rows where superseded_at is null)
               as duplicate_quarantine_entries,
            (select count(*) from raw.submission_files f
               where f.outcome = 'ingested' and f.n_rows <> (
                   select count(*) from raw.submission_rows r where r.file_id = f.file_id)
            ) as files_with_row_count_mismatch,
            (select count(*) from raw.submission_files
               where outcome = 'ingested' and validated_at is null) as files_pending_validation
        """
    )
    return LedgerBalance(**{k: int(v) for k, v in counts.iloc[0].items()})


def quarantine_rate_by_unit(wh: Warehouse) -> pd.DataFrame:
    """Per sending unit: rows received, rows quarantined and the quarantined share."""
    rates = wh.query(
        """
        select r.unit_folder as unit_code,
               count(*) as n_rows,
               count(q.file_id) as n_quarantined
        from raw.submission_rows r
        join raw.submission_files f on f.file_id = r.file_id and f.validated_at is not null
        left join raw.quarantined_rows q
               on q.file_id = r.file_id and q.row_number = r.row_number
              and q.superseded_at is null
        group by r.unit_folder
        order by r.unit_folder
        """
    )
    rates["rate"] = rates["n_quarantined"].astype(float) / rates["n_rows"].astype(float)
    return rates


@dataclass(frozen=True)
class WorkbookBalance:
    """The conservation of a workbook ledger (plans, minutes), sheet by sheet."""

    sheets: pd.DataFrame  # sheet, raw_rows, accepted_rows, quarantined_rows
    orphans: int  # quarantine entries with no raw row
    duplicates: int  # the same raw row quarantined twice
    pending: int  # ingested files not judged yet

    @property
    def balanced(self) -> bool:
        counted = (
            self.sheets["raw_rows"]
            == self.sheets["accepted_rows"] + self.sheets["quarantined_rows"]
        ).all()
        return bool(counted) and self.orphans == 0 and self.duplicates == 0 and self.pending == 0

    def to_markdown(self) -> str:
        lines = ["| sheet | raw | accepted | quarantined |", "|---|---:|---:|---:|"]
        lines += [
            f"| {r.sheet} | {r.raw_rows} | {r.accepted_rows} | {r.quarantined_rows} |"
            for r in self.sheets.itertuples(index=False)
        ]
        return "\n".join(lines)


def workbook_balance(wh: Warehouse, kind: Workbook) -> WorkbookBalance:
    """raw rows = accepted + quarantined for every sheet of the judged files of a workbook
    kind; orphan and double quarantine entries; files still waiting for a verdict."""
    files, rows, quarantine = kind.files.qualified, kind.rows.qualified, kind.quarantine.qualified
    sheets = wh.query(
        f"""
        with judged as (
            select r.file_id, r.sheet, r.row_number
            from {rows} r join {files} f on f.file_id = r.file_id
            where f.outcome = 'ingested' and f.validated_at is not null
        ),
        flagged as (select distinct file_id, sheet, row_number from {quarantine})
        select j.sheet,
               count(*) as raw_rows,
               sum(case when q.file_id is null then 1 else 0 end) as accepted_rows,
               sum(case when q.file_id is null then 0 else 1 end) as quarantined_rows
        from judged j
        left join flagged q
          on q.file_id = j.file_id and q.sheet = j.sheet and q.row_number = j.row_number
        group by j.sheet order by j.sheet
        """
    )
    counts = wh.query(
        f"""
        select
            (select count(*) from {quarantine} q where not exists (
                select 1 from {rows} r where r.file_id = q.file_id and r.sheet = q.sheet
                  and r.row_number = q.row_number)) as orphans,
            (select count(*) from (select file_id, sheet, row_number from {quarantine}
                group by file_id, sheet, row_number having count(*) > 1) d) as duplicates,
            (select count(*) from {files}
               where outcome = 'ingested' and validated_at is null) as pending
        """
    ).iloc[0]
    for column in ("raw_rows", "accepted_rows", "quarantined_rows"):
        sheets[column] = sheets[column].astype(int)
    return WorkbookBalance(
        sheets, int(counts["orphans"]), int(counts["duplicates"]), int(counts["pending"])
    )
