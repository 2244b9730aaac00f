"""`make bench`: the pipeline against a plain-SQL baseline at three scales.

What belongs here: generating (and caching) each scale's landing folder and catalogue,
running the pipeline once after a warm-up and the DuckDB baseline once, in one process
per scale, timing stages from Dagster's own step events, sampling the memory of the
process tree, the incremental case at Bangkok × 10 years, and writing the results under
`benchmarks/results/`. What does not: anything `make test` runs.

Scales (BENCH_SCALES / --scales): `bangkok` (the shipped catalogue, one fiscal year,
6 periods), `bangkok10` (the same over 10 fiscal years), `nationwide` (7,850 units ×
50 KPIs × 6 periods, CSV only).
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
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCALES = ("bangkok", "bangkok10", "nationwide")
STAGES = ("reference", "intake", "validation", "dbt build", "reports")
OTHER = "other (run set-up, publish gate)"
SEED = 7
# Dagster steps → benchmark stages (asset checks of a layer count with that layer).
STEP_STAGES = {
    "reference_tables": "reference",
    "submission_intake": "intake",
    "raw__quarantined_rows": "validation",
    "raw__quarantined_rows_ledger_conservation": "validation",
    "raw__quarantined_rows_quarantine_rate_per_unit": "validation",
    "bma_dbt_models": "dbt build",
    "bma_dbt_period_models": "dbt build",
    "run_summary": "reports",
    "submission_feedback": "reports",
    "executive_dashboard": "reports",
    "meeting_reports": "reports",
    "report_index": "reports",
}


@dataclass(frozen=True)
class Scale:
    name: str
    fiscal_years: tuple[int, ...]
    csv_only: bool

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
        # Ten years ending within the partitions, so the newest period is a partition key.
        last = min(2575, LAST_FISCAL_YEAR)
        return Scale(name, tuple(range(last - 9, last + 1)), csv_only=False)
    if name == "nationwide":
        return Scale(name, (2566,), csv_only=True)
    raise SystemExit(f"unknown scale {name!r}; choose from {', '.join(SCALES)}")


# ---- memory ------------------------------------------------------------------------------


def _tree_rss_bytes(root: int) -> int:
    """Resident memory of `root` and all its descendants (dbt runs as a subprocess)."""
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
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(child for child, parent in parents.items() if parent == pid)
    return total


class MemorySampler:
    """Samples the process tree's RSS every `interval` s; `peak(a, b)` over a time window."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        pid = os.getpid()
        while not self._stop.is_set():
            self.samples.append((time.time(), _tree_rss_bytes(pid)))
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def peak(self, start: float = 0.0, end: float = float("inf")) -> int:
        """Peak over the window, counting the last sample before it (short stages)."""
        before = [rss for t, rss in self.samples if t < start][-1:]
        return max([*before, *(rss for t, rss in self.samples if start <= t <= end)], default=0)


# ---- data --------------------------------------------------------------------------------


@contextlib.contextmanager
def _csv_only(enabled: bool) -> Iterator[None]:
    """Write CSV where the generator would write XLSX (openpyxl is too slow at 2.4 M rows)."""
    from bma_pipeline import generator

    original = generator._write_file
    if not enabled:
        yield
        return

    def write_csv(folder, stem, file_format, *args, **kwargs):  # noqa: ANN001, ANN202
        return original(
            folder, stem, "csv-utf8" if file_format == "xlsx" else file_format, *args, **kwargs
        )

    generator._write_file = write_csv
    try:
        yield
    finally:
        generator._write_file = original


def build_catalog(scale: Scale):  # noqa: ANN201 - returns a Catalog
    from bma_pipeline.reference import synthetic

    if scale.name == "nationwide":
        return synthetic.nationwide_catalog(fiscal_years=scale.fiscal_years)
    return synthetic.catalog_for_years(list(scale.fiscal_years))


