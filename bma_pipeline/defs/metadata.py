"""Metadata shown in the Dagster UI: small markdown tables, and what an intake or a validation
step reports (the same keys for submissions, plans and minutes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dagster as dg

from bma_pipeline.intake.ledger import IngestReport

SHOWN = 50  # rows of a list shown in the UI


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A markdown table; cells are text, with '|' escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _table_or_none(header: Sequence[str], rows: Sequence[Sequence[object]]) -> dg.MetadataValue:
    return dg.MetadataValue.md(markdown_table(header, rows[:SHOWN]) if rows else "none")


def log_intake(context: dg.AssetExecutionContext, report: IngestReport, what: str) -> None:
    """A warning per file not taken: rejected, still being written, or superseded."""
    for path, code, reason in report.rejections:
        context.log.warning(f"rejected {what} {path}: [{code}] {reason}")
    for path, reason in report.incomplete:
        context.log.warning(f"not taken yet {path}: {reason}")
    for path, old_id, new_id in report.superseded:
        context.log.warning(
            f"superseded_partial: file {old_id} was the start of {path} (file {new_id}); "
            "its rows leave the accepted set"
        )


def intake_metadata(report: IngestReport) -> dict[str, object]:
    """A files ledger's materialization: what the scan saw and did with each file."""
    return {
        "files_seen": report.files_seen,
        "files_ingested": report.files_ingested,
        "files_duplicate": report.files_duplicate,
        "files_rejected": report.files_rejected,
        "files_already_known": report.files_already_known,
        "files_incomplete": report.files_incomplete,
        "files_superseded_partial": report.files_superseded_partial,
        "files_skipped_in_progress_names": len(report.in_progress_names),
        "rejections": _table_or_none(("path", "code", "reason"), report.rejections),
        "in_progress_names": dg.MetadataValue.md(
            "\n".join(f"- {path}" for path in report.in_progress_names[:SHOWN]) or "none"
        ),
        "incomplete": _table_or_none(("path", "reason"), report.incomplete),
    }


def reasons_metadata(reason_counts: Mapping[str, int]) -> dg.MetadataValue:
    """Quarantined rows by reason code."""
    rows = sorted(reason_counts.items())
    return dg.MetadataValue.md(markdown_table(("reason", "rows"), rows) if rows else "none")
