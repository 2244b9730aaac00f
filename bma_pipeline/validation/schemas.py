"""The Pandera contract of a submission row (`raw.submission_rows`).

What belongs here: the rules a row must meet to be accepted, as Pandera checks whose
names are reason codes (see `reasons.py`), and the preparation that gives the rows the
dtypes the contract expects. Three schemas, named for what they validate:

- `submission_row_schema()`: one column at a time (required values, ranges, allowed values,
  code formats);
- `RowConsistencySchema`: rules that compare columns or rows (text present but no value,
  period key against fiscal year, unit against folder, assignment, duplicates in a file),
  read from boolean fact columns that `prepare_submission_rows` derives;
- `build_reference_schema(plan)`: membership in the reference data and the plans (unit,
  fiscal year with a plan).

The KPI and its assignment are judged against the plan in force for the row's period
(`bma_pipeline.plans.in_force.PlanInForce`): a KPI retired from P4 is unknown in P4, a unit
added as R from P3 is assigned from P3. A row whose year or period does not parse is judged
against every period's plan (it fails on its period anyway).

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

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from bma_pipeline.columns import (
    KPI_CODE,
    MISSING_MARKERS,
    STATUS,
    SUBMISSION,
    SUBMISSION_ROWS,
    UNIT_CODE,
    Column,
)
from bma_pipeline.plans.in_force import PlanInForce
from bma_pipeline.reference.catalog import Catalog

UNIT_CODE_PATTERN = str(UNIT_CODE.pattern)
KPI_CODE_PATTERN = str(KPI_CODE.pattern)
PERIOD_NUMBERS = (1, 2, 3, 4, 5, 6)
# A fiscal year in this range is a Common-Era year: the BE year is 543 more.
CE_YEAR_MIN, CE_YEAR_MAX = 1900, 2300
ASSIGNED_ROLES = ("H", "R")


def _is_judged(column: Column) -> bool:
    """Free text (obstacles, the reporter) and the raw cells JSON meet no rule."""
    if column.name == "raw_cells":
        return False
    name = column.name.removeprefix("raw_")
    return name not in SUBMISSION.names or SUBMISSION.column(name).kind != "text"


# The columns of raw.submission_rows the contract reads, with the dtypes it expects.
CONTRACT = tuple(column for column in SUBMISSION_ROWS.columns if _is_judged(column))
TEXT_COLUMNS = tuple(c.name for c in CONTRACT if c.sql_type == "varchar")
INTEGER_COLUMNS = tuple(c.name for c in CONTRACT if c.sql_type in ("integer", "bigint"))
FLOAT_COLUMNS = tuple(c.name for c in CONTRACT if c.sql_type == "double precision")
DATE_COLUMNS = tuple(c.name for c in CONTRACT if c.sql_type == "date")
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


def is_present(raw: pd.Series, column: Column | None = None) -> pd.Series:
    """True where a raw cell holds text: not null, not blank, not one of the column's missing
    markers (the registry's; intake reads the same cells as blank)."""
    markers = column.missing_markers if column is not None else MISSING_MARKERS
    stripped = raw.str.strip()
    present = stripped.str.len() > 0
    present &= ~stripped.str.lower().isin(markers)
    return present.fillna(False).astype(bool)


def as_plan(plan: PlanInForce | Catalog) -> PlanInForce:
    """A whole-year catalogue judges like a plan in force from period 1 to 6."""
    return plan if isinstance(plan, PlanInForce) else PlanInForce.of_catalog(plan)


def prepare_submission_rows(rows: pd.DataFrame, plan: PlanInForce | Catalog) -> pd.DataFrame:
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
        present = is_present(raw, SUBMISSION.column(column))
        prepared[column] = prepared[column].fillna(raw.str.strip().where(present))
    for fact, values in derive_facts(prepared, as_plan(plan)).items():
        prepared[fact] = values
    return prepared


def _parses(rows: pd.DataFrame, column: str) -> pd.Series:
    """False where the raw text is present but intake found no value in it."""
    present = is_present(rows[f"raw_{column}"], SUBMISSION.column(column))
    return ~(present & rows[column].isna().to_numpy())


def _holds(condition: pd.Series) -> pd.Series:
    """A nullable comparison as a plain bool: a comparison with a blank holds."""
    return condition.fillna(True).astype(bool)


def _dated(rows: pd.DataFrame, plan: PlanInForce) -> pd.Series:
    """Rows with a period 1–6 of a fiscal year that has plans (others fail on their year or
    period already)."""
    year_known = rows["fiscal_year"].isin(list(plan.fiscal_years)).fillna(False)
    return (year_known & rows["period_no"].isin(PERIOD_NUMBERS).fillna(False)).astype(bool)


def policy_in_force(rows: pd.DataFrame, plan: PlanInForce) -> pd.Series:
    """The policy of each row's KPI in the plan in force for the row's period (null: the KPI
    is not in force then); rows without a valid year and period take the KPI's policy in any
    period."""
    kpis = plan.kpis.drop_duplicates(["fiscal_year", "period_no", "kpi_code"])
    exact = pd.Series(
        kpis["policy_code"].astype(TEXT_DTYPE).array,
        index=pd.MultiIndex.from_arrays(
            [
                kpis["fiscal_year"].astype("Int64"),
                kpis["period_no"].astype("Int64"),
                kpis["kpi_code"].astype(TEXT_DTYPE),
            ]
        ),
    )
    keys = pd.MultiIndex.from_arrays([rows["fiscal_year"], rows["period_no"], rows["kpi_code"]])
    policy = pd.Series(exact.reindex(keys).array, index=rows.index, dtype=TEXT_DTYPE)
    dated = _dated(rows, plan)
    anytime = kpi_policies(plan).reindex(rows["kpi_code"])
    return policy.where(dated.to_numpy(), pd.Series(anytime.array, index=rows.index))


def derive_facts(rows: pd.DataFrame, plan: PlanInForce) -> dict[str, pd.Series]:
    """The fact columns `RowConsistencySchema` validates; True where the rule holds."""
    policy = policy_in_force(rows, plan)
    assigned = plan.assignments[plan.assignments["role"].isin(ASSIGNED_ROLES)]
    dated = _dated(rows, plan)
    exact_pairs = pd.MultiIndex.from_arrays(
        [
            assigned["fiscal_year"].astype("Int64"),
            assigned["period_no"].astype("Int64"),
            assigned["policy_code"].astype(TEXT_DTYPE),
            assigned["unit_code"].astype(TEXT_DTYPE),
        ]
    )
    any_pairs = pd.MultiIndex.from_arrays(
        [assigned["policy_code"].astype(TEXT_DTYPE), assigned["unit_code"].astype(TEXT_DTYPE)]
    )
    row_pairs = pd.MultiIndex.from_arrays(
        [rows["fiscal_year"], rows["period_no"], policy, rows["unit_folder"]]
    )
    is_assigned = np.where(
        dated.to_numpy(),
        row_pairs.isin(exact_pairs),
        pd.MultiIndex.from_arrays([policy, rows["unit_folder"]]).isin(any_pairs),
    )
    well_formed = rows["kpi_code"].str.fullmatch(KPI_CODE_PATTERN).fillna(False).astype(bool)
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
        "kpi_in_plan": pd.Series(~(well_formed & policy.isna()).to_numpy(), index=rows.index),
        "unit_assigned_to_kpi": pd.Series(policy.isna().to_numpy() | is_assigned, index=rows.index),
        "kpi_once_in_file": ~(duplicated & rows["kpi_code"].notna()).astype(bool),
    }


