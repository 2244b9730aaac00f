"""Retry with backoff on transient database errors, and only on those.

A lost connection, a server restart or a warehouse kept busy by another run is
worth another try; a bad row or a bug is not, so a general RetryPolicy (which
retries any failure) is not used.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from bma_pipeline.warehouse import WarehouseBusy

MAX_RETRIES = 3
BASE_DELAY_S = 2.0


def transient_error_types() -> tuple[type[BaseException], ...]:
    """Errors that say the database is busy or unreachable, not that the work is wrong."""
    import duckdb
    import psycopg

    return (psycopg.OperationalError, duckdb.IOException, WarehouseBusy, ConnectionError)


def backoff_seconds(retry_number: int, base: float | None = None) -> float:
    """2 s, 4 s, 8 s, … for the first, second, third retry."""
    return (BASE_DELAY_S if base is None else base) * (2**retry_number)


@contextmanager
def retry_on_transient_errors(context: dg.OpExecutionContext) -> Iterator[None]:
    try:
        yield
    except transient_error_types() as exc:
        wait = backoff_seconds(context.retry_number)
        context.log.warning(f"transient database error, retrying in {wait:.0f}s: {exc}")
        raise dg.RetryRequested(max_retries=MAX_RETRIES, seconds_to_wait=wait) from exc
