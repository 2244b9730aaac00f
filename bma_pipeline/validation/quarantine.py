"""Run the submission contract and turn its failures into quarantine rows.

What belongs here: validating `raw.submission_rows` lazily against the Pandera contract,
mapping `SchemaErrors.failure_cases` back to input rows and reason codes, and writing
one quarantine row per failing input row with every reason in Thai and English. Also
small helpers over the result (accepted rows, a summary by reason).

What does not belong here: the rules themselves (`schemas.py`), the message texts
(`reasons.py`), and writing to the warehouse (the validation assets add
`quarantined_at` and write `raw.quarantined_rows`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa

from bma_pipeline.columns import SUBMISSION
from bma_pipeline.plans.in_force import PlanInForce
from bma_pipeline.reference.catalog import Catalog
from bma_pipeline.validation.reasons import (
    REASONS,
    SENTENCE_SEPARATOR,
    Reason,
    render_messages,
    template_fields,
)
from bma_pipeline.validation.schemas import (
    RowConsistencySchema,
    as_plan,
    build_reference_schema,
    parse_check_name,
    policy_in_force,
    prepare_submission_rows,
    submission_row_schema,
)

QUARANTINE_COLUMNS = ("file_id", "row_number", "reason_codes", "message_th", "message_en")

# Order of sentences within one reason that fails on several columns: the template's order.
_COLUMN_ORDER = {column: rank for rank, column in enumerate(SUBMISSION.names)}
_MAX_VALUE_CHARS = 60


class ContractError(RuntimeError):
    """The rows cannot be judged at all (wrong dtype, unknown check): a pipeline bug."""


def validate_submission_rows(rows: pd.DataFrame, catalog: PlanInForce | Catalog) -> pd.DataFrame:
    """The quarantine rows for `rows` (columns of raw.submission_rows).

    One row per failing input row, indexed by that row's label in `rows`, with
    `QUARANTINE_COLUMNS`; every reason that applies is listed. Rows not returned are
    accepted. `rows` is not modified.
    """
    plan = as_plan(catalog)
    prepared = prepare_submission_rows(rows, plan)
    failures = find_failures(prepared, plan)
    return build_quarantine(rows, prepared, failures, plan)


def find_failures(prepared: pd.DataFrame, catalog: PlanInForce | Catalog) -> pd.DataFrame:
    """Every (position, code, column) failure of prepared rows against the whole contract."""
    schemas = (
        submission_row_schema(),
        RowConsistencySchema.to_schema(),
        build_reference_schema(catalog),
    )
    found = [_EMPTY_FAILURES]
    for schema in schemas:
        try:
            schema.validate(prepared, lazy=True, inplace=True)
        except pa.errors.SchemaErrors as errors:
            found.append(failures_from_cases(errors.failure_cases))
    return pd.concat(found, ignore_index=True).drop_duplicates(ignore_index=True)


_EMPTY_FAILURES = pd.DataFrame(
    {
        "position": pd.Series(dtype="int64"),
        "code": pd.Series(dtype="object"),
        "column": pd.Series(dtype="object"),
    }
)


def failures_from_cases(
    failure_cases: pd.DataFrame, reasons: Mapping[str, Reason] = REASONS
) -> pd.DataFrame:
    """Map Pandera failure cases (`check`, `column`, `index`) to (position, code, column).

    Two checks may report the same reason on the same cell (a period out of 1–6 and a
    period that did not parse); they collapse here. A failure without a row index (a
    missing column, a wrong dtype, a null file_id) concerns the whole frame: it is a
    pipeline bug, not a bad row, so it raises instead of quarantining everything.
    """
    cases = failure_cases[["check", "column", "index"]]
    checks = cases["check"].astype(str)
    whole_frame = cases["index"].isna()
    unknown = sorted(name for name in checks.unique() if parse_check_name(name)[0] not in reasons)
    if whole_frame.any() or unknown:
        problems = cases[whole_frame | checks.isin(unknown)].drop_duplicates(["check", "column"])
        raise ContractError(
            "submission rows cannot be validated: "
            + "; ".join(f"{row.column}: {row.check}" for row in problems.itertuples())
        )
    names = {name: parse_check_name(name) for name in checks.unique()}
    named_column = checks.map({name: column for name, (_, column) in names.items()})
    column = named_column.fillna(cases["column"]).astype(str).str.removeprefix("raw_")
    failures = pd.DataFrame(
        {
            "position": cases["index"].astype("int64").to_numpy(),
            "code": checks.map({name: code for name, (code, _) in names.items()}).to_numpy(),
            "column": column.to_numpy(),
        }
    )
    return failures.drop_duplicates(ignore_index=True)


def build_quarantine(
    rows: pd.DataFrame,
    prepared: pd.DataFrame,
    failures: pd.DataFrame,
    catalog: PlanInForce | Catalog,
) -> pd.DataFrame:
    """One quarantine row per failing position: sorted codes and the messages in both languages."""
    if failures.empty:
        return _empty_quarantine(rows)
    failures = failures.assign(column_rank=failures["column"].map(_COLUMN_ORDER).fillna(99))
    failures = failures.sort_values(["position", "code", "column_rank"], ignore_index=True)
    message_th = pd.Series("", index=failures.index, dtype=object)
    message_en = pd.Series("", index=failures.index, dtype=object)
    plan = as_plan(catalog)
    years = ", ".join(str(year) for year in plan.fiscal_years) or "-"
    policy_of_kpi = policy_in_force(prepared, plan)
    for (code, column), group in failures.groupby(["code", "column"], sort=False):
        fields = _message_fields(prepared, group["position"], code, column, policy_of_kpi)
        fields["years"] = years
        message_th.loc[group.index] = render_messages(code, column, "th", fields).to_numpy()
        message_en.loc[group.index] = render_messages(code, column, "en", fields).to_numpy()
    # Failures are sorted by position: each row's failures form one run.
    positions = failures["position"].to_numpy()
    starts = np.flatnonzero(np.r_[True, positions[1:] != positions[:-1]])
    runs = list(zip(starts.tolist(), [*starts[1:].tolist(), len(positions)], strict=True))
    codes = failures["code"].tolist()
    sentences_th, sentences_en = message_th.tolist(), message_en.tolist()
    quarantine = pd.DataFrame(
        {
            "reason_codes": [",".join(dict.fromkeys(codes[a:b])) for a, b in runs],
            "message_th": [SENTENCE_SEPARATOR.join(sentences_th[a:b]) for a, b in runs],
            "message_en": [SENTENCE_SEPARATOR.join(sentences_en[a:b]) for a, b in runs],
        },
        index=positions[starts],
    )
    positions = quarantine.index.to_numpy()
    quarantine.insert(0, "file_id", rows["file_id"].iloc[positions].to_numpy())
    quarantine.insert(1, "row_number", rows["row_number"].iloc[positions].to_numpy())
    quarantine.index = rows.index[positions]
    return quarantine[list(QUARANTINE_COLUMNS)]


def _message_fields(
    prepared: pd.DataFrame,
    positions: pd.Series,
    code: str,
    column: str,
    policy_of_kpi: pd.Series,  # the policy in force of each prepared row's KPI
) -> dict[str, pd.Series | str]:
    """The row fields a reason's messages need, as display text indexed like `positions`."""
    at = prepared.iloc[positions.to_numpy()]
    raw_column = f"raw_{column}" if f"raw_{column}" in prepared.columns else column
    sources = {
        "value": lambda: at[raw_column].astype(object).fillna(at[column].astype(object)),
        "folder": lambda: at["unit_folder"],
        "policy": lambda: policy_of_kpi.iloc[positions.to_numpy()],
        "key_year": lambda: at["period_key_fiscal_year"],
        "fiscal_year": lambda: at["fiscal_year"],
    }
    fields: dict[str, pd.Series | str] = {}
    for name in (template_fields(code) & sources.keys()) | {"value"}:
        fields[name] = pd.Series(display(sources[name]()).to_numpy(), index=positions.index)
    return fields


