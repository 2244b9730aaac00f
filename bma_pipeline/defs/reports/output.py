"""How a report step fails when the reports folder refuses a write: naming the path and its
free space, and saying that `bi` was published regardless."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from bma_pipeline.outputs import OutputNotWritten, output_errors


@contextmanager
def report_output(what: str, path: Path) -> Iterator[None]:
    """A write the reports folder refuses fails the step, naming the path and free space."""
    try:
        with output_errors(what, path):
            yield
    except OutputNotWritten as exc:
        raise dg.Failure(description=f"{exc} (`bi` is published apart from the reports)") from exc
