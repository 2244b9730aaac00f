"""The Pandera contract of a submission row (`raw.submission_rows`).

What belongs here: the rules a row must meet to be accepted, as Pandera checks whose
names are reason codes (see `reasons.py`), and the preparation that gives the rows the
dtypes the contract expects. Three schemas, named for what they validate:

- `SubmissionRowSchema`: one column at a time (required values, ranges, allowed values,
  code formats);
- `RowConsistencySchema`: rules that compare columns or rows (text present but no value,
  period key against fiscal year, unit against folder, assignment, duplicates in a file),
  read from boolean fact columns that `prepare_submission_rows` derives;
- `build_reference_schema(catalog)`: membership in the catalogue (unit, KPI, fiscal year).

Why fact columns rather than dataframe-level checks: Pandera reshapes the failing rows of
a dataframe-level check with `DataFrame.unstack`, which on pandas 2.3 costs about 7 s per
25,000 failing rows; a column check reports its failing values directly.

What does not belong here: running the contract and turning failures into quarantine
rows (`quarantine.py`), or parsing cell text into values (`bma_pipeline.intake`): the
contract judges the parsed values and the raw text intake kept beside them.

Check names are `<reason_code>` for checks on a contract column (the failing column comes
with each failure case) and `<reason_code>:<column>` for checks on a fact column;
`parse_check_name` reads both forms. Every check is vectorised and handles nulls itself
(`ignore_na=False`), so a rule on a blank value is explicit, never implied.
"""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from bma_pipeline.reference.catalog import Catalog

UNIT_CODE_PATTERN = r"^(10(0[1-9]|[1-4][0-9]|50)|[A-Z]{3})$"
KPI_CODE_PATTERN = r"^K\d{4}$"
STATUSES = ("not_started", "in_progress", "completed", "delayed")
PERIOD_NUMBERS = (1, 2, 3, 4, 5, 6)
# A fiscal year in this range is a Common-Era year: the BE year is 543 more.
CE_YEAR_MIN, CE_YEAR_MAX = 1900, 2300
ASSIGNED_ROLES = ("H", "R")

# Cell texts units write for "nothing here"; such a cell counts as blank.
MISSING_MARKERS = frozenset({"-", "--", "–", "—", "#n/a", "n/a", "na"})

REQUIRED_COLUMNS = ("unit_code", "fiscal_year", "period_no", "kpi_code", "actual_value")

# The columns of raw.submission_rows the contract reads, by the dtype it expects.
TEXT_COLUMNS = (
    "unit_folder",
    "raw_unit_code",
    "raw_fiscal_year",
    "raw_period_no",
    "raw_kpi_code",
    "raw_actual_value",
    "raw_budget_spent_baht",
    "raw_status",
    "raw_reported_on",
    "unit_code",
    "kpi_code",
    "status",
)
INTEGER_COLUMNS = ("file_id", "row_number", "fiscal_year", "period_no", "period_key_fiscal_year")
FLOAT_COLUMNS = ("actual_value", "budget_spent_baht")
DATE_COLUMNS = ("reported_on",)
CONTRACT_COLUMNS = TEXT_COLUMNS + INTEGER_COLUMNS + FLOAT_COLUMNS + DATE_COLUMNS

# Rows of one file with the same key report the same thing twice: none can be trusted.
DUPLICATE_KEY = ("file_id", "kpi_code", "fiscal_year", "period_no")

# Arrow-backed strings: pandas 2 object strings make every string check about 3x slower,
# and Pandera checks the plain `str` dtype element by element (1.5 s per 200k rows here).
TEXT_DTYPE = "string[pyarrow]"
Text = Annotated[pd.StringDtype, "pyarrow", pd.NA]


def check_name(code: str, column: str | None = None) -> str:
    """The Pandera check name for a reason code (and, for multi-column checks, its column)."""
    return code if column is None else f"{code}:{column}"