def display(values: pd.Series) -> pd.Series:
    """Cells as a message shows them: one line, at most _MAX_VALUE_CHARS characters."""
    text = values.astype(object).where(values.notna(), "").astype(str)
    text = text.str.replace(r"\s+", " ", regex=True).str.strip()
    too_long = text.str.len() > _MAX_VALUE_CHARS
    return text.where(~too_long, text.str.slice(0, _MAX_VALUE_CHARS - 1) + "…")


def _empty_quarantine(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "file_id": rows["file_id"].iloc[:0].to_numpy(),
            "row_number": rows["row_number"].iloc[:0].to_numpy(),
            "reason_codes": pd.Series(dtype=object),
            "message_th": pd.Series(dtype=object),
            "message_en": pd.Series(dtype=object),
        },
        index=rows.index[:0],
    )


def accepted_rows(rows: pd.DataFrame, quarantine: pd.DataFrame) -> pd.DataFrame:
    """The rows with no quarantine entry (matched on file_id and row_number)."""
    keys = pd.MultiIndex.from_arrays([rows["file_id"], rows["row_number"]])
    quarantined = pd.MultiIndex.from_arrays([quarantine["file_id"], quarantine["row_number"]])
    return rows[~keys.isin(quarantined)]


@dataclass(frozen=True)
class QuarantineSummary:
    """Counts for run summaries and asset metadata: raw = accepted + quarantined."""

    n_rows: int
    n_accepted: int
    n_quarantined: int
    rows_by_reason: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: pd.DataFrame, quarantine: pd.DataFrame) -> QuarantineSummary:
        by_reason: Counter[str] = Counter()
        for codes in quarantine["reason_codes"]:
            by_reason.update(codes.split(","))
        return cls(
            n_rows=len(rows),
            n_accepted=len(rows) - len(quarantine),
            n_quarantined=len(quarantine),
            rows_by_reason=dict(sorted(by_reason.items())),
        )

    def to_markdown(self) -> str:
        """A reason table for Dagster metadata and reports."""
        lines = ["| reason | rows |", "|---|---:|"]
        lines += [f"| {code} | {n} |" for code, n in self.rows_by_reason.items()]
        return "\n".join(lines)
