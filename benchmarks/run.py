"""`make bench`: the pipeline against a plain-SQL baseline at three scales.

What belongs here: generating (and caching) each scale's landing folder as a real landing
holds it — plan workbooks in `landing/<unit>/plans/`, minutes in `landing/<unit>/meetings/`,
submissions in `landing/<unit>/` — with `bma_sample`, running the pipeline once after a
warm-up, the DuckDB baseline once and the raw read floor once, in one process per scale,
timing stages from Dagster's own step events, sampling the memory of the process tree, the
incremental case at Bangkok × 10 years, and writing the results under `benchmarks/results/`.
What does not: anything `make test` runs. Nothing here patches the pipeline: the landing
folder, the warehouse, the reports folder, the run's settings (the `settings` resource's
`reference_dir` at nationwide scale) are its inputs.

Scales (BENCH_SCALES / --scales): `bangkok` (the sample catalogue, one fiscal year,
6 periods, plans and minutes), `bangkok10` (the same over 10 fiscal years), `nationwide`
(7,850 units × 50 KPIs × 6 periods: the units as a reference folder and the city plan as one
workbook, submissions as CSV only and no minutes — see `prepare`).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
# The Dagster instance of `make demo` and `make dev`, which the measured runs use too.
LOCAL_INSTANCE = ROOT / "deploy" / "dagster.local.yaml"
SCALES = ("bangkok", "bangkok10", "nationwide")
STAGES = (
    "reference",
    "plan intake",
    "minutes intake",
    "intake",
    "validation",
    "dbt build",
    "reports",
)
OTHER = "other (run set-up, publish gate)"
SEED = 7
# Dagster steps → benchmark stages (asset checks of a layer count with that layer; a plan's
# and the minutes' quarantine and ledger checks count with their intake). Steps not named
# here (the publish gate `bi__published_marts`) fall into OTHER; every step's seconds are kept in
# the result's `steps`.
STEP_STAGES = {
    "reference_tables": "reference",
    "plan_intake": "plan intake",
    "raw__plan_quarantined_rows": "plan intake",
    "raw__plan_quarantined_rows_plan_ledger_conservation": "plan intake",
    "plan_versions": "plan intake",
    "minutes_intake": "minutes intake",
    "raw__minutes_quarantined_rows": "minutes intake",
    "raw__minutes_quarantined_rows_minutes_ledger_conservation": "minutes intake",
    "marts__mart_commitments_commitments_overdue": "minutes intake",
    "submission_intake": "intake",
    "raw__quarantined_rows": "validation",
    "raw__quarantined_rows_ledger_conservation": "validation",
    "raw__quarantined_rows_quarantine_rate_per_unit": "validation",
    "bma_dbt_models": "dbt build",
    "run_summary": "reports",
    "submission_feedback": "reports",
    "plan_feedback": "reports",
    "minutes_feedback": "reports",
    "executive_dashboard": "reports",
    "meeting_reports": "reports",
    "executive_reports": "reports",
    "report_index": "reports",
}


@dataclass(frozen=True)
class Scale:
    name: str
    fiscal_years: tuple[int, ...]
    csv_only: bool
    minutes: bool = True

    @property
    def last_period(self) -> str:
        return f"{self.fiscal_years[-1]}-P6"

    @property
    def as_of(self) -> str:
        """Ten days after the last period's due date: every file counts, nothing is pending."""
        from bma_pipeline.fiscal import Period

        return f"{Period.from_key(self.last_period).due_date() + timedelta(days=10)}T09:00:00"


def scale_of(name: str) -> Scale:
    from bma_pipeline.defs.partitions import LAST_FISCAL_YEAR

    if name == "bangkok":
        return Scale(name, (2566,), csv_only=False)
    if name == "bangkok10":
        # Ten years ending with the newest fiscal year wholly in the past (and within the
        # partitions): files dated in the future would be held back by intake's settle check
        # as `incomplete` (the 2026-12-02 run took 2563–2572 and so ingested 7 years of 10).
        from bma_pipeline.fiscal import Period

        current = Period.containing(date.today()).fiscal_year
        last = min(current - 1, LAST_FISCAL_YEAR)
        return Scale(name, tuple(range(last - 9, last + 1)), csv_only=False)
    if name == "nationwide":
        # Minutes for the 6,359 lead units of the synthetic catalogue would take the sample
        # generator ~45 min (each meeting's attendance filters 252,548 assignments): left out.
        return Scale(name, (2566,), csv_only=True, minutes=False)
    raise SystemExit(f"unknown scale {name!r}; choose from {', '.join(SCALES)}")


# ---- memory ------------------------------------------------------------------------------