def parse_check_name(name: str) -> tuple[str, str | None]:
    """Reason code and column of a check name (column None: the failure case has it)."""
    code, _, column = name.partition(":")
    return code, column or None


def is_present(raw: pd.Series) -> pd.Series:
    """True where a raw cell holds text: not null, not blank, not a missing marker."""
    stripped = raw.str.strip()
    present = stripped.str.len() > 0
    present &= ~stripped.str.lower().isin(MISSING_MARKERS)
    return present.fillna(False).astype(bool)


def prepare_submission_rows(rows: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """The contract's columns of `rows` in the contract's dtypes plus the fact columns.

    Indexed 0..n-1 (positions in `rows`). A code intake could not normalise (raw text
    present, parsed code null) is judged by its stripped raw text, so it fails the code
    format instead of passing as blank.
    """
    absent = [column for column in CONTRACT_COLUMNS if column not in rows.columns]
    if absent:
        raise ValueError(f"submission rows lack the columns {absent}")
    columns: dict[str, object] = {}
    for column in TEXT_COLUMNS:
        columns[column] = rows[column].astype(TEXT_DTYPE).array
    for column in INTEGER_COLUMNS:
        columns[column] = rows[column].astype("Int64").array
    for column in FLOAT_COLUMNS:
        columns[column] = pd.to_numeric(rows[column]).astype("float64").to_numpy()
    for column in DATE_COLUMNS:
        columns[column] = rows[column].to_numpy()
    prepared = pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))
    for column in ("unit_code", "kpi_code"):
        raw = prepared[f"raw_{column}"]
        prepared[column] = prepared[column].fillna(raw.str.strip().where(is_present(raw)))
    for fact, values in derive_facts(prepared, catalog).items():
        prepared[fact] = values
    return prepared


def _parses(rows: pd.DataFrame, column: str) -> pd.Series:
    """False where the raw text is present but intake found no value in it."""
    return ~(is_present(rows[f"raw_{column}"]) & rows[column].isna().to_numpy())


def _holds(condition: pd.Series) -> pd.Series:
    """A nullable comparison as a plain bool: a comparison with a blank holds."""
    return condition.fillna(True).astype(bool)


def derive_facts(rows: pd.DataFrame, catalog: Catalog) -> dict[str, pd.Series]:
    """The fact columns `RowConsistencySchema` validates; True where the rule holds."""
    policy = pd.Series(
        kpi_policies(catalog).reindex(rows["kpi_code"]).array, index=rows.index, dtype=TEXT_DTYPE
    )
    assigned = catalog.assignments[catalog.assignments["role"].isin(ASSIGNED_ROLES)]
    assigned_pairs = pd.MultiIndex.from_arrays(
        [assigned["policy_code"].astype(TEXT_DTYPE), assigned["unit_code"].astype(TEXT_DTYPE)]
    )
    pairs = pd.MultiIndex.from_arrays([policy, rows["unit_folder"]])
    duplicated = rows.duplicated(subset=list(DUPLICATE_KEY), keep=False)
    return {
        "actual_value_parses": _parses(rows, "actual_value"),
        "budget_spent_baht_parses": _parses(rows, "budget_spent_baht"),
        "fiscal_year_parses": _parses(rows, "fiscal_year"),
        "period_no_parses": _parses(rows, "period_no"),
        "status_parses": _parses(rows, "status"),
        "reported_on_parses": _parses(rows, "reported_on"),
        "period_key_matches_year": _holds(rows["period_key_fiscal_year"] == rows["fiscal_year"]),
        "unit_is_folder": _holds(rows["unit_code"] == rows["unit_folder"]),
        "unit_assigned_to_kpi": pd.Series(
            policy.isna().to_numpy() | pairs.isin(assigned_pairs), index=rows.index
        ),
        "kpi_once_in_file": ~(duplicated & rows["kpi_code"].notna()).astype(bool),
    }


