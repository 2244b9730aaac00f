"""The `bma-pipeline` command: generate sample submissions and run the whole pipeline.

`bma-pipeline run` materializes every asset in-process (no UI, no daemon) with
the same definitions the Dagster UI loads, so a scheduled run, a developer's run
and `make demo` are one code path. What it is handed (folders, warehouse, DAGSTER_HOME)
is checked first (`bma_pipeline.preflight`): a mistake there is one line and exit code 2,
with the traceback only under `--debug`.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg

from bma_pipeline import preflight
from bma_pipeline.defs.run_monitoring import fail_dead_runs, in_process_run_tags
from bma_pipeline.fiscal import DEFAULT_DEADLINE_DAYS, PERIODS_PER_YEAR, Period, parse_period_range
from bma_pipeline.plans.store import NoPlanInForce
from bma_pipeline.preflight import OperatorError
from bma_pipeline.warehouse import (
    DEFAULT_DBT_DUCKDB_MEMORY_LIMIT,
    DEFAULT_DUCKDB_MEMORY_LIMIT,
    WarehouseLocation,
    check_memory_limit,
)

DEFAULT_WAREHOUSE = "data/warehouse.duckdb"
_STEP_EVENTS = {"STEP_START": "…", "STEP_SUCCESS": "✓", "STEP_FAILURE": "✗"}


class _ProgressHandler(logging.Handler):
    """Prints one line per step start/end and per asset-check result; hides the rest."""

    def __init__(self, started: float) -> None:
        super().__init__(level=logging.DEBUG)
        self.started = started

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._emit(record)
        except Exception:  # noqa: BLE001 - progress output must never fail a step
            self.handleError(record)

    def _emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        step = meta.get("step_key") or ""
        message = meta.get("orig_message") or record.getMessage()
        elapsed = f"{time.monotonic() - self.started:6.1f}s"
        line = None
        if event is not None and event.event_type_value in _STEP_EVENTS:
            line = f"{_STEP_EVENTS[event.event_type_value]} {step}"
        elif event is not None and event.event_type_value == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            if not data.passed:
                line = (
                    f"! check {data.check_name} on {data.asset_key.to_user_string()} "
                    f"failed ({data.severity.value})"
                )
        elif event is None and (record.levelno >= logging.WARNING or message.startswith("intake:")):
            line = f"  {message}"
        if line:
            print(f"  [{elapsed}] {line}", file=sys.stderr, flush=True)


def _progress_logger(started: float) -> dg.LoggerDefinition:
    @dg.logger(description="Concise progress lines on stderr")
    def progress(_init_context: dg.InitLoggerContext) -> logging.Logger:
        log = logging.getLogger("bma_pipeline.progress")
        log.setLevel(logging.DEBUG)
        log.handlers = [_ProgressHandler(started)]
        log.propagate = False
        return log

    return progress


def default_period(as_of: str | None) -> str:
    """The period being reported at `as_of` (default now), within the partitions' years."""
    from bma_pipeline.defs.partitions import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR
    from bma_pipeline.intake.placement import reporting_period_on

    now = datetime.fromisoformat(as_of) if as_of else datetime.now(ZoneInfo("Asia/Bangkok"))
    period = reporting_period_on(now.date())
    years = [FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR]
    if period.fiscal_year > max(years):
        return Period(max(years), PERIODS_PER_YEAR).key
    if period.fiscal_year < min(years):
        return Period(min(years), 1).key
    return period.key


def dagster_home_setting() -> str | None:
    """DAGSTER_HOME: the one environment variable this command reads.

    It is Dagster's own convention for the folder of a Dagster instance (`make demo` and
    `make dev` share data/dagster_home, so the UI shows the demo's run). Empty or unset: the
    run's history is kept in memory only.
    """
    return os.environ.get("DAGSTER_HOME") or None


def open_instance(home: Path | None) -> dg.DagsterInstance:
    """The Dagster instance in `home` (see `dagster_home_setting`), or an in-memory one."""
    if home is None:
        return dg.DagsterInstance.ephemeral()
    try:
        return dg.DagsterInstance.from_config(str(home))
    except Exception as exc:  # noqa: BLE001 - any failure here is the instance's config
        detail = " ".join(str(exc).split())[:300]
        raise OperatorError(
            f"DAGSTER_HOME {home}: its Dagster instance cannot be opened ({detail}): fix "
            f"{home / 'dagster.yaml'} (or its storage), or unset DAGSTER_HOME"
        ) from exc


