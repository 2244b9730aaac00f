"""`python -m benchmarks.profile`: where intake's time goes at Bangkok scale.

What belongs here: one `ingest_landing` — the function the `submission_intake` asset calls,
with the asset's arguments — over the bangkok benchmark landing (`make bench` generates it)
into a new warehouse, under cProfile, and the top 20 functions by cumulative and by own time
written to `benchmarks/results/profile_bangkok_intake.md`; the same for the minutes
(`ingest_workbooks` for MINUTES, what `minutes_intake` calls) in
`profile_bangkok_minutes_intake.md`. The raw stats stay in `data/bench/bangkok/profile/`.
`--scale nationwide` profiles submission intake over the first `--units` unit folders of the
nationwide landing (1,000 units: ~6,200 CSV files) into `profile_nationwide_intake.md`.
What does not: the dbt profile (`make bench` writes `profile_dbt_<scale>.md` from dbt's
run_results.json) or timing the whole run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent


def _top(stats: pstats.Stats, key: str, n: int = 20) -> str:
    buffer = io.StringIO()
    stats.stream = buffer
    stats.sort_stats(key).print_stats(n)
    text = buffer.getvalue()
    # Keep the table: from the header line on, with paths shortened to the package.
    body = text[text.index("   ncalls") :] if "   ncalls" in text else text
    for prefix in (str(ROOT) + "/", str(Path(pd.__file__).parents[1]) + "/"):
        body = body.replace(prefix, "")
    return body.rstrip()


def _unit_subset(landing: Path, subset: Path, n_units: int) -> Path:
    """The submissions of the first `n_units` unit folders, hard-linked (same bytes and mtime)."""
    for unit in sorted(p for p in landing.iterdir() if p.is_dir())[:n_units]:
        for path in unit.iterdir():
            if path.is_file():
                (subset / unit.name).mkdir(parents=True, exist_ok=True)
                os.link(path, subset / unit.name / path.name)
    return subset


def main(argv: list[str] | None = None) -> int:
    from bma_pipeline.defs.resources import PipelineSettings
    from bma_pipeline.intake.ledger import ingest_landing
    from bma_pipeline.reference.catalog import CITY_DIR
    from bma_pipeline.warehouse import connect

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", default=str(ROOT / "data" / "bench"))
    parser.add_argument("--results", default=str(ROOT / "benchmarks" / "results"))
    parser.add_argument(
        "--scale",
        choices=("bangkok", "nationwide"),
        default="bangkok",
        help="nationwide: submission intake over the first --units unit folders (CSV only)",
    )
    parser.add_argument("--units", type=int, default=1000)
    args = parser.parse_args(argv)
    scale = args.scale
    landing = Path(args.work) / scale / "landing"
    if not landing.is_dir():
        raise SystemExit(f"no {landing}: run `BENCH_SCALES={scale} make bench` first")
    scratch = Path(args.work) / scale / "profile"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    units_csv = CITY_DIR / "units.csv"
    if scale == "nationwide":
        units_csv = Path(args.work) / scale / "reference" / "units.csv"
        landing = _unit_subset(landing, scratch / "landing", args.units)
    settings = PipelineSettings(landing_dir=str(landing), reports_dir=str(scratch / "reports"))
    known_units = set(pd.read_csv(units_csv, dtype=str)["unit_code"])
    for path in landing.rglob("*"):  # the page cache, as the measured runs have it
        if path.is_file():
            path.read_bytes()
    from bma_pipeline.columns import MINUTES
    from bma_pipeline.intake.workbook_ledger import ingest_workbooks

    def submissions(wh):  # noqa: ANN001, ANN202
        return ingest_landing(
            wh,
            settings.landing_path,
            known_units,
            max_bytes=settings.max_file_bytes,
            settle_seconds=settings.settle_seconds,
        )

    def minutes(wh):  # noqa: ANN001, ANN202
        return ingest_workbooks(
            wh,
            settings.landing_path,
            MINUTES,
            known_units,
            max_bytes=settings.max_file_bytes,
            settle_seconds=settings.settle_seconds,
        )

    profiles = [
        ("intake", submissions, "`ingest_landing` (what the `submission_intake` asset calls)"),
        (
            "minutes_intake",
            minutes,
            "`ingest_workbooks(…, MINUTES, …)` (what the `minutes_intake` asset calls)",
        ),
    ]
    if scale == "nationwide":  # no minutes at that scale
        profiles = profiles[:1]
    where = f"`data/bench/{scale}/landing`" + (
        f" (its first {args.units} unit folders)" if scale == "nationwide" else ""
    )
    for name, call, what in profiles:
        profiler = cProfile.Profile()
        with connect(str(scratch / f"{name}.duckdb")) as wh:
            started = time.perf_counter()
            profiler.enable()
            report = call(wh)
            profiler.disable()
            seconds = time.perf_counter() - started
        profiler.dump_stats(str(scratch / f"{name}.prof"))
        stats = pstats.Stats(profiler)
        text = "\n".join(
            [
                f"# Profile: {name.replace('_', ' ')} at {scale} scale",
                "",
                f"{what} over {where} into a new warehouse: "
                f"{report.rows_ingested:,} rows ingested in {seconds:.2f} s under cProfile "
                "(profiling adds overhead; compare the shares, not the seconds, with "
                f"`{scale}.md`). Written by `python -m benchmarks.profile`.",
                "",
                "## Top 20 by cumulative time",
                "",
                "```",
                _top(stats, "cumulative"),
                "```",
                "",
                "## Top 20 by own time",
                "",
                "```",
                _top(stats, "tottime"),
                "```",
                "",
            ]
        )
        (Path(args.results) / f"profile_{scale}_{name}.md").write_text(text, encoding="utf-8")
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
