"""Validation layer: raw submission rows → accepted rows + quarantine with reasons.

What belongs here: the Pandera contract of a submission row, the reason codes and their
Thai and English messages, and the quarantine built from the contract's failures. What
does not: reading files (`bma_pipeline.intake`), Dagster assets (`bma_pipeline.defs`)
and warehouse writes.
"""

from bma_pipeline.validation.quarantine import (
    QUARANTINE_COLUMNS,
    ContractError,
    QuarantineSummary,
    accepted_rows,
    validate_submission_rows,
)
from bma_pipeline.validation.reasons import REASONS, Reason
from bma_pipeline.validation.schemas import (
    RowConsistencySchema,
    build_reference_schema,
    submission_row_schema,
)

__all__ = [
    "QUARANTINE_COLUMNS",
    "REASONS",
    "ContractError",
    "QuarantineSummary",
    "Reason",
    "RowConsistencySchema",
    "accepted_rows",
    "build_reference_schema",
    "submission_row_schema",
    "validate_submission_rows",
]