def _tree_pids(root: int) -> tuple[list[int], dict[int, int]]:
    """`root` and all its descendants (dbt runs as a subprocess, report workers fork), and
    each one's RSS in bytes."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * page
    tree, stack = [], [root]
    while stack:
        pid = stack.pop()
        tree.append(pid)
        stack.extend(child for child, parent in parents.items() if parent == pid)
    return tree, rss


def _pss_bytes(pid: int) -> int:
    """A process's proportional set size: a page shared by n processes counts 1/n (forked
    report workers share the run's pages)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class MemorySampler:
    """Samples the process tree's RSS every `interval` s, and its PSS every `pss_every`-th
    sample (reading smaps costs the kernel a walk of every page table); `peak(a, b)` and
    `peak_pss(a, b)` over a time window."""

    def __init__(self, interval: float = 0.1, pss_every: int = 10) -> None:
        self.interval = interval
        self.pss_every = pss_every
        self.samples: list[tuple[float, int]] = []
        self.pss_samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        pid, n = os.getpid(), 0
        while not self._stop.is_set():
            tree, rss = _tree_pids(pid)  # one scan of /proc serves both figures
            now = time.time()
            # RSS summed over processes counts a page shared by forked workers in each.
            self.samples.append((now, sum(rss.get(p, 0) for p in tree)))
            if n % self.pss_every == 0:
                self.pss_samples.append((now, sum(_pss_bytes(p) for p in tree)))
            n += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def peak(self, start: float = 0.0, end: float = float("inf")) -> int:
        """Peak RSS over the window, counting the last sample before it (short stages)."""
        return _peak(self.samples, start, end)

    def peak_pss(self, start: float = 0.0, end: float = float("inf")) -> int:
        return _peak(self.pss_samples, start, end)


def _peak(samples: list[tuple[float, int]], start: float, end: float) -> int:
    before = [value for t, value in samples if t < start][-1:]
    return max([*before, *(value for t, value in samples if start <= t <= end)], default=0)


# ---- data --------------------------------------------------------------------------------


@contextlib.contextmanager
def _csv_only(enabled: bool) -> Iterator[None]:
    """Have the sample generator write CSV where it would write XLSX (openpyxl takes ~50 ms a
    workbook: ~19,000 of them at nationwide scale). Generation only, cached: this swaps a
    function of `bma_sample.submissions` while the files are written and nothing of the
    pipeline; the measured runs read the files as any landing folder."""
    from bma_sample import submissions

    original = submissions._write_file
    if not enabled:
        yield
        return

    def write_csv(folder, stem, file_format, *args, **kwargs):  # noqa: ANN001, ANN202
        return original(
            folder, stem, "csv-utf8" if file_format == "xlsx" else file_format, *args, **kwargs
        )

    submissions._write_file = write_csv
    try:
        yield
    finally:
        submissions._write_file = original


def build_catalog(scale: Scale):  # noqa: ANN201 - returns a Catalog
    from bma_sample import synthetic
    from bma_sample.catalogue import sample_catalogue

    if scale.name == "nationwide":
        return synthetic.nationwide_catalog(fiscal_years=scale.fiscal_years)
    if scale.name == "bangkok":
        return sample_catalogue()
    return synthetic.catalog_for_years(list(scale.fiscal_years))


def reference_dir_of(scale: Scale, folder: Path) -> Path:
    """The city reference folder the scale's units are in: the shipped one, or the synthetic
    units written by `write_catalogue` (nationwide)."""
    from bma_pipeline.reference.catalog import CITY_DIR

    return folder / "reference" if scale.name == "nationwide" else CITY_DIR


def prepare(scale: Scale, work: Path) -> dict[str, float]:
    """The scale's landing folder (and reference folder), generated once and reused (stamp).

    Bangkok scales: `generate_submissions` per fiscal year writes that year's plans (SED's
    city plan and DDS's mid-year revision, `landing/<unit>/plans/`), the H–R minutes
    (`landing/<unit>/meetings/`) and the submissions. Nationwide: `write_catalogue` writes the
    7,850 units as a reference folder and the city plan (392,500 targets) as one workbook,
    then the submissions (CSV only) against it, without minutes (`scale_of`)."""
    from bma_sample.catalogue import Revision
    from bma_sample.submissions import generate_submissions
    from bma_sample.synthetic import write_catalogue

    folder = work / scale.name
    stamp = folder / "stamp.json"
    want = {
        "years": list(scale.fiscal_years),
        "seed": SEED,
        "csv_only": scale.csv_only,
        "minutes": scale.minutes,
        "layout": "plans+minutes",
    }
    if stamp.exists() and json.loads(stamp.read_text()).get("want") == want:
        return json.loads(stamp.read_text())["info"]
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    catalog = build_catalog(scale)
    landing = folder / "landing"
    n_rows = n_files = n_plans = n_minutes = 0
    if scale.name == "nationwide":
        n_plans += len(write_catalogue(catalog, landing, reference_dir_of(scale, folder)))
    with _csv_only(scale.csv_only):
        for year in scale.fiscal_years:
            # write_catalogue wrote the city plans; a revision would need its own plan file.
            plans = scale.name != "nationwide" or Revision().applies_to(catalog, year)
            report = generate_submissions(
                landing,
                year,
                [1, 2, 3, 4, 5, 6],
                SEED,
                catalog=catalog,
                plans=plans,
                minutes=scale.minutes,
            )
            n_rows += report.n_rows
            n_files += len(report.files_written)
            n_plans += len(report.plan_files) if scale.name != "nationwide" else 0
            n_minutes += len(report.minutes.files_written) if report.minutes else 0
    info = {
        "generate_s": time.perf_counter() - started,
        "rows": n_rows,
        "files": n_files,
        "plan_files": n_plans,
        "minutes_files": n_minutes,
    }
    stamp.write_text(json.dumps({"want": want, "info": info}))
    return info


def _link_tree(
    source: Path, target: Path, keep: Callable[[Path], bool] = lambda _: True
) -> list[Path]:
    """Hard-link every file under `source` into `target` at the same relative path (same
    bytes and mtime) where `keep`; the files not kept."""
    skipped = []
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        if not keep(path):
            skipped.append(path)
            continue
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, destination)
    return skipped