def run_pipeline(
    landing: Path,
    warehouse: str,
    reports: Path,
    as_of: str | None = None,
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
    quiet: bool = False,
    period: str | None = None,
    incremental: bool = False,
    pdf_units: list[str] | None = None,
    pdf: bool = False,
    settle_seconds: float | None = None,
    instance: dg.DagsterInstance | None = None,
    duckdb_memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT,
    dbt_duckdb_memory_limit: str = DEFAULT_DBT_DUCKDB_MEMORY_LIMIT,
) -> dg.ExecuteInProcessResult:
    """Materialize every asset in-process against the given landing folder and warehouse.

    One run of `period_pipeline_job` for `period` (default: the period being reported
    at `as_of`): every new file is ingested whatever period it reports. dbt rebuilds
    every period (full refresh) unless `incremental`, when it rebuilds only `period`.
    With `pdf`, the meeting packs are printed to PDF too, for every H unit or only
    `pdf_units`; the HTML packs are always written. `settle_seconds` overrides how long a
    landing file must stay unchanged before intake takes it. `instance` defaults to
    DAGSTER_HOME's. Earlier runs of this host whose process is gone (killed) are marked failed
    first, and this run records its process (`run_monitoring`) so the next one can do the same.
    """
    from bma_pipeline.definitions import build_definitions
    from bma_pipeline.intake.ledger import DEFAULT_SETTLE_SECONDS

    defs = build_definitions(
        warehouse_url=warehouse,
        landing_dir=str(landing),
        reports_dir=str(reports),
        as_of=as_of,
        deadline_days=deadline_days,
        loggers=None if quiet else {"progress": _progress_logger(time.monotonic())},
        settle_seconds=DEFAULT_SETTLE_SECONDS if settle_seconds is None else settle_seconds,
        duckdb_memory_limit=duckdb_memory_limit,
        dbt_duckdb_memory_limit=dbt_duckdb_memory_limit,
    )
    job = defs.resolve_job_def("period_pipeline_job")
    if instance is None:
        instance = open_instance(preflight.dagster_home(dagster_home_setting()))
    ghosts = fail_dead_runs(instance, by="bma-pipeline run")
    if ghosts and not quiet:
        print(
            f"marked {len(ghosts)} earlier run(s) failed, their process being gone: "
            + ", ".join(ghosts),
            file=sys.stderr,
        )
    return job.execute_in_process(
        instance=instance,
        partition_key=period or default_period(as_of),
        raise_on_error=False,
        tags=in_process_run_tags(),
        run_config={
            "loggers": (
                {"console": {"config": {"log_level": "ERROR"}}} if quiet else {"progress": {}}
            ),
            "ops": {
                "bma_dbt_models": {"config": {"full_refresh": not incremental}},
                "meeting_reports": {"config": {"pdf": pdf, "pdf_units": pdf_units or []}},
                "executive_reports": {"config": {"pdf": pdf, "pdf_units": pdf_units or []}},
            },
        },
    )