class SubmissionRowSchema(pa.DataFrameModel):
    """A row on its own: required values, numbers, ranges, allowed values, code formats."""

    file_id: Series[pd.Int64Dtype]
    row_number: Series[pd.Int64Dtype]
    unit_folder: Series[Text]
    raw_unit_code: Series[Text] = pa.Field(nullable=True)
    raw_fiscal_year: Series[Text] = pa.Field(nullable=True)
    raw_period_no: Series[Text] = pa.Field(nullable=True)
    raw_kpi_code: Series[Text] = pa.Field(nullable=True)
    raw_actual_value: Series[Text] = pa.Field(nullable=True)
    raw_budget_spent_baht: Series[Text] = pa.Field(nullable=True)
    raw_status: Series[Text] = pa.Field(nullable=True)
    raw_reported_on: Series[Text] = pa.Field(nullable=True)
    unit_code: Series[Text] = pa.Field(nullable=True)
    fiscal_year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    period_no: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    period_key_fiscal_year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    kpi_code: Series[Text] = pa.Field(nullable=True)
    actual_value: Series[float] = pa.Field(nullable=True)
    budget_spent_baht: Series[float] = pa.Field(nullable=True)
    status: Series[Text] = pa.Field(nullable=True)

    class Config:
        strict = False
        coerce = False

    @pa.check(*(f"raw_{c}" for c in REQUIRED_COLUMNS), name="missing_value", ignore_na=False)
    def required_value_present(cls, raw: Series[Text]) -> Series[bool]:
        return is_present(raw)

    @pa.check("actual_value", "budget_spent_baht", name="negative_value", ignore_na=False)
    def value_not_negative(cls, value: Series[float]) -> Series[bool]:
        return ~(value < 0)

    @pa.check("fiscal_year", name="ce_fiscal_year", ignore_na=False)
    def fiscal_year_not_ce(cls, year: Series[pd.Int64Dtype]) -> Series[bool]:
        return ~year.between(CE_YEAR_MIN, CE_YEAR_MAX).fillna(False).astype(bool)

    @pa.check("period_no", name="bad_period", ignore_na=False)
    def period_in_year(cls, period_no: Series[pd.Int64Dtype]) -> Series[bool]:
        return (period_no.isna() | period_no.isin(PERIOD_NUMBERS)).astype(bool)

    @pa.check("status", name="bad_status", ignore_na=False)
    def status_allowed(cls, status: Series[Text]) -> Series[bool]:
        return (status.isna() | status.isin(STATUSES)).astype(bool)

    @pa.check("unit_code", name="bad_code_format", ignore_na=False)
    def unit_code_well_formed(cls, code: Series[Text]) -> Series[bool]:
        return code.str.fullmatch(UNIT_CODE_PATTERN).fillna(True).astype(bool)

    @pa.check("kpi_code", name="bad_code_format", ignore_na=False)
    def kpi_code_well_formed(cls, code: Series[Text]) -> Series[bool]:
        return code.str.fullmatch(KPI_CODE_PATTERN).fillna(True).astype(bool)


def _unknown(codes: pd.Series, pattern: str, known: pd.Series) -> pd.Series:
    """True where a code is well-formed but not among the known codes."""
    well_formed = codes.str.fullmatch(pattern).fillna(False).astype(bool)
    return well_formed & ~codes.isin(known.dropna().unique())


def kpi_policies(catalog: Catalog) -> pd.Series:
    """The policy of each KPI, indexed by kpi_code."""
    kpis = catalog.kpis.drop_duplicates("kpi_code")
    return pd.Series(
        kpis["policy_code"].astype(TEXT_DTYPE).array,
        index=pd.Index(kpis["kpi_code"].astype(TEXT_DTYPE)),
    )