def _of_period(path: Path, period_key: str) -> bool:
    """A submission or minutes file of the period (`2566-P6.csv`, `2566-P6_minutes.xlsx`)."""
    return path.parent.name != "plans" and path.name.startswith(period_key)


# ---- measuring ---------------------------------------------------------------------------


def run_measured(
    landing: Path,
    warehouse: Path,
    reports: Path,
    scale: Scale,
    sampler: MemorySampler,
    period: str | None = None,
    incremental: bool = False,
    reference_dir: Path | None = None,
    as_of: str | None = None,
) -> dict[str, dict[str, float]]:
    """One `bma-pipeline run` in-process; seconds and peak RSS per stage and end to end, and
    every step's seconds."""
    import dagster as dg

    if not incremental:
        # A new warehouse: the file and any write-ahead log an earlier run left beside it;
        # new reports (an earlier run's would let this one skip unchanged periods).
        warehouse.unlink(missing_ok=True)
        warehouse.with_name(warehouse.name + ".wal").unlink(missing_ok=True)
        shutil.rmtree(reports, ignore_errors=True)
    started_wall, started = time.time(), time.perf_counter()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        result = run_pipeline_with(
            landing,
            warehouse,
            reports,
            as_of=as_of or scale.as_of,
            period=period or scale.last_period,
            incremental=incremental,
            reference_dir=reference_dir,
        )
    elapsed, ended_wall = time.perf_counter() - started, time.time()
    logs = dg.DagsterInstance.get().all_logs(result.run_id)
    if not result.success:
        failed = [
            f"{e.dagster_event.step_key}: {e.user_message[:300]}"
            for e in logs
            if e.dagster_event is not None and e.dagster_event.event_type_value == "STEP_FAILURE"
        ]
        raise RuntimeError(f"pipeline run failed at scale {scale.name}: {failed}")
    seconds = dict.fromkeys(STAGES, 0.0)
    peaks = dict.fromkeys(STAGES, 0)
    steps: dict[str, float] = {}
    starts = {}
    pss = dict.fromkeys(STAGES, 0)  # sampled every second: short steps see the one before
    for entry in logs:
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type_value == "STEP_START":
            starts[event.step_key] = entry.timestamp
        elif event.event_type_value == "STEP_SUCCESS":
            took = entry.timestamp - starts[event.step_key]
            steps[event.step_key] = took
            stage = STEP_STAGES.get(event.step_key)
            if stage is None:
                continue
            seconds[stage] += took
            peaks[stage] = max(peaks[stage], sampler.peak(starts[event.step_key], entry.timestamp))
            pss[stage] = max(pss[stage], sampler.peak_pss(starts[event.step_key], entry.timestamp))
    seconds["end to end"] = elapsed
    peaks["end to end"] = sampler.peak(started_wall, ended_wall)
    pss["end to end"] = sampler.peak_pss(started_wall, ended_wall)
    return {"seconds": seconds, "peak_rss": peaks, "peak_pss": pss, "steps": steps}


def run_pipeline_with(
    landing: Path,
    warehouse: Path,
    reports: Path,
    as_of: str,
    period: str,
    incremental: bool,
    reference_dir: Path | None,
):  # noqa: ANN201 - an ExecuteInProcessResult
    """`bma_pipeline.cli.run_pipeline` (quiet), or — with `reference_dir`, which that function
    does not take — the same job, run config and tags on definitions whose `settings`
    resource names that reference folder."""
    from bma_pipeline.cli import run_pipeline

    if reference_dir is None:
        return run_pipeline(
            landing,
            str(warehouse),
            reports,
            as_of=as_of,
            quiet=True,
            period=period,
            incremental=incremental,
        )
    import dagster as dg

    from bma_pipeline.cli import dagster_home_setting, open_instance
    from bma_pipeline.definitions import build_definitions
    from bma_pipeline.defs.resources import PipelineSettings
    from bma_pipeline.defs.run_monitoring import fail_dead_runs, in_process_run_tags
    from bma_pipeline.preflight import dagster_home

    base = build_definitions(
        warehouse_url=str(warehouse),
        landing_dir=str(landing),
        reports_dir=str(reports),
        as_of=as_of,
    )
    settings = base.resources["settings"]
    defs = dg.Definitions(
        assets=base.assets,
        asset_checks=base.asset_checks,
        jobs=base.jobs,
        schedules=base.schedules,
        sensors=base.sensors,
        resources={
            **base.resources,
            "settings": PipelineSettings(
                landing_dir=settings.landing_dir,
                reports_dir=settings.reports_dir,
                as_of=settings.as_of,
                deadline_days=settings.deadline_days,
                settle_seconds=settings.settle_seconds,
                reference_dir=str(reference_dir),
            ),
        },
    )
    instance = open_instance(dagster_home(dagster_home_setting()))
    fail_dead_runs(instance, by="bma-pipeline run")
    return defs.resolve_job_def("period_pipeline_job").execute_in_process(
        instance=instance,
        partition_key=period,
        raise_on_error=False,
        tags=in_process_run_tags(),
        run_config={
            "loggers": {"console": {"config": {"log_level": "ERROR"}}},
            "ops": {
                "bma_dbt_models": {"config": {"full_refresh": not incremental}},
                "meeting_reports": {"config": {"pdf": False, "pdf_units": []}},
                "executive_reports": {"config": {"pdf": False, "pdf_units": []}},
            },
        },
    )