def _cmd_generate(args: argparse.Namespace) -> int:
    from bma_sample.submissions import generate_submissions

    out = preflight.writable_folder(Path(args.out), "landing folder", "--out").resolve()
    report = generate_submissions(
        out, args.fiscal_year, parse_period_range(args.periods), args.seed
    )
    for path in report.plan_files:
        print(f"plan: {path.relative_to(out)}")
    n_minutes = len(report.minutes.files_written) if report.minutes else 0
    print(
        f"generated {len(report.plan_files)} plans, {n_minutes} meeting minutes and "
        f"{len(report.files_written)} submission files, {report.n_rows} rows "
        f"({report.n_bad_rows} deliberately bad) for FY{args.fiscal_year} periods "
        f"{args.periods} into {out}"
    )
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from bma_pipeline.summary import collect_summary, format_summary
    from bma_pipeline.warehouse import connect

    landing = preflight.landing_folder(Path(args.landing))
    reports = preflight.writable_folder(Path(args.reports).resolve(), "reports folder", "--reports")
    location = preflight.warehouse(args.warehouse)
    instance = open_instance(preflight.dagster_home(dagster_home_setting()))
    try:
        memory_limits = (
            check_memory_limit(args.duckdb_memory_limit),
            check_memory_limit(args.dbt_duckdb_memory_limit),
        )
    except ValueError as exc:
        raise OperatorError(str(exc)) from exc
    print(f"running the pipeline: landing {landing.resolve()} → {location.display}", flush=True)
    log_path = preflight.writable_folder(reports / "logs", "run log folder", "--reports")
    log_path = log_path / "last_run.log"
    # dbt's own output (echoed by dagster-dbt on stdout) goes to the run log, not the terminal.
    with log_path.open("w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        result = run_pipeline(
            landing,
            args.warehouse,
            Path(args.reports),
            args.as_of,
            args.deadline_days,
            period=args.period,
            incremental=args.incremental,
            pdf=args.pdf,
            instance=instance,
            duckdb_memory_limit=memory_limits[0],
            dbt_duckdb_memory_limit=memory_limits[1],
        )
    print(f"run log (dbt output): {log_path}")
    if not result.success:
        for event in result.all_events:
            if event.is_step_failure:
                print(f"error in {event.step_key}:", file=sys.stderr)
                print(event.event_specific_data.error.to_string(), file=sys.stderr)
        return 1
    with connect(args.warehouse, read_only=True) as wh:
        summary = collect_summary(wh)
    index = reports / "index.html"  # printed last, on its own line
    summary.reports = [str(p) for p in sorted(reports.glob("*")) if p.is_file() and p != index]
    feedback = reports / "feedback"
    if feedback.is_dir():
        n_files = sum(1 for _ in feedback.rglob("*.xlsx"))
        summary.reports.append(f"{feedback}/  ({n_files} feedback files to units, per period)")
    data_docs = reports / "data_docs" / "index.html"
    if data_docs.exists():
        summary.reports.append(f"{data_docs}  (publish gate: Great Expectations results)")
    print(format_summary(summary))
    if index.is_file():
        print(f"open the reports (dashboards, meeting packs): {index}")
    return 0


class NoWarehouse(OperatorError):
    """The pipeline has not built the warehouse a command reads."""


def _read_warehouse(url: str):  # noqa: ANN202 - a context manager of a Warehouse
    """The warehouse, read-only; an error naming it when the pipeline has not built it yet."""
    from bma_pipeline.warehouse import connect

    location = WarehouseLocation.parse(url)
    if location.kind == "duckdb" and not Path(location.target).exists():
        raise NoWarehouse(
            f"no warehouse at {location.target}: run the pipeline first (make demo, or "
            "bma-pipeline run) or pass --warehouse"
        )
    return connect(url, read_only=True)


