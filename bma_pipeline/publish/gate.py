"""The Great Expectations publish gate over the marts.

What belongs here: the expectation suite (units present per period, progress within
0–120, allowed statuses, unique keys, compliance counts adding up; every KPI row measured
against one target of a plan version by a known rule; revisions, meetings and commitments
with known kinds and statuses, shares within 0–1, days never negative), running it
offline through an ephemeral GX context on pandas frames (GX 1.x has no DuckDB
dialect, and one code path serves both warehouses), GX's own Data Docs under
`<report_dir>/gx/`, and a self-contained Thai/English summary page at
`<report_dir>/index.html` (GX's pages take their styling from CDNs; the summary needs
nothing from the network).
Validating writes no file: the docs are written afterwards by `write_docs`, so a docs
folder that cannot take them (a full disk) never decides whether a build is published.
GX is imported inside `run_gate` only: importing it costs seconds, and the code
location must not pay that on every load.
"""

from __future__ import annotations

import html
import importlib
import sys
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from bma_pipeline.outputs import output_errors, write_atomically
from bma_pipeline.warehouse import Warehouse

STATUSES = ["on_track", "at_risk", "off_track", "no_data"]
COMPLIANCE_STATUSES = ["on_time", "late", "pending", "missing"]
DOCS_SITE = "bma_publish_gate"

# Upper bound of a progress_pct: 100 × the ratio cap (1.2), plus what floating point adds to
# a mean of capped ratios (a unit with every KPI at the cap gets 120.00000000000001); the
# dbt test `not_above_ratio_cap` allows the same 1e-9.
PCT_MAX = 120 + 1e-9
# mart → (compound key, columns within 0–PCT_MAX, status column)
PROGRESS_MARTS: dict[str, tuple[list[str], list[str], str]] = {
    "mart_policy_progress": (
        ["fiscal_year", "period_no", "policy_code"],
        ["progress_pct", "h_progress_pct", "r_progress_pct"],
        "status",
    ),
    "mart_unit_progress": (["fiscal_year", "period_no", "unit_code"], ["progress_pct"], "status"),
    "mart_group_progress": (
        ["fiscal_year", "period_no", "group_code"],
        ["progress_pct"],
        "status",
    ),
    "mart_project_progress": (
        ["fiscal_year", "period_no", "project_code"],
        ["progress_pct", "h_progress_pct", "r_progress_pct"],
        "status",
    ),
}
TARGET_RULES = ["period_targets", "pro_rata", "period_target", "annual"]
REVISION_KINDS = [
    "kpi_added",
    "kpi_retired",
    "unit_added",
    "unit_removed",
    "target_raised",
    "target_lowered",
    "period_targets_changed",
]
MEETING_STATUSES = ["held", "late", "missing", "pending"]
COMMITMENT_STATUSES = ["open", "done", "dropped", "overdue"]
# marts read whole for the suites beyond the progress marts
CHECKED_MARTS = (
    "mart_submission_compliance",
    "fct_kpi_progress",
    "dim_target",
    "mart_plan_revisions",
    "mart_meetings",
    "mart_commitments",
)


@dataclass(frozen=True)
class Failure:
    table: str
    expectation: str
    column: str | None
    observed: str

    def __str__(self) -> str:
        where = f"{self.table}.{self.column}" if self.column else self.table
        return f"{where}: {self.expectation} ({self.observed})"


ResultRow = tuple[str, str, str, bool, str]  # table, expectation, column, passed, observed


@dataclass
class GateResult:
    evaluated: int = 0
    failures: list[Failure] = field(default_factory=list)
    report_path: Path | None = None
    rows: list[ResultRow] = field(default_factory=list)
    context: Any = field(default=None, repr=False)  # the GX context holding the results
    hint: str | None = None  # what a failure most likely means (no plan in force)

    @property
    def passed(self) -> bool:
        return self.evaluated > 0 and not self.failures


def _raised(exception_info: Any) -> str | None:
    """GX reports a broken expectation as data, not an exception: find it in either shape."""
    if not isinstance(exception_info, dict):
        return None
    if exception_info.get("raised_exception"):
        return str(exception_info.get("exception_message") or "exception")
    for value in exception_info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message") or "exception")
    return None


# The kwargs of an expectation that name the columns it reads.
COLUMN_KWARGS = ("column", "column_A", "column_B")


def columns_read(expectations: list[Any]) -> list[str]:
    """The columns a suite's expectations read, in first-use order."""
    names: list[str] = []
    for expectation in expectations:
        kwargs = expectation.configuration.kwargs
        for name in [*(kwargs.get(k) for k in COLUMN_KWARGS), *(kwargs.get("column_list") or [])]:
            if name and name not in names:
                names.append(name)
    return names