def _stage_timer(seconds: dict, peaks: dict, sampler: MemorySampler):  # noqa: ANN202
    @contextlib.contextmanager
    def stage(name: str) -> Iterator[None]:
        wall, started = time.time(), time.perf_counter()
        yield
        seconds[name] = time.perf_counter() - started
        peaks[name] = sampler.peak(wall, time.time())

    return stage


def run_baseline_measured(
    landing: Path, reference_dir: Path, work: Path, scale: Scale, sampler: MemorySampler
) -> dict[str, dict[str, float]]:
    from benchmarks.baseline import run_baseline

    seconds: dict[str, float] = {}
    peaks: dict[str, float] = {}
    scratch = work / "baseline_files"
    shutil.rmtree(scratch, ignore_errors=True)
    wall, started = time.time(), time.perf_counter()
    counts = run_baseline(
        landing,
        reference_dir,
        work / "baseline.duckdb",
        scratch,
        datetime.fromisoformat(scale.as_of),
        _stage_timer(seconds, peaks, sampler),
    )
    seconds["end to end"] = time.perf_counter() - started
    peaks["end to end"] = sampler.peak(wall, time.time())
    shutil.rmtree(scratch, ignore_errors=True)
    return {"seconds": seconds, "peak_rss": peaks, "counts": counts}


def run_floor_measured(landing: Path, work: Path, sampler: MemorySampler) -> dict:
    """The raw read floor (`baseline.read_floor`): cp874 decode + one multi-file read_csv."""
    from benchmarks.baseline import read_floor

    seconds: dict[str, float] = {}
    peaks: dict[str, float] = {}
    scratch = work / "floor_files"
    shutil.rmtree(scratch, ignore_errors=True)
    counts = read_floor(landing, scratch, _stage_timer(seconds, peaks, sampler))
    seconds["floor"] = seconds["cp874 decode"] + seconds["read_csv"]
    shutil.rmtree(scratch, ignore_errors=True)
    return {"seconds": seconds, "peak_rss": peaks, "counts": counts}


def warm_up(folder: Path, landing: Path, scale: Scale, reference_dir: Path | None) -> None:
    """Imports, the page cache, and dbt's parse for this warehouse: one small run on one unit's
    submissions and the plans, writing the warehouse path the measured run then recreates. dbt
    keeps a target folder per warehouse, so the measured run starts as every run after a
    deployment's first does; a first run on a new warehouse parses the project once more
    (`cli_one_period`)."""
    for path in landing.rglob("*"):
        if path.is_file():
            path.read_bytes()
    tiny = folder / "warmup" / "landing"
    shutil.rmtree(tiny.parent, ignore_errors=True)
    first_unit = sorted(p for p in landing.iterdir() if p.is_dir())[0].name
    _link_tree(
        landing,
        tiny,
        keep=lambda p: p.parent.name == "plans" or p.relative_to(landing).parts[0] == first_unit,
    )
    with MemorySampler() as sampler:
        run_measured(
            tiny,
            folder / "warehouse.duckdb",
            tiny.parent / "reports",
            scale,
            sampler,
            reference_dir=reference_dir,
        )


def release_freed_memory() -> None:
    """Hand the heap the warm-up freed back to the system (glibc keeps freed arenas mapped),
    so the measured run starts at the resident size of a process that has imported the
    pipeline, as `bma-pipeline run` in a new process does, not at the warm-up's high-water
    mark (nationwide: 2.9 GB before this)."""
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _uptime() -> str:
    with open("/proc/loadavg") as handle:
        return " ".join(handle.read().split()[:3])


def measure_scale(name: str, work: Path) -> dict:
    """Everything for one scale, in this process (the parent starts one process per scale)."""
    scale = scale_of(name)
    folder = work / scale.name
    result: dict = {"scale": name, "fiscal_years": list(scale.fiscal_years)}
    result["load_at_start"] = _uptime()
    info = prepare(scale, folder.parent)
    result.update(info)
    reference_dir = reference_dir_of(scale, folder)
    run_reference = reference_dir if scale.name == "nationwide" else None
    os.environ["DAGSTER_HOME"] = str(folder / "dagster_home")
    shutil.rmtree(folder / "dagster_home", ignore_errors=True)
    (folder / "dagster_home").mkdir(parents=True)
    # The instance `make demo` sets up (no telemetry, no first-run banner in the measured process).
    shutil.copy(LOCAL_INSTANCE, folder / "dagster_home" / "dagster.yaml")
    landing = folder / "landing"
    warm_up(folder, landing, scale, run_reference)
    release_freed_memory()
    result["load_after_warm_up"] = _uptime()
    with MemorySampler() as sampler:
        result["pipeline"] = run_measured(
            landing,
            folder / "warehouse.duckdb",
            folder / "reports",
            scale,
            sampler,
            reference_dir=run_reference,
        )
        result["dbt_nodes"] = dbt_node_timings(folder / "warehouse.duckdb")
        result["baseline"] = run_baseline_measured(landing, reference_dir, folder, scale, sampler)
        result["floor"] = run_floor_measured(landing, folder, sampler)
        if name == "bangkok10":
            result["incremental"] = measure_incremental(folder, landing, scale, sampler)
    result["peak_rss_process_tree"] = max((rss for _, rss in sampler.samples), default=0)
    if name == "bangkok":
        result["cli_one_period"] = measure_cli_one_period(folder, landing, scale)
    from bma_pipeline.warehouse import connect

    with connect(str(folder / "warehouse.duckdb"), read_only=True) as wh:
        result["pipeline"]["counts"] = {
            "rows_received": int(wh.scalar("select count(*) from raw.submission_rows")),
            "rows_quarantined": int(wh.scalar("select count(*) from raw.quarantined_rows")),
            "files_incomplete": int(
                wh.scalar("select count(*) from raw.submission_files where outcome = 'incomplete'")
            ),
        }
    result["load_at_end"] = _uptime()
    return result