def _cmd_template(args: argparse.Namespace) -> int:
    from bma_pipeline.intake.template import write_template
    from bma_pipeline.plans.store import catalog_in_force

    target = Path(args.out)
    preflight.writable_folder(target.resolve().parent, "folder", "--out")
    try:
        period = Period.from_key(args.period)
        with _read_warehouse(args.warehouse) as wh:
            catalog = catalog_in_force(wh, period.fiscal_year, period.period_no)
        out = write_template(args.unit, period, target, catalog)
    except (ValueError, NoPlanInForce) as exc:
        raise OperatorError(str(exc)) from exc
    print(f"template for unit {args.unit}, period {period.key}: {out.resolve()}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    import warnings

    from bma_pipeline.intake.check import check_file, format_result
    from bma_pipeline.plans.store import read_plan_in_force

    path = Path(args.file)
    if not path.is_file():
        raise OperatorError(f"{path} is not a file: pass the CSV or XLSX file to check")
    try:
        with _read_warehouse(args.warehouse) as wh:
            plan = read_plan_in_force(wh)
    except NoPlanInForce as exc:
        raise OperatorError(str(exc)) from exc
    if args.unit not in plan.units:
        raise OperatorError(f"{args.unit!r} is not a unit code of the reference data")
    with warnings.catch_warnings():
        # pandas deprecation notices are for developers, not for the person checking a file.
        warnings.simplefilter("ignore", FutureWarning)
        result = check_file(path, args.unit, plan)
    print(format_result(result))
    return 0 if result.accepted else 1


def _cmd_plan_template(args: argparse.Namespace) -> int:
    from bma_pipeline.plans.store import read_plan_tables
    from bma_pipeline.plans.template import write_plan_template

    try:
        with _read_warehouse(args.warehouse) as wh:
            tables = read_plan_tables(wh)
        out = write_plan_template(tables, args.unit, args.fiscal_year, args.period, Path(args.out))
    except (ValueError, NoPlanInForce) as exc:
        raise OperatorError(str(exc)) from exc
    print(
        f"plan template for unit {args.unit}, fiscal year {args.fiscal_year} from period "
        f"{args.period}: {out.resolve()}\n"
        f"edit it, check it (bma-pipeline check-plan {Path(args.out).name} --unit {args.unit}) "
        f"and send it to landing/{args.unit}/plans/"
    )
    return 0


def _cmd_check_plan(args: argparse.Namespace) -> int:
    import warnings

    from bma_pipeline.plans.check import check_plan_file
    from bma_pipeline.validation.workbook_check import format_workbook_check

    path = Path(args.file)
    if not path.is_file():
        raise OperatorError(f"{path} is not a file: pass the workbook to check")
    location = WarehouseLocation.parse(args.warehouse)
    no_warehouse = location.kind == "duckdb" and not Path(location.target).exists()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        if no_warehouse:
            print(
                f"note: no warehouse at {location.target}; judged against the shipped reference "
                "data and no plan in force (only SED may send a first plan)",
                file=sys.stderr,
            )
            result = check_plan_file(path, args.unit, None)
        else:
            with _read_warehouse(args.warehouse) as wh:
                result = check_plan_file(path, args.unit, wh)
    print(format_workbook_check(result))
    return 0 if result.accepted else 1


def _cmd_minutes_template(args: argparse.Namespace) -> int:
    from bma_pipeline.minutes.template import write_minutes_template

    try:
        period = Period.from_key(args.period)
        with _read_warehouse(args.warehouse) as wh:
            out = write_minutes_template(wh, args.unit, period, Path(args.out))
    except (ValueError, NoPlanInForce) as exc:
        raise OperatorError(str(exc)) from exc
    print(
        f"minutes template for unit {args.unit}, {period.key}: {out.resolve()}\n"
        "fill in the meeting date and who attended, write the decisions, add the commitments, "
        f"choose each earlier commitment's status; check it (bma-pipeline check-minutes "
        f"{Path(args.out).name} --unit {args.unit}) and send it to landing/{args.unit}/meetings/"
    )
    return 0


def _cmd_check_minutes(args: argparse.Namespace) -> int:
    import warnings

    from bma_pipeline.minutes.check import check_minutes_file
    from bma_pipeline.validation.workbook_check import format_workbook_check

    path = Path(args.file)
    if not path.is_file():
        raise OperatorError(f"{path} is not a file: pass the workbook to check")
    try:
        with warnings.catch_warnings(), _read_warehouse(args.warehouse) as wh:
            warnings.simplefilter("ignore", FutureWarning)
            result = check_minutes_file(path, args.unit, wh)
    except NoPlanInForce as exc:
        raise OperatorError(str(exc)) from exc
    print(format_workbook_check(result))
    return 0 if result.accepted else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bma-pipeline", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", help="show the traceback of an operator error too"
    )

    gen = sub.add_parser(
        "generate", help="write realistic sample submissions into a landing dir", parents=[common]
    )
    gen.add_argument("--fiscal-year", type=int, default=2566, help="BE fiscal year, e.g. 2566")
    gen.add_argument("--periods", default="1-3", help="periods, e.g. 1-3 or 1,2,6")
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("--out", required=True, help="landing folder to write into")
    gen.set_defaults(func=_cmd_generate)

    run = sub.add_parser(
        "run", help="materialize every asset for a landing folder (no UI)", parents=[common]
    )
    run.add_argument("--landing", required=True, help="landing folder: <unit_code>/<file>")
    run.add_argument(
        "--warehouse", required=True, help="DuckDB file path or postgresql://user@host:port/db"
    )
    run.add_argument("--reports", default="data/reports", help="folder for rendered reports")
    run.add_argument("--as-of", default=None, help="'now' as Bangkok wall time, ISO")
    run.add_argument("--deadline-days", type=int, default=DEFAULT_DEADLINE_DAYS)
    run.add_argument(
        "--period", default=None, help="partition to run, e.g. 2566-P3 (default: from --as-of)"
    )
    run.add_argument(
        "--incremental",
        action="store_true",
        help="rebuild only --period in dbt instead of every period",
    )
    run.add_argument(
        "--pdf",
        action="store_true",
        help="print the meeting packs to PDF too (1–3 s per H unit; the rollup schedule does)",
    )
    run.add_argument(
        "--duckdb-memory-limit",
        default=DEFAULT_DUCKDB_MEMORY_LIMIT,
        help="DuckDB buffer pool of the pipeline's own connections (default %(default)s)",
    )
    run.add_argument(
        "--dbt-duckdb-memory-limit",
        default=DEFAULT_DBT_DUCKDB_MEMORY_LIMIT,
        help="DuckDB buffer pool of dbt's connection (default %(default)s)",
    )
    run.set_defaults(func=_cmd_run)

    tpl = sub.add_parser(
        "template", help="write a unit's XLSX submission template for a period", parents=[common]
    )
    tpl.add_argument("--unit", required=True, help="unit code, e.g. 1001 or DDS")
    tpl.add_argument("--period", required=True, help="period key, e.g. 2566-P2")
    tpl.add_argument("--out", required=True, help="XLSX file to write")
    tpl.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help="where the plan in force is")
    tpl.set_defaults(func=_cmd_template)

    chk = sub.add_parser(
        "check",
        help="say what intake would accept from a file (reads the plan in force, writes nothing)",
        parents=[common],
    )
    chk.add_argument("file", help="the CSV/XLSX file a unit is about to send")
    chk.add_argument("--unit", required=True, help="the sending unit's code, e.g. 1001")
    chk.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help="the plan in force (read-only)")
    chk.set_defaults(func=_cmd_check)

    ptpl = sub.add_parser(
        "plan-template",
        help="write the plan in force for the policies a unit leads (SED: all), to revise",
        parents=[common],
    )
    ptpl.add_argument("--unit", required=True, help="SED, or a lead (H) unit such as DDS")
    ptpl.add_argument("--fiscal-year", type=int, required=True, help="BE fiscal year, e.g. 2567")
    ptpl.add_argument(
        "--period",
        type=int,
        default=1,
        help="the plan in force at this period, and the revision's effective_from (1–6, default 1)",
    )
    ptpl.add_argument("--out", required=True, help="XLSX file to write")
    ptpl.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help="where the plan in force is")
    ptpl.set_defaults(func=_cmd_plan_template)

    pchk = sub.add_parser(
        "check-plan",
        help="say what plan intake would accept from a plan (reads the warehouse, writes nothing)",
        parents=[common],
    )
    pchk.add_argument("file", help="the plan workbook a unit is about to send")
    pchk.add_argument("--unit", required=True, help="the sending unit's code, e.g. DDS")
    pchk.add_argument(
        "--warehouse", default=DEFAULT_WAREHOUSE, help="the plan in force (read-only)"
    )
    pchk.set_defaults(func=_cmd_check_plan)

    mtpl = sub.add_parser(
        "minutes-template",
        help="write an H unit's minutes for a period's meeting, pre-filled from the warehouse",
        parents=[common],
    )
    mtpl.add_argument("--unit", required=True, help="the lead (H) unit, e.g. DDS")
    mtpl.add_argument("--period", required=True, help="period key, e.g. 2566-P3")
    mtpl.add_argument("--out", required=True, help="XLSX file to write")
    mtpl.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help="plan in force and marts")
    mtpl.set_defaults(func=_cmd_minutes_template)

    mchk = sub.add_parser(
        "check-minutes",
        help="say what minutes intake would accept from a file, writing nothing",
        parents=[common],
    )
    mchk.add_argument("file", help="the minutes workbook an H unit is about to send")
    mchk.add_argument("--unit", required=True, help="the sending H unit's code, e.g. DDS")
    mchk.add_argument(
        "--warehouse", default=DEFAULT_WAREHOUSE, help="the plan in force (read-only)"
    )
    mchk.set_defaults(func=_cmd_check_minutes)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except OperatorError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