def _column_checks() -> dict[str, list[pa.Check]]:
    """The rules of a row on its own, by the column they judge; check names are reason codes."""

    def required_value_present(column: Column) -> pa.Check:
        return pa.Check(lambda raw: is_present(raw, column), name="missing_value", ignore_na=False)

    def not_negative(value: pd.Series) -> pd.Series:
        return ~(value < 0)

    def fiscal_year_not_ce(year: pd.Series) -> pd.Series:
        return ~year.between(CE_YEAR_MIN, CE_YEAR_MAX).fillna(False).astype(bool)

    def period_in_year(period_no: pd.Series) -> pd.Series:
        return (period_no.isna() | period_no.isin(PERIOD_NUMBERS)).astype(bool)

    def status_allowed(status: pd.Series) -> pd.Series:
        return (status.isna() | status.isin(STATUS.allowed)).astype(bool)

    def well_formed(column: Column) -> pa.Check:
        pattern = str(column.pattern)
        return pa.Check(
            lambda code: code.str.fullmatch(pattern).fillna(True).astype(bool),
            name="bad_code_format",
            ignore_na=False,
        )

    checks: dict[str, list[pa.Check]] = {
        f"raw_{name}": [required_value_present(SUBMISSION.column(name))]
        for name in SUBMISSION.required
    }
    for column in SUBMISSION.columns:
        if column.kind == "number":
            checks[column.name] = [pa.Check(not_negative, name="negative_value", ignore_na=False)]
        elif column.kind == "code":
            checks[column.name] = [well_formed(column)]
    checks["fiscal_year"] = [pa.Check(fiscal_year_not_ce, name="ce_fiscal_year", ignore_na=False)]
    checks["period_no"] = [pa.Check(period_in_year, name="bad_period", ignore_na=False)]
    checks["status"] = [pa.Check(status_allowed, name="bad_status", ignore_na=False)]
    return checks