def dbt_node_timings(warehouse: Path) -> dict:
    """Per-node seconds from dbt's run_results.json for this warehouse (dbt keeps a target
    folder per warehouse, `warehouse_target_path`): the run's one dbt invocation, every model
    the run built with its tests."""
    from bma_pipeline.defs.transform.assets import warehouse_target_path
    from bma_pipeline.warehouse import WarehouseLocation

    path = warehouse_target_path(WarehouseLocation.parse(str(warehouse))) / "run_results.json"
    if not path.exists():
        return {"file": str(path), "elapsed": None, "nodes": []}
    data = json.loads(path.read_text())
    nodes = sorted(
        (
            {
                "node": r["unique_id"],
                "status": r["status"],
                "seconds": round(r.get("execution_time") or 0.0, 3),
            }
            for r in data.get("results", [])
        ),
        key=lambda n: -n["seconds"],
    )
    return {
        "file": str(path.relative_to(ROOT)),
        "elapsed": data.get("elapsed_time"),
        "args": " ".join(str(a) for a in data.get("args", {}).get("select", []) or []),
        "threads": len({r.get("thread_id") for r in data.get("results", [])}),
        "nodes": nodes,
    }


def measure_incremental(folder: Path, landing: Path, scale: Scale, sampler: MemorySampler) -> dict:
    """The newest period's submissions and minutes arrive after everything before them (and
    every plan) is loaded."""
    from bma_pipeline.fiscal import Period

    newest = Period.from_key(scale.last_period)
    history = folder / "incremental" / "landing"
    shutil.rmtree(history.parent, ignore_errors=True)
    new_files = _link_tree(landing, history, keep=lambda p: not _of_period(p, newest.key))
    warehouse = history.parent / "warehouse.duckdb"
    before = run_measured(
        history, warehouse, history.parent / "reports", scale, sampler, period=newest.previous().key
    )
    for path in new_files:
        destination = history / path.relative_to(landing)
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, destination)
    after = run_measured(
        history,
        warehouse,
        history.parent / "reports",
        scale,
        sampler,
        period=newest.key,
        incremental=True,
    )
    return {
        "period": newest.key,
        "new_files": len(new_files),
        "history_run": before,
        "incremental_run": after,
    }


def measure_cli_one_period(folder: Path, landing: Path, scale: Scale) -> dict:
    """`bma-pipeline run` as a person types it, for the first period's files (its
    submissions, its minutes and the plans received by then): wall time of the whole command,
    Python, Dagster and dbt start-up included, on a new warehouse."""
    from bma_pipeline.fiscal import Period

    period = Period(scale.fiscal_years[0], 1)
    base = folder / "cli_one_period"
    shutil.rmtree(base, ignore_errors=True)
    (base / "dagster_home").mkdir(parents=True)
    shutil.copy(LOCAL_INSTANCE, base / "dagster_home" / "dagster.yaml")
    as_of = f"{period.due_date() + timedelta(days=10)}T09:00:00"
    cutoff = datetime.fromisoformat(as_of).replace(tzinfo=ZoneInfo("Asia/Bangkok")).timestamp()
    _link_tree(
        landing,
        base / "landing",
        keep=lambda p: (
            _of_period(p, period.key) or (p.parent.name == "plans" and p.stat().st_mtime <= cutoff)
        ),
    )
    command = [
        str(Path(sys.executable).with_name("bma-pipeline")),
        "run",
        "--landing",
        str(base / "landing"),
        "--warehouse",
        str(base / "warehouse.duckdb"),
        "--reports",
        str(base / "reports"),
        "--as-of",
        as_of,
        "--period",
        period.key,
    ]
    env = {**os.environ, "DAGSTER_HOME": str(base / "dagster_home")}
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"bma-pipeline run failed:\n{done.stderr[-2000:]}")
    files = sum(1 for p in (base / "landing").rglob("*") if p.is_file())
    return {"period": period.key, "files": files, "seconds": seconds}


# ---- reporting ---------------------------------------------------------------------------

# The yardstick before the baseline was made honest (per-row `executemany` of the file
# metadata, a UTF-8 decode of every file then a second decode of the cp874 ones) and before
# the landing held plans and minutes: benchmarks/results/README.md as measured 2026-11-30.
OLD_BASELINE = (
    "Before (old baseline, landing without plans or minutes, measured 2026-11-30): "
    "bangkok 30.74 s vs 2.78 s = 11.0×; bangkok10 82.7 s vs 28.23 s = 2.9×; "
    "nationwide 565.66 s vs 106.3 s = 5.3×, peak RSS 2,169 MB; one period at bangkok scale "
    "42.4 s; bangkok10 increment 38 %."
)
# Issue 18's targets: (label, value of a result or None, limit, unit).
TARGETS = (
    ("bangkok end to end / baseline", "bangkok", "e2e_ratio", 4.0, "×"),
    ("`bma-pipeline run`, one new period (bangkok)", "bangkok", "one_period_s", 20.0, " s"),
    (
        "bangkok10 increment (one new period / full rebuild)",
        "bangkok10",
        "increment_pct",
        15.0,
        " %",
    ),
    (
        "nationwide end to end / honest baseline (reports excluded from both)",
        "nationwide",
        "e2e_without_reports_ratio",
        6.0,
        "×",
    ),
    ("nationwide intake / raw read floor", "nationwide", "intake_floor_ratio", 5.0, "×"),
    ("nationwide peak RSS (process tree)", "nationwide", "peak_rss_mb", 1536.0, " MB"),
)


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 1) if b else None