def prepare(scale: Scale, work: Path) -> dict[str, float]:
    """The scale's catalogue CSVs and landing folder, generated once and reused (stamp file)."""
    from bma_sample.submissions import generate_submissions
    from bma_sample.synthetic import write_catalog

    folder = work / scale.name
    stamp = folder / "stamp.json"
    want = {"years": list(scale.fiscal_years), "seed": SEED, "csv_only": scale.csv_only}
    if stamp.exists() and json.loads(stamp.read_text()).get("want") == want:
        return json.loads(stamp.read_text())["info"]
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    catalog = build_catalog(scale)
    write_catalog(catalog, folder / "catalog")
    n_rows = n_files = 0
    with _csv_only(scale.csv_only):
        for year in scale.fiscal_years:
            report = generate_submissions(
                folder / "landing", year, [1, 2, 3, 4, 5, 6], SEED, catalog=catalog
            )
            n_rows += report.n_rows
            n_files += len(report.files_written)
    info = {"generate_s": time.perf_counter() - started, "rows": n_rows, "files": n_files}
    stamp.write_text(json.dumps({"want": want, "info": info}))
    return info


def use_catalog(directory: Path) -> None:
    """Point the pipeline's `load_catalog()` at a synthetic catalogue for this process."""
    from bma_pipeline.reference import catalog

    catalog.DATA_DIR = directory
    catalog.load_catalog.cache_clear()


def _link_tree(
    source: Path, target: Path, keep: Callable[[Path], bool] = lambda _: True
) -> list[Path]:
    """Hard-link `source/<unit>/<file>` into `target` (same bytes and mtime) where `keep`;
    the files not kept."""
    skipped = []
    for path in sorted(source.glob("*/*")):
        if not keep(path):
            skipped.append(path)
            continue
        (target / path.parent.name).mkdir(parents=True, exist_ok=True)
        os.link(path, target / path.parent.name / path.name)
    return skipped


# ---- measuring ---------------------------------------------------------------------------


def run_measured(
    landing: Path,
    warehouse: Path,
    reports: Path,
    scale: Scale,
    sampler: MemorySampler,
    period: str | None = None,
    incremental: bool = False,
) -> dict[str, dict[str, float]]:
    """One `bma-pipeline run` in-process; seconds and peak RSS per stage and end to end."""
    import dagster as dg

    from bma_pipeline.cli import run_pipeline

    if not incremental:
        # A new warehouse: the file and any write-ahead log an earlier run left beside it;
        # new reports (an earlier run's would let this one skip unchanged periods).
        warehouse.unlink(missing_ok=True)
        warehouse.with_name(warehouse.name + ".wal").unlink(missing_ok=True)
        shutil.rmtree(reports, ignore_errors=True)
    started_wall, started = time.time(), time.perf_counter()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        result = run_pipeline(
            landing,
            str(warehouse),
            reports,
            as_of=scale.as_of,
            quiet=True,
            period=period or scale.last_period,
            incremental=incremental,
        )
    elapsed, ended_wall = time.perf_counter() - started, time.time()
    if not result.success:
        raise RuntimeError(f"pipeline run failed at scale {scale.name}")
    seconds = dict.fromkeys(STAGES, 0.0)
    peaks = dict.fromkeys(STAGES, 0)
    logs = dg.DagsterInstance.get().all_logs(result.run_id)
    starts = {}
    for entry in logs:
        event = entry.dagster_event
        if event is None or event.step_key not in STEP_STAGES:
            continue
        stage = STEP_STAGES[event.step_key]
        if event.event_type_value == "STEP_START":
            starts[event.step_key] = entry.timestamp
        elif event.event_type_value == "STEP_SUCCESS":
            seconds[stage] += entry.timestamp - starts[event.step_key]
            peaks[stage] = max(peaks[stage], sampler.peak(starts[event.step_key], entry.timestamp))
    seconds["end to end"] = elapsed
    peaks["end to end"] = sampler.peak(started_wall, ended_wall)
    return {"seconds": seconds, "peak_rss": peaks}