def _frames(wh: Warehouse, suites: dict[str, list[Any]]) -> dict[str, pd.DataFrame]:
    """Each mart's columns that its suite reads (at bangkok × 10 years fct_kpi_progress has
    350,000 rows of 24 columns, of which the suite reads seven), and the compliance counts."""
    frames = {}
    for name in (*PROGRESS_MARTS, *CHECKED_MARTS):
        columns = ", ".join(columns_read(suites[name])) or "*"
        frames[name] = wh.query(f"select {columns} from marts.{name}")
    # Per period: units in the compliance mart vs units with ≥ 1 target in force at the period.
    frames["compliance_counts"] = wh.query(
        """
        with expected as (
            -- units owing a file: a target in force at the period (docs/DOMAIN.md §6)
            select p.fiscal_year, p.period_no, count(distinct t.unit_code) as expected_units
            from plans.periods p
            join plans.policy_in_force f
              on f.fiscal_year = p.fiscal_year and f.period_no = p.period_no
            join plans.targets t
              on t.plan_version_id = f.plan_version_id and t.policy_code = f.policy_code
            group by p.fiscal_year, p.period_no
        ),
        present as (
            select fiscal_year, period_no, count(distinct unit_code) as present_units,
                   count(*) as status_rows
            from marts.mart_submission_compliance group by fiscal_year, period_no
        )
        select p.fiscal_year, p.period_no, p.present_units, p.status_rows,
               coalesce(e.expected_units, 0) as expected_units
        from present p left join expected e
          on e.fiscal_year = p.fiscal_year and e.period_no = p.period_no
        """
    )
    return frames


def _suites(gx: Any) -> dict[str, list[Any]]:
    exp = gx.expectations
    suites: dict[str, list[Any]] = {}
    for name, (key, pct_columns, status) in PROGRESS_MARTS.items():
        suites[name] = [
            exp.ExpectCompoundColumnsToBeUnique(column_list=key),
            exp.ExpectColumnValuesToBeInSet(column=status, value_set=STATUSES),
            *[
                exp.ExpectColumnValuesToBeBetween(column=c, min_value=0, max_value=PCT_MAX)
                for c in pct_columns
            ],
        ]
    suites["mart_submission_compliance"] = [
        exp.ExpectCompoundColumnsToBeUnique(column_list=["fiscal_year", "period_no", "unit_code"]),
        exp.ExpectColumnValuesToBeInSet(column="compliance_status", value_set=COMPLIANCE_STATUSES),
        exp.ExpectColumnValuesToNotBeNull(column="unit_code"),
    ]
    kpi_key = ["fiscal_year", "period_no", "unit_code", "kpi_code"]
    suites["fct_kpi_progress"] = [
        # one row, so one target in force, per in-scope pair and period (docs/DOMAIN.md §6)
        exp.ExpectCompoundColumnsToBeUnique(column_list=kpi_key),
        exp.ExpectColumnValuesToNotBeNull(column="plan_version_id"),
        exp.ExpectColumnValuesToBeInSet(column="target_rule", value_set=TARGET_RULES),
        exp.ExpectColumnValuesToBeInSet(column="status", value_set=STATUSES),
    ]
    suites["dim_target"] = [
        exp.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="valid_to_period", column_B="valid_from_period", or_equal=True
        ),
    ]
    suites["mart_plan_revisions"] = [
        exp.ExpectColumnValuesToBeInSet(column="change_type", value_set=REVISION_KINDS),
        exp.ExpectColumnValuesToNotBeNull(column="plan_version_id"),
    ]
    suites["mart_meetings"] = [
        exp.ExpectCompoundColumnsToBeUnique(
            column_list=["fiscal_year", "period_no", "h_unit_code"]
        ),
        exp.ExpectColumnValuesToBeInSet(column="meeting_status", value_set=MEETING_STATUSES),
        exp.ExpectColumnValuesToBeBetween(column="attendance_share", min_value=0, max_value=1),
    ]
    suites["mart_commitments"] = [
        exp.ExpectCompoundColumnsToBeUnique(
            column_list=["fiscal_year", "period_no", "h_unit_code", "commitment_id"]
        ),
        exp.ExpectColumnValuesToBeInSet(
            column="status_at_period_end", value_set=COMMITMENT_STATUSES
        ),
        exp.ExpectColumnValuesToBeInSet(column="status_now", value_set=COMMITMENT_STATUSES),
        exp.ExpectColumnValuesToBeBetween(column="days_overdue_now", min_value=1),
        exp.ExpectColumnValuesToBeBetween(column="days_overdue_at_period_end", min_value=1),
    ]
    suites["compliance_counts"] = [
        exp.ExpectTableRowCountToBeBetween(min_value=1),
        # Every expected unit present per period, and statuses adding up to them.
        exp.ExpectColumnPairValuesToBeEqual(column_A="present_units", column_B="expected_units"),
        exp.ExpectColumnPairValuesToBeEqual(column_A="status_rows", column_B="expected_units"),
    ]
    return suites


_gx_import: threading.Thread | None = None


def _import_gx() -> None:
    try:
        importlib.import_module("great_expectations")
    except Exception:  # noqa: BLE001, S110 - run_gate's own import reports the failure
        pass