def _mb(value: float | None) -> int | None:
    """Bytes as MiB; None for a figure the result does not hold (measured before it was)."""
    return round(value / 2**20) if value else None


def headline(result: dict) -> dict[str, float | None]:
    """The figures issue 18's targets are about, for one scale."""
    pipeline, baseline = result["pipeline"]["seconds"], result["baseline"]["seconds"]
    floor = result["floor"]["seconds"]["floor"]
    out: dict[str, float | None] = {
        "e2e_s": round(pipeline["end to end"], 2),
        "baseline_s": round(baseline["end to end"], 2),
        "e2e_ratio": _ratio(pipeline["end to end"], baseline["end to end"]),
        "floor_s": round(floor, 2),
        "intake_floor_ratio": _ratio(pipeline["intake"], floor),
        "e2e_floor_ratio": _ratio(pipeline["end to end"], floor),
        # The baseline writes no reports: issue 18 compares nationwide without them.
        "e2e_without_reports_ratio": _ratio(
            pipeline["end to end"] - pipeline["reports"],
            baseline["end to end"] - baseline["reports"],
        ),
        # The process tree (this process and dbt's) while the measured pipeline run ran.
        "peak_rss_mb": round(result["pipeline"]["peak_rss"]["end to end"] / 2**20),
        "peak_pss_mb": _mb(result["pipeline"].get("peak_pss", {}).get("end to end")),
        "one_period_s": None,
        "increment_pct": None,
    }
    if "cli_one_period" in result:
        out["one_period_s"] = round(result["cli_one_period"]["seconds"], 1)
    if "incremental" in result:
        one = result["incremental"]["incremental_run"]["seconds"]["end to end"]
        out["increment_pct"] = round(100 * one / pipeline["end to end"], 1)
    return out


def rows_of(result: dict) -> list[dict[str, object]]:
    rows = []
    n_rows = result["pipeline"]["counts"]["rows_received"]
    for stage in (*STAGES, "end to end"):
        pipeline_s = result["pipeline"]["seconds"][stage]
        baseline_s = result["baseline"]["seconds"][stage]
        rows.append(
            {
                "scale": result["scale"],
                "stage": stage,
                "rows": n_rows,
                "pipeline_s": round(pipeline_s, 2),
                "baseline_s": round(baseline_s, 2),
                "ratio": _ratio(pipeline_s, baseline_s),
                "pipeline_rows_per_s": round(n_rows / pipeline_s) if pipeline_s else None,
                "baseline_rows_per_s": round(n_rows / baseline_s) if baseline_s else None,
                "pipeline_peak_rss_mb": round(result["pipeline"]["peak_rss"][stage] / 2**20),
                "baseline_peak_rss_mb": round(result["baseline"]["peak_rss"][stage] / 2**20),
            }
        )
    # What the stages leave out of end to end: for the pipeline, building the definitions and
    # the run (Dagster stores the planned-asset and planned-check events before the first
    # step), the publish gate, and step start/stop; for the baseline, next to nothing.
    pipeline_other = result["pipeline"]["seconds"]["end to end"] - sum(
        result["pipeline"]["seconds"][stage] for stage in STAGES
    )
    baseline_other = result["baseline"]["seconds"]["end to end"] - sum(
        result["baseline"]["seconds"][stage] for stage in STAGES
    )
    rows.insert(
        len(STAGES),
        {
            "scale": result["scale"],
            "stage": OTHER,
            "rows": n_rows,
            "pipeline_s": round(pipeline_other, 2),
            "baseline_s": round(baseline_other, 2),
            "ratio": None,
            "pipeline_rows_per_s": None,
            "baseline_rows_per_s": None,
            "pipeline_peak_rss_mb": None,
            "baseline_peak_rss_mb": None,
        },
    )
    floor = result["floor"]
    pipeline_intake = result["pipeline"]["seconds"]["intake"]
    rows.append(
        {
            "scale": result["scale"],
            "stage": "intake vs raw read floor (cp874 decode + one read_csv)",
            "rows": n_rows,
            "pipeline_s": round(pipeline_intake, 2),
            "baseline_s": round(floor["seconds"]["floor"], 2),
            "ratio": _ratio(pipeline_intake, floor["seconds"]["floor"]),
            "pipeline_rows_per_s": round(n_rows / pipeline_intake) if pipeline_intake else None,
            "baseline_rows_per_s": None,
            "pipeline_peak_rss_mb": round(result["pipeline"]["peak_rss"]["intake"] / 2**20),
            "baseline_peak_rss_mb": round(
                max(floor["peak_rss"]["cp874 decode"], floor["peak_rss"]["read_csv"]) / 2**20
            ),
        }
    )
    return rows


def _cell(value: object) -> str:
    if value is None:
        return "–"
    return f"{value:,}" if isinstance(value, int) else str(value)


