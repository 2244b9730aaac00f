"""Apply the validation contract to ledger rows that have not been judged yet, or were judged
against a plan in force that has changed since.

What belongs here: choosing the files to judge — every ingested file without a verdict, and
every judged file whose verdict depended on a plan in force that changed (DOMAIN §6: a unit
added as R in P3 has its P3 rows accepted on the next run) —, running the contract
(`quarantine.validate_submission_rows`) and recording its verdicts in one transaction per
batch: the file's earlier quarantine entries are marked superseded (kept), the new ones
added, one row per judgment in `raw.submission_verdicts`, and the file's `validated_at` and
the plan state it was judged against. What does not: the rules themselves (`schemas.py`).

A file's plan state is a fingerprint of what its rows were judged against: the KPIs and H/R
assignments in force for each (fiscal year, period) its rows report, the known units and the
fiscal years with plans.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd

from bma_pipeline.batching import batches_by_rows
from bma_pipeline.columns import QUARANTINED_ROWS, RAW_SCHEMA, SUBMISSION_ROWS, SUBMISSION_VERDICTS
from bma_pipeline.plans.in_force import PlanInForce
from bma_pipeline.reference.catalog import Catalog
from bma_pipeline.validation.quarantine import validate_submission_rows
from bma_pipeline.validation.schemas import as_plan
from bma_pipeline.warehouse import Warehouse


@dataclass
class ValidationReport:
    files_validated: int
    rows_validated: int
    rows_accepted: int
    rows_quarantined: int
    reason_counts: dict[str, int]
    files_judged_again: int = 0  # judged before, against a plan in force that changed


def ensure_quarantine_table(wh: Warehouse) -> None:
    for table in (QUARANTINED_ROWS, SUBMISSION_VERDICTS):
        wh.create_table(table.schema, table.name, table.sql_types)


def _digest(lines: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()[:32]


def period_fingerprints(plan: PlanInForce) -> dict[tuple[int, int], str]:
    """(fiscal year, period) → a fingerprint of the KPIs and H/R assignments in force then."""
    out: dict[tuple[int, int], list[str]] = {}
    for row in plan.kpis.itertuples(index=False):
        out.setdefault((int(row.fiscal_year), int(row.period_no)), []).append(
            f"k|{row.kpi_code}|{row.policy_code}"
        )
    for row in plan.assignments.itertuples(index=False):
        out.setdefault((int(row.fiscal_year), int(row.period_no)), []).append(
            f"a|{row.policy_code}|{row.unit_code}|{row.role}"
        )
    return {key: _digest(lines) for key, lines in out.items()}


def plan_states(
    wh: Warehouse, plan: PlanInForce, file_ids: list[int] | None = None
) -> dict[int, str]:
    """file_id → the plan state its rows are judged against now (every ingested file, or
    those of `file_ids`)."""
    by_period = period_fingerprints(plan)
    common = _digest([*(f"u|{u}" for u in plan.units), *(f"y|{y}" for y in plan.fiscal_years)])
    anytime = _digest(by_period.values())
    where = "and r.file_id in :files" if file_ids else ""
    periods = wh.query(
        "select distinct r.file_id, r.fiscal_year, r.period_no from raw.submission_rows r "
        "join raw.submission_files f on f.file_id = r.file_id "
        f"where f.outcome = 'ingested' {where}",
        {"files": file_ids} if file_ids else None,
    )
    lines: dict[int, list[str]] = {}
    for file_id, year, period in periods.itertuples(index=False):
        dated = pd.notna(year) and pd.notna(period) and (int(year), int(period)) in by_period
        lines.setdefault(int(file_id), []).append(
            by_period[(int(year), int(period))] if dated else f"any:{anytime}"
        )
    return {file_id: _digest([common, *values]) for file_id, values in lines.items()}


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
    wh: Warehouse, plan: PlanInForce | Catalog, batch_rows: int = BATCH_ROWS
) -> ValidationReport:
    """Judge every row of every ingested file without a verdict, and judge again the files
    whose plan state changed since their verdict.

    Files are judged in batches of about `batch_rows` rows; each batch's verdicts commit
    together, so a file is judged whole or not at all.
    """
    plan = as_plan(plan)
    ensure_quarantine_table(wh)
    files = wh.query(
        "select file_id, coalesce(n_rows, 0) as n_rows, validated_at, plan_state "
        "from raw.submission_files where outcome = 'ingested' order by file_id"
    )
    states = plan_states(wh, plan)
    pending = files[files["validated_at"].isna()]
    judged = files[files["validated_at"].notna()]
    again = judged[
        [
            states.get(int(f)) != s
            for f, s in zip(judged["file_id"], judged["plan_state"], strict=True)
        ]
    ]
    report = ValidationReport(0, 0, 0, 0, {}, files_judged_again=len(again))
    reasons: Counter[str] = Counter()
    todo = pd.concat([pending, again]).sort_values("file_id")
    file_ids = [int(file_id) for file_id in todo["file_id"]]
    sizes = [int(n_rows) for n_rows in todo["n_rows"]]
    for batch in batches_by_rows(file_ids, sizes, batch_rows):
        n_rows, n_quarantined = _validate_batch(wh, plan, batch, states, reasons)
        report.files_validated += len(batch)
        report.rows_validated += n_rows
        report.rows_quarantined += n_quarantined
    report.rows_accepted = report.rows_validated - report.rows_quarantined
    report.reason_counts = dict(reasons)
    return report


def _validate_batch(
    wh: Warehouse,
    plan: PlanInForce,
    batch: list[int],
    states: dict[int, str],
    reasons: Counter[str],
) -> tuple[int, int]:
    """Judge one batch of files and record its verdicts; (rows judged, rows quarantined)."""
    rows = wh.query(
        "select r.* from raw.submission_rows r where r.file_id in :files "
        "order by r.file_id, r.row_number",
        {"files": batch},
    )
    rows = _typed_rows(rows)
    quarantine = validate_submission_rows(rows, plan)
    now = datetime.now(ZoneInfo("Asia/Bangkok")).replace(tzinfo=None, microsecond=0)
    quarantine = quarantine.assign(quarantined_at=pd.Timestamp(now), superseded_at=pd.NaT)[
        list(QUARANTINED_ROWS.names)
    ]
    counts = rows.groupby("file_id").size()
    quarantined = quarantine.groupby("file_id").size()
    verdicts = pd.DataFrame(
        {
            "file_id": pd.array(batch, dtype="int64"),
            "judged_at": pd.Timestamp(now),
            "plan_state": [states.get(f) for f in batch],
            "n_rows": [int(counts.get(f, 0)) for f in batch],
            "n_quarantined": [int(quarantined.get(f, 0)) for f in batch],
        }
    )
    with wh.transaction():
        # Earlier verdicts stay, marked superseded; a crash inside leaves none of this.
        wh.execute(
            "update raw.quarantined_rows set superseded_at = :now "
            "where file_id in :files and superseded_at is null",
            {"now": now, "files": batch},
        )
        wh.append(RAW_SCHEMA, "quarantined_rows", quarantine)
        wh.append(RAW_SCHEMA, SUBMISSION_VERDICTS.name, verdicts[list(SUBMISSION_VERDICTS.names)])
        for state, files in verdicts.groupby("plan_state", dropna=False)["file_id"]:
            wh.execute(
                "update raw.submission_files set validated_at = :now, plan_state = :state "
                "where file_id in :files",
                {
                    "now": now,
                    "state": None if pd.isna(state) else state,
                    "files": [int(f) for f in files],
                },
            )
    reasons.update(quarantine["reason_codes"].str.split(",").explode().dropna())
    return len(rows), len(quarantine)