def run_baseline_measured(
    landing: Path, catalog_dir: Path, work: Path, scale: Scale, sampler: MemorySampler
) -> dict[str, dict[str, float]]:
    from benchmarks.baseline import run_baseline

    seconds: dict[str, float] = {}
    peaks: dict[str, float] = {}

    @contextlib.contextmanager
    def stage(name: str) -> Iterator[None]:
        wall, started = time.time(), time.perf_counter()
        yield
        seconds[name] = time.perf_counter() - started
        peaks[name] = sampler.peak(wall, time.time())

    scratch = work / "baseline_files"
    shutil.rmtree(scratch, ignore_errors=True)
    wall, started = time.time(), time.perf_counter()
    counts = run_baseline(
        landing,
        catalog_dir,
        work / "baseline.duckdb",
        scratch,
        datetime.fromisoformat(scale.as_of),
        stage,
    )
    seconds["end to end"] = time.perf_counter() - started
    peaks["end to end"] = sampler.peak(wall, time.time())
    return {"seconds": seconds, "peak_rss": peaks, "counts": counts}


def warm_up(folder: Path, landing: Path, scale: Scale) -> None:
    """Imports, the page cache, and dbt's parse for this warehouse: one small run on one unit's
    files, writing the warehouse path the measured run then recreates. dbt keeps a target
    folder per warehouse, so the measured run starts as every run after a deployment's first
    does; a first run on a new warehouse parses the project once more (`cli_one_period`)."""
    for path in landing.glob("*/*"):
        path.read_bytes()
    tiny = folder / "warmup" / "landing"
    shutil.rmtree(tiny.parent, ignore_errors=True)
    first_unit = sorted(p for p in landing.iterdir() if p.is_dir())[0]
    shutil.copytree(first_unit, tiny / first_unit.name)
    with MemorySampler() as sampler:
        run_measured(tiny, folder / "warehouse.duckdb", tiny.parent / "reports", scale, sampler)