def markdown(result: dict, rows: list[dict[str, object]]) -> str:
    header = [
        "stage",
        "pipeline s",
        "baseline s",
        "ratio",
        "pipeline rows/s",
        "baseline rows/s",
        "pipeline peak RSS MB",
        "baseline peak RSS MB",
    ]
    keys = [
        "stage",
        "pipeline_s",
        "baseline_s",
        "ratio",
        "pipeline_rows_per_s",
        "baseline_rows_per_s",
        "pipeline_peak_rss_mb",
        "baseline_peak_rss_mb",
    ]
    head = headline(result)
    floor = result["floor"]
    lines = [
        f"# Benchmark: {result['scale']}",
        "",
        f"{result['files']} submission files, {result['plan_files']} plan workbooks, "
        f"{result['minutes_files']} minutes workbooks; "
        f"{result['pipeline']['counts']['rows_received']:,} submission rows "
        f"({result['pipeline']['counts']['rows_quarantined']:,} quarantined"
        + (
            f"; {result['pipeline']['counts']['files_incomplete']:,} files held back by "
            "intake's settle check as `incomplete`, their modification times being in the "
            "future: not in these figures"
            if result["pipeline"]["counts"].get("files_incomplete")
            else ""
        )
        + "), fiscal years "
        f"{result['fiscal_years'][0]}–{result['fiscal_years'][-1]}; {os.cpu_count()} cores; "
        f"measured {result['measured_at']}. Load averages (1, 5, 15 min): "
        f"{result['load_at_start']} at the start, {result['load_after_warm_up']} after the "
        f"warm-up, {result['load_at_end']} at the end. Peak RSS includes dbt's subprocess; "
        f"the process tree's peak during the measured pipeline run: {head['peak_rss_mb']:,} MB "
        f"(over the whole measurement, baseline and floor included: "
        f"{round(result['peak_rss_process_tree'] / 2**20):,} MB)"
        + (
            f"; its peak PSS, which counts a page that forked report workers share with the "
            f"run's process once, sampled every second: {head['peak_pss_mb']:,} MB."
            if head["peak_pss_mb"]
            else "."
        ),
        "",
        "Baseline: `benchmarks/baseline.py` (plain DuckDB; file metadata in as one Arrow "
        "table, cp874 decoded in one pass). Raw read floor: "
        f"{floor['counts']['csv_files']} CSV files ({floor['counts']['csv_lines']:,} lines), "
        f"cp874 decode {floor['seconds']['cp874 decode']:.2f} s + one multi-file `read_csv` "
        f"{floor['seconds']['read_csv']:.2f} s = **{floor['seconds']['floor']:.2f} s**; the "
        f"{floor['counts']['xlsx_files']} XLSX submissions are not in it (openpyxl → CSV "
        f"{floor['seconds']['xlsx to csv']:.2f} s).",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" + "---:|" * (len(header) - 1),
    ]
    for row in rows:
        lines.append("| " + " | ".join(_cell(row[k]) for k in keys) + " |")
    if "incremental" in result:
        inc = result["incremental"]
        full = result["pipeline"]["seconds"]["end to end"]
        one = inc["incremental_run"]["seconds"]["end to end"]
        lines += [
            "",
            f"Incremental: {inc['new_files']} files of {inc['period']} (submissions and "
            f"minutes) added to a warehouse holding every earlier period; `--incremental` run "
            f"{one:.1f} s = {100 * one / full:.0f}% of the full rebuild ({full:.1f} s). Stages "
            "of that run: "
            + ", ".join(
                f"{k} {v:.1f} s"
                for k, v in inc["incremental_run"]["seconds"].items()
                if k != "end to end"
            ),
        ]
    if "cli_one_period" in result:
        cli = result["cli_one_period"]
        lines += [
            "",
            f"`bma-pipeline run` for one period ({cli['period']}, {cli['files']} files: its "
            f"submissions and minutes and the plans received by then; new warehouse), wall "
            f"time including Python, Dagster and dbt start-up: {cli['seconds']:.1f} s.",
        ]
    steps = sorted(result["pipeline"]["steps"].items(), key=lambda kv: -kv[1])
    lines += [
        "",
        "Slowest Dagster steps of the measured run: "
        + ", ".join(f"`{k}` {v:.1f} s" for k, v in steps[:8])
        + ".",
    ]
    return "\n".join(lines) + "\n"


