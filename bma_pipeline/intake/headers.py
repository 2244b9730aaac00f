"""The one alias table from header text to canonical column, and header-row detection.

What belongs here: the alias table built from the column registry's header
spellings (`bma_pipeline.columns`: the Thai headers of the template, the canonical
English names and their natural variants), the normalisation that makes matching
insensitive to case, spaces, underscores, punctuation and a UTF-8 BOM, and finding the
header row below title rows and merged banners. What does not: reading files
(``readers.py``) or cell values (``parse.py``). A new spelling goes into the column's
`aliases` in the registry, nowhere else.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence

from bma_pipeline.columns import SUBMISSION, Layout


def normalise_header(header: str) -> str:
    """Letters, digits and Thai vowel/tone marks only, case-folded: 'Budget spent (baht)' →
    'budgetspentbaht', '\\ufeffรหัส หน่วยงาน' → 'รหัสหน่วยงาน'."""
    # NFKC also unifies the two spellings of sara am (ำ and ํา) and full-width letters.
    text = unicodedata.normalize("NFKC", header).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LNM")


@functools.cache
def alias_index(layout: Layout = SUBMISSION) -> dict[str, str]:
    """Normalised header text → canonical column, for one layout's columns."""
    index: dict[str, str] = {}
    for column in layout.columns:
        for spelling in column.header_spellings:
            key = normalise_header(spelling)
            if index.setdefault(key, column.name) != column.name:
                raise ValueError(f"header {spelling!r} maps to two columns of {layout.name}")
    return index


def canonical_column(header: str | None, layout: Layout = SUBMISSION) -> str | None:
    """The canonical column a header text names, or None when it names none."""
    if header is None:
        return None
    # Files repeat a handful of header texts: each is normalised once per layout (~2 µs a
    # character). Keyed by the layout's identity: hashing a Layout hashes all its columns.
    key = (id(layout), header)
    known = _CANONICAL.get(key)
    if known is None or known[0] is not layout:
        if len(_CANONICAL) >= _CANONICAL_MAX:
            _CANONICAL.clear()
        known = (layout, alias_index(layout).get(normalise_header(str(header))))
        _CANONICAL[key] = known
    return known[1]


_CANONICAL: dict[tuple[int, str], tuple[Layout, str | None]] = {}
_CANONICAL_MAX = 65_536


def find_header_row(
    rows: Sequence[Sequence[str | None]], layout: Layout = SUBMISSION, max_scan: int = 30
) -> int | None:
    """Index of the first row (within max_scan) naming enough of the layout's required
    columns (`Layout.min_required_in_header`)."""
    required = set(layout.required)
    enough = min(layout.min_required_in_header, len(required))
    for index, row in enumerate(rows[:max_scan]):
        named = {canonical_column(cell, layout) for cell in row if cell is not None}
        if len(named & required) >= enough:
            return index
    return None