def measure_scale(name: str, work: Path) -> dict:
    """Everything for one scale, in this process (the parent starts one process per scale)."""
    scale = scale_of(name)
    folder = work / scale.name
    info = prepare(scale, folder.parent)
    use_catalog(folder / "catalog")
    os.environ["DAGSTER_HOME"] = str(folder / "dagster_home")
    shutil.rmtree(folder / "dagster_home", ignore_errors=True)
    (folder / "dagster_home").mkdir(parents=True)
    # No telemetry, and no first-run banner in the measured process.
    (folder / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    landing = folder / "landing"
    warm_up(folder, landing, scale)
    result: dict = {"scale": name, "fiscal_years": list(scale.fiscal_years), **info}
    with MemorySampler() as sampler:
        result["pipeline"] = run_measured(
            landing, folder / "warehouse.duckdb", folder / "reports", scale, sampler
        )
        result["baseline"] = run_baseline_measured(
            landing, folder / "catalog", folder, scale, sampler
        )
        if name == "bangkok10":
            result["incremental"] = measure_incremental(folder, landing, scale, sampler)
    if name == "bangkok":
        result["cli_one_period"] = measure_cli_one_period(folder, landing, scale)
    from bma_pipeline.warehouse import connect

    with connect(str(folder / "warehouse.duckdb"), read_only=True) as wh:
        result["pipeline"]["counts"] = {
            "rows_received": int(wh.scalar("select count(*) from raw.submission_rows")),
            "rows_quarantined": int(wh.scalar("select count(*) from raw.quarantined_rows")),
        }
    return result


def measure_incremental(folder: Path, landing: Path, scale: Scale, sampler: MemorySampler) -> dict:
    """The newest period's files arrive after everything before them is loaded."""
    from bma_pipeline.fiscal import Period

    newest = Period.from_key(scale.last_period)
    history = folder / "incremental" / "landing"
    shutil.rmtree(history.parent, ignore_errors=True)
    new_files = _link_tree(landing, history, keep=lambda p: not p.name.startswith(newest.key))
    warehouse = history.parent / "warehouse.duckdb"
    before = run_measured(
        history, warehouse, history.parent / "reports", scale, sampler, period=newest.previous().key
    )
    for path in new_files:
        os.link(path, history / path.parent.name / path.name)
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
    """`bma-pipeline run` as a person types it, for the first period's files: wall time of the
    whole command, Python, Dagster and dbt start-up included, on a new warehouse."""
    from bma_pipeline.fiscal import Period

    period = Period(scale.fiscal_years[0], 1)
    base = folder / "cli_one_period"
    shutil.rmtree(base, ignore_errors=True)
    (base / "dagster_home").mkdir(parents=True)
    (base / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    _link_tree(landing, base / "landing", keep=lambda p: p.name.startswith(period.key))
    as_of = f"{period.due_date() + timedelta(days=10)}T09:00:00"
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
    files = sum(1 for _ in (base / "landing").glob("*/*"))
    return {"period": period.key, "files": files, "seconds": seconds}


# ---- reporting ---------------------------------------------------------------------------


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
                "ratio": round(pipeline_s / baseline_s, 1) if baseline_s else None,
                "pipeline_rows_per_s": round(n_rows / pipeline_s) if pipeline_s else None,
                "baseline_rows_per_s": round(n_rows / baseline_s) if baseline_s else None,
                "pipeline_peak_rss_mb": round(result["pipeline"]["peak_rss"][stage] / 2**20),
                "baseline_peak_rss_mb": round(result["baseline"]["peak_rss"][stage] / 2**20),
            }
        )
    # What the stages leave out of end to end: for the pipeline, building the definitions and
    # the run (Dagster stores ~250 planned-asset and planned-check events before the first step),
    # the unit feedback files, and step start/stop; for the baseline, next to nothing.
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
    lines = [
        f"# Benchmark: {result['scale']}",
        "",
        f"{result['files']} files, {result['pipeline']['counts']['rows_received']:,} rows "
        f"({result['pipeline']['counts']['rows_quarantined']:,} quarantined), fiscal years "
        f"{result['fiscal_years'][0]}–{result['fiscal_years'][-1]}; {os.cpu_count()} cores; "
        f"measured {result['measured_at']}. Peak RSS includes dbt's subprocess.",
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
            f"Incremental: {inc['new_files']} files of {inc['period']} added to a warehouse "
            f"holding every earlier period; `--incremental` run {one:.1f} s = "
            f"{100 * one / full:.0f}% of the full rebuild ({full:.1f} s). Stages of that run: "
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
            f"`bma-pipeline run` for one period ({cli['period']}, {cli['files']} files, new "
            f"warehouse), wall time including Python, Dagster and dbt start-up: "
            f"{cli['seconds']:.1f} s.",
        ]
    return "\n".join(lines) + "\n"


def summary_markdown(results: list[dict]) -> str:
    """One table over every scale measured so far (the newest result file of each)."""
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`BENCH_SCALES` picks scales); one row per scale, the pipeline "
        "against the plain-DuckDB baseline measured in the same process run. Ratio = pipeline "
        "seconds / baseline seconds. Per-scale tables: `<scale>.md`, raw numbers `<scale>.csv` "
        "and `<scale>.json`.",
        "",
        "| scale | rows | "
        + " | ".join(f"{stage} ratio" for stage in STAGES)
        + " | end to end s (baseline s) | end-to-end ratio | pipeline rows/s | peak RSS MB |",
        "|---|---:|" + "---:|" * (len(STAGES) + 4),
    ]
    for result in results:
        rows = {row["stage"]: row for row in rows_of(result)}
        total = rows["end to end"]
        lines.append(
            f"| {result['scale']} | {total['rows']:,} | "
            + " | ".join(str(rows[stage]["ratio"]) for stage in STAGES)
            + f" | {total['pipeline_s']} ({total['baseline_s']}) | **{total['ratio']}** | "
            f"{total['pipeline_rows_per_s']:,} | {total['pipeline_peak_rss_mb']:,} |"
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
    measured = sorted({r["measured_at"] for r in results})
    lines += ["", *extra, "", f"Measured {', '.join(measured)} on {os.cpu_count()} cores."]
    return "\n".join(lines) + "\n"


def write_summary(results_dir: Path) -> str:
    results = []
    for name in SCALES:
        path = results_dir / f"{name}.json"
        if path.exists():
            results.append(json.loads(path.read_text()))
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
    return rows


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