def summary_markdown(results: list[dict]) -> str:
    """One table over every scale measured so far (the newest result file of each)."""
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`BENCH_SCALES` picks scales); one row per scale, the pipeline "
        "against the plain-DuckDB baseline (`benchmarks/baseline.py`) measured in the same "
        "process run, on a landing folder with plan workbooks, minutes (not at nationwide) "
        "and submissions. Ratio = pipeline seconds / baseline seconds; floor = the raw read "
        "floor (cp874 decode + one multi-file DuckDB `read_csv` over the CSV submissions). "
        "Per-scale tables: `<scale>.md`, raw numbers `<scale>.csv` and `<scale>.json`; "
        "profiles: `profile_*.md`.",
        "",
        "| scale | rows | "
        + " | ".join(f"{stage} ratio" for stage in STAGES)
        + " | end to end s (baseline s) | end-to-end ratio | without reports ratio | floor s "
        "| intake / floor | peak RSS MB | peak PSS MB | load start → end |",
        "|---|---:|" + "---:|" * (len(STAGES) + 7) + "---|",
    ]
    heads = {}
    for result in results:
        rows = {row["stage"]: row for row in rows_of(result)}
        total = rows["end to end"]
        head = heads[result["scale"]] = headline(result)
        lines.append(
            f"| {result['scale']} | {total['rows']:,} | "
            + " | ".join(str(rows[stage]["ratio"]) for stage in STAGES)
            + f" | {total['pipeline_s']} ({total['baseline_s']}) | **{total['ratio']}** | "
            f"{head['e2e_without_reports_ratio']} | {head['floor_s']} | "
            f"{head['intake_floor_ratio']} | {head['peak_rss_mb']:,} | "
            f"{_cell(head['peak_pss_mb'])} | {result['load_at_start']} → {result['load_at_end']} |"
        )
    extra = []
    for result in results:
        if "incremental" in result:
            inc = result["incremental"]
            full = result["pipeline"]["seconds"]["end to end"]
            one = inc["incremental_run"]["seconds"]["end to end"]
            extra.append(
                f"- Incremental ({result['scale']}): one new period ({inc['period']}) after "
                f"{len(result['fiscal_years'])} years loaded: {one:.1f} s = "
                f"**{100 * one / full:.0f}%** of the full rebuild ({full:.1f} s)."
            )
        if "cli_one_period" in result:
            cli = result["cli_one_period"]
            extra.append(
                f"- `bma-pipeline run`, one period at {result['scale']} scale "
                f"({cli['files']} files), start-up included: **{cli['seconds']:.1f} s**."
            )
    targets = [
        "",
        "Issue 18's targets:",
        "",
        "| target | limit | measured | |",
        "|---|---:|---:|---|",
    ]
    for label, scale, key, limit, unit in TARGETS:
        value = heads.get(scale, {}).get(key)
        if value is None:
            verdict, shown = "not measured", "–"
        else:
            verdict = "met" if value <= limit else f"missed by {value - limit:.1f}{unit}"
            shown = f"{value}{unit}"
        targets.append(f"| {label} | ≤ {limit:g}{unit} | {shown} | {verdict} |")
    measured = sorted({r["measured_at"] for r in results})
    lines += [
        "",
        *extra,
        *targets,
        "",
        OLD_BASELINE,
        "",
        f"Measured {', '.join(measured)} on {os.cpu_count()} cores (other jobs may share "
        "them: see the load averages).",
    ]
    return "\n".join(lines) + "\n"


def write_summary(results_dir: Path) -> str:
    results = []
    for name in SCALES:
        path = results_dir / f"{name}.json"
        if path.exists():
            result = json.loads(path.read_text())
            if "floor" in result:  # a result of this benchmark (not of the old yardstick)
                results.append(result)
    text = summary_markdown(results)
    (results_dir / "README.md").write_text(text, encoding="utf-8")
    return text


def write_results(result: dict, results_dir: Path) -> list[dict[str, object]]:
    results_dir.mkdir(parents=True, exist_ok=True)
    rows = rows_of(result)
    with (results_dir / f"{result['scale']}.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (results_dir / f"{result['scale']}.md").write_text(markdown(result, rows), encoding="utf-8")
    (results_dir / f"{result['scale']}.json").write_text(json.dumps(result, indent=1))
    (results_dir / f"profile_dbt_{result['scale']}.md").write_text(
        dbt_profile_markdown(result), encoding="utf-8"
    )
    return rows


def dbt_profile_markdown(result: dict, n: int = 15) -> str:
    dbt = result.get("dbt_nodes") or {}
    nodes = dbt.get("nodes", [])
    total = sum(node["seconds"] for node in nodes)
    steps = result["pipeline"]["steps"]
    lines = [
        f"# Profile: dbt at {result['scale']} scale, top {n} nodes",
        "",
        f"From `{dbt.get('file')}` after the measured run: the run's one dbt invocation "
        f"(every model with its tests); {len(nodes)} nodes, {total:.1f} s summed over nodes "
        f"({dbt.get('threads') or '?'} thread(s)), dbt's elapsed "
        f"{dbt.get('elapsed') or 0:.1f} s. The Dagster step `bma_dbt_models` took "
        f"{steps.get('bma_dbt_models', 0):.1f} s — what the node times leave out is "
        "dbt's start-up, parse and per-node overhead.",
        "",
        "| node | status | s |",
        "|---|---|---:|",
        *(f"| `{node['node']}` | {node['status']} | {node['seconds']:.2f} |" for node in nodes[:n]),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default=os.getenv("BENCH_SCALES", " ".join(SCALES)))
    parser.add_argument("--work", default=str(ROOT / "data" / "bench"))
    parser.add_argument("--results", default=str(ROOT / "benchmarks" / "results"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    work = Path(args.work).resolve()
    if args.child:
        result = measure_scale(args.child, work)
        result["measured_at"] = datetime.now().isoformat(timespec="minutes")
        print(json.dumps(result))
        return 0
    for name in args.scales.replace(",", " ").split():
        scale_of(name)
        started = time.perf_counter()
        print(f"== {name}: generating (cached) and measuring …", flush=True)
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.run", "--child", name, "--work", str(work)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            print(done.stderr[-4000:], file=sys.stderr)
            return 1
        result = json.loads(done.stdout.strip().splitlines()[-1])
        rows = write_results(result, Path(args.results))
        print(markdown(result, rows))
        print(
            f"   ({time.perf_counter() - started:.0f} s including generation "
            f"{result['generate_s']:.0f} s if not cached)",
            flush=True,
        )
    print(write_summary(Path(args.results)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