_PANDERA_DTYPES = {
    "varchar": pd.StringDtype("pyarrow"),
    "integer": pd.Int64Dtype(),
    "bigint": pd.Int64Dtype(),
    "double precision": float,
}


def submission_row_schema() -> pa.DataFrameSchema:
    """A row on its own: required values, numbers, ranges, allowed values, code formats.

    Its columns and dtypes are the contract's columns of `raw.submission_rows` in the column
    registry; the ledger's keys are never null.
    """
    checks = _column_checks()
    keys = {"file_id", "row_number", "unit_folder"}
    columns = {
        column.name: pa.Column(
            _PANDERA_DTYPES[column.sql_type],
            nullable=column.name not in keys,
            checks=checks.get(column.name, []),
        )
        for column in CONTRACT
        if column.sql_type in _PANDERA_DTYPES
    }
    return pa.DataFrameSchema(columns, name="SubmissionRowSchema", strict=False, coerce=False)


def _unknown(codes: pd.Series, pattern: str, known: pd.Series) -> pd.Series:
    """True where a code is well-formed but not among the known codes."""
    well_formed = codes.str.fullmatch(pattern).fillna(False).astype(bool)
    return well_formed & ~codes.isin(known.dropna().unique())


def kpi_policies(plan: PlanInForce) -> pd.Series:
    """The policy of each KPI in any period in force (the latest listed), indexed by kpi_code."""
    kpis = plan.kpis.drop_duplicates("kpi_code", keep="last")
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
    kpi_in_plan: Series[bool]
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

    @pa.check("kpi_in_plan", name=check_name("unknown_kpi", "kpi_code"))
    def kpi_known(cls, holds: Series[bool]) -> Series[bool]:
        return holds

    @pa.check("unit_assigned_to_kpi", name=check_name("not_assigned", "kpi_code"))
    def unit_assigned(cls, holds: Series[bool]) -> Series[bool]:
        return holds

    @pa.check("kpi_once_in_file", name=check_name("duplicate_in_file", "kpi_code"))
    def kpi_once(cls, holds: Series[bool]) -> Series[bool]:
        return holds


def build_reference_schema(plan: PlanInForce | Catalog) -> pa.DataFrameSchema:
    """Membership in the reference data and the plans: unit known, fiscal year with a plan."""
    plan = as_plan(plan)
    fiscal_years = list(plan.fiscal_years)
    units = pd.Series(sorted(plan.units), dtype=object)

    def fiscal_year_has_targets(year: pd.Series) -> pd.Series:
        out_of_range = year.notna() & ~year.between(CE_YEAR_MIN, CE_YEAR_MAX)
        out_of_range &= ~year.isin(fiscal_years)
        return ~out_of_range.fillna(False).astype(bool)

    def unit_known(code: pd.Series) -> pd.Series:
        return ~_unknown(code, UNIT_CODE_PATTERN, units)

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
        },
    )