class RowConsistencySchema(pa.DataFrameModel):
    """Rules across columns and rows, read from the fact columns (True: the rule holds)."""

    actual_value_parses: Series[bool]
    budget_spent_baht_parses: Series[bool]
    fiscal_year_parses: Series[bool]
    period_no_parses: Series[bool]
    status_parses: Series[bool]
    reported_on_parses: Series[bool]
    period_key_matches_year: Series[bool]
    unit_is_folder: Series[bool]
    unit_assigned_to_kpi: Series[bool]
    kpi_once_in_file: Series[bool]

    class Config:
        strict = False
        coerce = False

    @pa.check("actual_value_parses", name=check_name("not_a_number", "actual_value"))
    def actual_value_is_number(cls, holds: Series[bool]) -> Series[bool]:
        return holds

    @pa.check("budget_spent_baht_parses", name=check_name("not_a_number", "budget_spent_baht"))
    def budget_spent_is_number(cls, holds: Series[bool]) -> Series[bool]:
        return holds

    @pa.check("fiscal_year_parses", name=check_name("bad_fiscal_year", "fiscal_year"))
    def fiscal_year_is_year(cls, holds: Series[bool]) -> Series[bool]:
        return holds

    @pa.check("period_no_parses", name=check_name("bad_period", "period_no"))
    def period_is_period(cls, holds: Series[bool]) -> Series[bool]:
        return holds

    @pa.check("status_parses", name=check_name("bad_status", "status"))
    def status_is_status(cls, holds: Series[bool]) -> Series[bool]:
        return holds

    @pa.check("reported_on_parses", name=check_name("bad_date", "reported_on"))
    def reported_on_is_date(cls, holds: Series[bool]) -> Series[bool]:
        return holds

    @pa.check("period_key_matches_year", name=check_name("period_year_mismatch", "period_no"))
    def period_key_in_fiscal_year(cls, holds: Series[bool]) -> Series[bool]:
        return holds

    @pa.check("unit_is_folder", name=check_name("unit_mismatch", "unit_code"))
    def unit_reports_for_itself(cls, holds: Series[bool]) -> Series[bool]:
        return holds

    @pa.check("unit_assigned_to_kpi", name=check_name("not_assigned", "kpi_code"))
    def unit_assigned(cls, holds: Series[bool]) -> Series[bool]:
        return holds

    @pa.check("kpi_once_in_file", name=check_name("duplicate_in_file", "kpi_code"))
    def kpi_once(cls, holds: Series[bool]) -> Series[bool]:
        return holds


def build_reference_schema(catalog: Catalog) -> pa.DataFrameSchema:
    """Membership in the catalogue: unit known, KPI known, fiscal year with targets."""
    fiscal_years = catalog.fiscal_years
    units = catalog.units["unit_code"]
    kpis = catalog.kpis["kpi_code"]

    def fiscal_year_has_targets(year: pd.Series) -> pd.Series:
        out_of_range = year.notna() & ~year.between(CE_YEAR_MIN, CE_YEAR_MAX)
        out_of_range &= ~year.isin(fiscal_years)
        return ~out_of_range.fillna(False).astype(bool)

    def unit_known(code: pd.Series) -> pd.Series:
        return ~_unknown(code, UNIT_CODE_PATTERN, units)

    def kpi_known(code: pd.Series) -> pd.Series:
        return ~_unknown(code, KPI_CODE_PATTERN, kpis)

    return pa.DataFrameSchema(
        name="SubmissionReferenceSchema",
        columns={
            "fiscal_year": pa.Column(
                nullable=True,
                checks=pa.Check(
                    fiscal_year_has_targets, name="fiscal_year_out_of_range", ignore_na=False
                ),
            ),
            "unit_code": pa.Column(
                nullable=True, checks=pa.Check(unit_known, name="unknown_unit", ignore_na=False)
            ),
            "kpi_code": pa.Column(
                nullable=True, checks=pa.Check(kpi_known, name="unknown_kpi", ignore_na=False)
            ),
        },
    )
