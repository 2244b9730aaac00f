"""Cell text → numbers, vectorised over a whole column.

What belongs here: Thai digits (๐–๙), thousands separators, surrounding spaces,
a leading or trailing ``%``, and the markers districts use for "no value"
(``-``, ``#N/A``, …: `bma_pipeline.columns.MISSING_MARKERS`). Every function takes and
returns a pandas Series and works with ``.str`` methods and ``pd.to_numeric``: no
Python loop per cell. What does not belong: judging a value (negative, out of range) —
that is validation's job; a number that does not parse simply becomes NaN/NA here.
"""

from __future__ import annotations

from collections.abc import Set

import numpy as np
import pandas as pd

from bma_pipeline.columns import MISSING_MARKERS

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_THAI_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")

# Invisible characters that Thai keyboards and web forms leave in cells.
_INVISIBLE = "[\u200b\u200c\u200d\u2060\ufeff]"
# Unicode minus signs and dashes used in front of a number.
_MINUS_SIGNS = "[\u2212\u2012\u2013\ufe63\uff0d]"


# An optionally signed number with either no grouping or correct groups of three.
_NUMBER = (
    r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:[eE][+-]?\d+)?$"
    r"|^[+-]?\.\d+(?:[eE][+-]?\d+)?$"
)
# Integral floats are exact up to 2**53; anything larger is not a plausible cell value.
_MAX_EXACT_INT = float(2**53)


def _as_text(s: pd.Series) -> pd.Series:
    """Object series of str (or None where missing), whatever the input dtype."""
    out = s.astype(object)
    missing = out.isna()
    if (~missing).any():
        out = out.where(missing, out.astype(str))
    return out.where(~missing, None)


def normalise_thai_digits(s: pd.Series) -> pd.Series:
    """Replace Thai digits ๐–๙ by 0–9; other characters and missing values are kept."""
    return _as_text(s).str.translate(_THAI_TO_ARABIC)


def clean_text(s: pd.Series) -> pd.Series:
    """Thai digits → Arabic, invisible characters removed, surrounding whitespace stripped."""
    return normalise_thai_digits(s).str.replace(_INVISIBLE, "", regex=True).str.strip()


def is_missing_marker(s: pd.Series, markers: Set[str] = MISSING_MARKERS) -> pd.Series:
    """True where a cell is blank or holds a "no value" marker such as '-' or '#N/A' (the
    column registry's `MISSING_MARKERS`, compared after stripping, case-insensitively)."""
    text = clean_text(s).str.casefold()
    return (text.isna() | text.isin(markers)).astype(bool)


def parse_numbers(s: pd.Series) -> pd.Series:
    """Parse cell text to float64; blanks, missing markers and non-numbers become NaN.

    Accepts '316,050,200.00', ' ๑๒.๕ ', '45%' (→ 45.0, the figure as written),
    '-3' (→ -3.0; validation rejects negatives) and '(1,200)' (accounting minus).
    """
    text = clean_text(s)
    text = text.str.replace(_MINUS_SIGNS, "-", regex=True)
    # Accounting negatives: (1,200) → -1,200.
    text = text.str.replace(r"^\((.*)\)$", r"-\1", regex=True)
    # One '%' at either end: the number is taken as written (45% → 45).
    text = text.str.replace(r"^%\s*|\s*%$", "", regex=True)
    text = text.str.replace(r"^([+-])\s+", r"\1", regex=True)
    valid = text.str.match(_NUMBER, na=False).astype(bool)
    digits = text.where(valid).str.replace(",", "", regex=False)
    return pd.to_numeric(digits, errors="coerce").astype("float64")


def parse_integers(s: pd.Series) -> pd.Series:
    """Parse cell text to nullable Int64: '2566', '2566.0' and '๒๕๖๖' parse, '2566.5' is NA."""
    values = parse_numbers(s).to_numpy()
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(values)
        whole = finite & (np.floor(values) == values) & (np.abs(values) < _MAX_EXACT_INT)
    return pd.Series(values, index=s.index).where(whole).astype("Int64")
