"""Grouping whole files into batches by row count (intake writes, validation verdicts)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def batches_by_rows(items: Iterable[T], sizes: Iterable[int], max_rows: int) -> Iterator[list[T]]:
    """Consecutive items whose sizes add up to at most `max_rows`; an item is never split,
    so one larger than `max_rows` is a batch of its own."""
    batch: list[T] = []
    total = 0
    for item, size in zip(items, sizes, strict=True):
        if batch and total + size > max_rows:
            yield batch
            batch, total = [], 0
        batch.append(item)
        total += size
    if batch:
        yield batch