def prefetch_gx() -> None:
    """Start importing Great Expectations in a background thread, once per process.

    The import takes ~3–5 s here. A run calls this when dbt starts: dbt works in its own
    process and leaves this one waiting, so the import overlaps it and the gate's step does
    not pay for it. The gate's own `import` waits for an import still in progress.
    """
    global _gx_import
    if _gx_import is None and "great_expectations" not in sys.modules:
        _gx_import = threading.Thread(target=_import_gx, name="gx-import", daemon=True)
        _gx_import.start()


def gx_context() -> Any:
    """An in-memory GX context with analytics off and no progress bars, set in its own config.

    Analytics are turned off by the context's config rather than the process environment
    (GX_ANALYTICS_ENABLED), which would reach every library and subprocess of the run.
    """
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def run_gate(wh: Warehouse, report_dir: Path | None = None) -> GateResult:
    """Validate the marts; every failing or broken expectation is a failure. With
    `report_dir`, the docs are written too (`write_docs`, which may raise)."""
    import great_expectations as gx

    context = gx_context()
    source = context.data_sources.add_pandas("bma_marts")
    suites = _suites(gx)
    frames = _frames(wh, suites)
    result = GateResult(context=context)
    rows = result.rows
    for table, expectations in suites.items():
        batch_definition = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe(
            "all"
        )
        suite = context.suites.add(gx.ExpectationSuite(name=table, expectations=expectations))
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=table, data=batch_definition, suite=suite)
        )
        for outcome in validation.run(batch_parameters={"dataframe": frames[table]}).results:
            config = outcome.expectation_config
            column = (
                config.kwargs.get("column")
                or ",".join(config.kwargs.get("column_list") or [])
                or None
            )
            broken = _raised(outcome.exception_info)
            if broken:
                observed = f"error: {broken}"
            elif "unexpected_count" in outcome.result:
                observed = f"{outcome.result['unexpected_count']} unexpected"
            else:
                observed = f"observed {outcome.result.get('observed_value')}"
            ok = bool(outcome.success) and broken is None
            result.evaluated += 1
            rows.append((table, config.type, column or "", ok, "" if ok else observed))
            if not ok:
                result.failures.append(Failure(table, config.type, column, observed))
    if result.failures:
        result.hint = no_plan_hint(wh)
    if report_dir is not None:
        write_docs(result, report_dir)
    return result


def no_plan_hint(wh: Warehouse) -> str | None:
    """Why the marts are empty when no action plan is in force, or None when one is."""
    if wh.table_exists("plans", "policy_in_force") and wh.scalar(
        "select count(*) from plans.policy_in_force"
    ):
        return None
    return (
        "no action plan is in force: the landing holds no accepted plan workbook "
        "(<unit>/plans/*.xlsx, docs/DOMAIN.md §8), so no unit owes a file and no figure has a "
        "target; raw.plan_files lists the plans received and why each was not taken"
    )


def write_docs(result: GateResult, report_dir: Path) -> Path:
    """GX's Data Docs under `<report_dir>/gx/` and the summary page `<report_dir>/index.html`.

    Raises `OutputNotWritten` naming the folder and its free space when the disk refuses
    (GX's own errors name no path). The summary page is replaced whole or not at all.
    """
    gx_dir = (report_dir / "gx").resolve()
    with output_errors("the publish gate's Data Docs", gx_dir):
        gx_dir.mkdir(parents=True, exist_ok=True)
        result.context.add_data_docs_site(
            site_name=DOCS_SITE,
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(gx_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
        result.context.build_data_docs(site_names=[DOCS_SITE])
    with output_errors("the publish gate's summary page", report_dir / "index.html"):
        result.report_path = write_report(result.rows, report_dir)
    return result.report_path


def write_report(rows: list[ResultRow], report_dir: Path) -> Path:
    """A self-contained HTML summary of the results, linking to GX's Data Docs."""
    report_dir.mkdir(parents=True, exist_ok=True)
    failed = sum(1 for r in rows if not r[3])
    body = "\n".join(
        f"<tr class={'ok' if ok else 'bad'}><td>{html.escape(t)}</td><td>{html.escape(e)}</td>"
        f"<td>{html.escape(c)}</td><td>{'ผ่าน / pass' if ok else 'ไม่ผ่าน / FAIL'}</td>"
        f"<td>{html.escape(o)}</td></tr>"
        for t, e, c, ok, o in rows
    )
    page = f"""<!doctype html><html lang="th"><head><meta charset="utf-8">
<title>ผลตรวจคุณภาพข้อมูล · Data quality gate</title>
<style>body{{font-family:'Sarabun','Loma','Noto Sans Thai',sans-serif;margin:2em}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px}}
tr.bad{{background:#fde2e2}}tr.ok{{background:#eef9ee}}</style></head><body>
<h1>ผลตรวจคุณภาพข้อมูลก่อนเผยแพร่ <small>Publish gate (Great Expectations)</small></h1>
<p>{datetime.now():%Y-%m-%d %H:%M} · {len(rows)} expectations, {failed} failed ·
<a href="gx/index.html">Great Expectations Data Docs</a></p>
<table><tr><th>table</th><th>expectation</th><th>column</th><th>result</th><th>observed</th></tr>
{body}</table></body></html>"""
    path = report_dir / "index.html"
    write_atomically(path, page)
    return path
