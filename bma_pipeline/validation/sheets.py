"""The contract of a workbook sheet (plans, minutes): rules from the column registry, judged by
Pandera, failures turned into quarantine rows with Thai and English messages.

What belongs here: the rules every sheet gets from its columns' declarations (a required
value present; a number, year, period, yes/no, date or one of an enumeration's values where
text was written; no negative numbers; a well-formed code), the `Rule` type through which a
workbook adds its own (duplicates, references, authority: `bma_pipeline/plans/rules.py`),
judging a sheet lazily so every failure of every row is collected, and building one
quarantine row per failing row. What does not: the submission contract (`schemas.py`, tuned
for millions of rows) and writing the ledger.

Each rule is a boolean fact column named `<reason_code>:<column>` (True: the rule holds),
and one Pandera schema checks that every fact holds: the failure cases name the rule and
the row, as for submissions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa

from bma_pipeline.columns import Column, Layout
from bma_pipeline.validation.quarantine import display, failures_from_cases
from bma_pipeline.validation.reasons import (
    SENTENCE_SEPARATOR,
    ReasonTable,
    render_messages,
    template_fields,
)
from bma_pipeline.validation.schemas import (
    CE_YEAR_MAX,
    CE_YEAR_MIN,
    PERIOD_NUMBERS,
    TEXT_DTYPE,
    check_name,
    is_present,
)

_DTYPES = {
    "varchar": TEXT_DTYPE,
    "integer": "Int64",
    "bigint": "Int64",
    "double precision": "float64",
    "boolean": "boolean",
}


@dataclass(frozen=True)
class Rule:
    """One rule on one column: `holds(prepared)` is True where a row meets it."""

    code: str
    column: str
    holds: Callable[[pd.DataFrame], pd.Series]
    fields: Mapping[str, str] = field(default_factory=dict)  # e.g. the allowed values


def prepare_sheet(rows: pd.DataFrame, layout: Layout) -> pd.DataFrame:
    """The sheet's raw text and parsed columns in the contract's dtypes, indexed 0..n-1."""
    columns: dict[str, object] = {}
    for column in layout.columns:
        columns[f"raw_{column.name}"] = rows[f"raw_{column.name}"].astype(TEXT_DTYPE).array
        dtype = _DTYPES.get(column.sql_type)
        values = rows[column.name]
        columns[column.name] = values.to_numpy() if dtype is None else values.astype(dtype).array
        if column.key_year:
            columns[column.key_year] = rows[column.key_year].astype("Int64").array
    return pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))


def _parses(column: Column) -> Callable[[pd.DataFrame], pd.Series]:
    """False where the cell holds text but intake found no value in it."""

    def holds(rows: pd.DataFrame) -> pd.Series:
        present = is_present(rows[f"raw_{column.name}"], column)
        return ~(present & rows[column.name].isna().to_numpy())

    return holds


def _allowed(column: Column) -> str:
    return ", ".join(f"{value} ({label})" for value, label in column.values)


def column_rules(layout: Layout) -> list[Rule]:
    """The rules each column of the layout brings from its declaration in the registry."""
    rules: list[Rule] = []
    years = [c.name for c in layout.columns if c.kind == "fiscal_year"]
    for column in layout.columns:
        name = column.name
        if layout.is_required(name):
            rules.append(
                Rule("missing_value", name, lambda r, c=column: is_present(r[f"raw_{c.name}"], c))
            )
        if column.kind == "number":
            rules.append(Rule("not_a_number", name, _parses(column)))
            rules.append(Rule("negative_value", name, lambda r, n=name: ~(r[n] < 0).fillna(False)))
        elif column.kind == "fiscal_year":
            rules.append(Rule("bad_fiscal_year", name, _parses(column)))
            rules.append(
                Rule(
                    "ce_fiscal_year",
                    name,
                    lambda r, n=name: ~r[n].between(CE_YEAR_MIN, CE_YEAR_MAX).fillna(False),
                )
            )
        elif column.kind == "period":
            parses = _parses(column)
            rules.append(
                Rule(
                    "bad_period",
                    name,
                    lambda r, n=name, p=parses: p(r) & (r[n].isna() | r[n].isin(PERIOD_NUMBERS)),
                )
            )
            if years and column.key_year:
                rules.append(
                    Rule(
                        "period_year_mismatch",
                        name,
                        lambda r, k=column.key_year, y=years[0]: (r[k] == r[y]).fillna(True),
                        {"key_year": "", "fiscal_year": ""},
                    )
                )
        elif column.kind == "enum":
            rules.append(Rule(f"bad_{name}", name, _parses(column), {"allowed": _allowed(column)}))
        elif column.kind in ("boolean", "date"):
            rules.append(Rule(f"bad_{column.kind}", name, _parses(column)))
        elif column.kind == "code" and column.pattern:
            pattern = column.pattern
            rules.append(
                Rule(
                    "bad_code_format",
                    name,
                    lambda r, n=name, p=pattern: _code_text(r, n).str.fullmatch(p).fillna(True),
                )
            )
    return rules


def _code_text(rows: pd.DataFrame, name: str) -> pd.Series:
    """A code as intake normalised it, else its stripped text (so it fails the format)."""
    raw = rows[f"raw_{name}"]
    return rows[name].fillna(raw.str.strip().where(is_present(raw)))


def judge(prepared: pd.DataFrame, rules: Sequence[Rule], table: ReasonTable) -> pd.DataFrame:
    """Every (position, code, column) failure of the prepared rows against the rules."""
    facts = pd.DataFrame(
        {
            check_name(rule.code, rule.column): np.asarray(rule.holds(prepared), dtype=bool)
            for rule in rules
        },
        index=prepared.index,
    )
    schema = pa.DataFrameSchema(
        {
            name: pa.Column(bool, checks=pa.Check(lambda holds: holds, name=name))
            for name in facts.columns
        },
        name="SheetRules",
    )
    try:
        schema.validate(facts, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return failures_from_cases(errors.failure_cases, table.reasons)
    return pd.DataFrame(
        {
            "position": pd.Series(dtype="int64"),
            "code": pd.Series(dtype=object),
            "column": pd.Series(dtype=object),
        }
    )


def sheet_quarantine(
    prepared: pd.DataFrame,
    failures: pd.DataFrame,
    rules: Sequence[Rule],
    table: ReasonTable,
    context: Mapping[str, pd.Series] | None = None,
) -> pd.DataFrame:
    """One row per failing position: `position`, sorted `reason_codes`, `message_th` and
    `message_en` (one sentence per reason and column). `context` holds per-row fields the
    messages may name (`folder`, `policy`, …), indexed like `prepared`."""
    columns = ["position", "reason_codes", "message_th", "message_en"]
    if failures.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    static = {(rule.code, rule.column): rule.fields for rule in rules}
    failures = failures.sort_values(["position", "code", "column"], ignore_index=True)
    message_th = pd.Series("", index=failures.index, dtype=object)
    message_en = pd.Series("", index=failures.index, dtype=object)
    for (code, column), group in failures.groupby(["code", "column"], sort=False):
        at = prepared.iloc[group["position"].to_numpy()]
        raw = f"raw_{column}" if f"raw_{column}" in prepared.columns else column
        fields: dict[str, pd.Series | str] = {
            "value": pd.Series(display(at[raw]).to_numpy(), index=group.index)
        }
        for name in template_fields(code, table) - {"value"}:
            if name in static.get((code, column), {}) and static[(code, column)][name]:
                fields[name] = static[(code, column)][name]
            elif context is not None and name in context:
                values = context[name].iloc[group["position"].to_numpy()]
                fields[name] = pd.Series(display(values).to_numpy(), index=group.index)
            elif name in prepared.columns:
                fields[name] = pd.Series(display(at[name]).to_numpy(), index=group.index)
            else:
                fields[name] = ""
        message_th.loc[group.index] = render_messages(code, column, "th", fields, table).to_numpy()
        message_en.loc[group.index] = render_messages(code, column, "en", fields, table).to_numpy()
    failures = failures.assign(message_th=message_th, message_en=message_en)
    grouped = failures.groupby("position", sort=True)
    return pd.DataFrame(
        {
            "position": list(grouped.groups),
            "reason_codes": grouped["code"].agg(lambda c: ",".join(sorted(set(c)))).to_list(),
            "message_th": grouped["message_th"].agg(SENTENCE_SEPARATOR.join).to_list(),
            "message_en": grouped["message_en"].agg(SENTENCE_SEPARATOR.join).to_list(),
        }
    )


@dataclass
class JudgedSheet:
    """One sheet's rows as the contract saw them and the quarantine rows of those that fail."""

    layout: Layout
    frame: pd.DataFrame  # the parsed rows, as read (row_number, raw_*, parsed)
    prepared: pd.DataFrame
    quarantine: pd.DataFrame  # position, reason_codes, message_th, message_en

    @property
    def failed(self) -> np.ndarray:
        mask = np.zeros(len(self.prepared), dtype=bool)
        mask[self.quarantine["position"].astype(int).to_numpy()] = True
        return mask

    def accepted(self) -> pd.DataFrame:
        return self.prepared.loc[~self.failed]

    def accepted_codes(self, column: str) -> set[str]:
        return set(self.accepted()[column].dropna())

    def verdicts(self) -> pd.DataFrame:
        """The quarantine rows by row number: row_number, reason_codes, message_th, message_en."""
        row_numbers = self.frame["row_number"].reset_index(drop=True)
        positions = self.quarantine["position"].astype(int)
        return pd.DataFrame(
            {
                "row_number": row_numbers.iloc[positions].to_numpy(),
                "reason_codes": self.quarantine["reason_codes"].to_numpy(),
                "message_th": self.quarantine["message_th"].to_numpy(),
                "message_en": self.quarantine["message_en"].to_numpy(),
            }
        )


def empty_sheet(layout: Layout) -> pd.DataFrame:
    """The parsed frame of a sheet a workbook does not have."""
    names = [f"raw_{c.name}" for c in layout.columns] + list(layout.names)
    names += [str(c.key_year) for c in layout.columns if c.key_year]
    return pd.DataFrame({name: pd.Series(dtype=object) for name in ["row_number", *names]})


def judge_sheet(
    frame: pd.DataFrame,
    layout: Layout,
    rules: Sequence[Rule],
    table: ReasonTable,
    context: Mapping[str, object] | None = None,
) -> JudgedSheet:
    """Judge a sheet by its columns' rules and `rules`; `context` values (a Series per row, or
    one value for every row) are fields the messages may name."""
    frame = frame.reset_index(drop=True)
    prepared = prepare_sheet(frame, layout)
    every = [*column_rules(layout), *rules]
    failures = judge(prepared, every, table)
    fields = {
        name: value if isinstance(value, pd.Series) else pd.Series([value] * len(prepared))
        for name, value in (context or {}).items()
    }
    quarantine = sheet_quarantine(prepared, failures, every, table, fields)
    return JudgedSheet(layout, frame, prepared, quarantine)
