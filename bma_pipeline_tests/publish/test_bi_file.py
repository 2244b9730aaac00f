"""Readers never meet the writer on DuckDB: the published bi file can be opened read-only at
any moment of a run, and a new build replaces it whole."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import duckdb
import pytest

from bma_pipeline.cli import run_pipeline
from bma_pipeline.publish.publish import bi_file_of, published_marts
from bma_pipeline.warehouse import WarehouseLocation, connect
from bma_sample.submissions import generate_submissions

pytestmark = pytest.mark.slow

# A BI tool polling the published file: open read-only, read, close, until told to stop.
READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import duckdb

    bi_file, stop = sys.argv[1], Path(sys.argv[2])
    probes, errors, seen = 0, [], []
    while True:
        try:
            con = duckdb.connect(bi_file, read_only=True)
            try:
                latest = con.execute(
                    "select max(period_no) from bi.mart_submission_compliance "
                    "where n_rows_accepted > 0"
                ).fetchone()[0]
                con.execute("select count(*) from bi.mart_unit_progress").fetchone()
            finally:
                con.close()
            if not seen or seen[-1] != latest:
                seen.append(latest)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        probes += 1
        if probes == 1:
            print("reading", flush=True)
        if stop.exists():
            break
        time.sleep(0.05)
    print(json.dumps({"probes": probes, "errors": errors[:5], "n_errors": len(errors),
                      "seen": seen}))
    """
)


def test_the_bi_file_sits_beside_the_warehouse(tmp_path):
    location = WarehouseLocation.parse(tmp_path / "data" / "warehouse.duckdb")
    assert bi_file_of(location) == tmp_path / "data" / "warehouse.bi.duckdb"
    assert bi_file_of(WarehouseLocation.parse("postgresql://postgres@h:5432/bma")) is None


def test_a_reader_of_the_bi_file_meets_no_error_during_a_run(tmp_path):
    landing, warehouse, reports = tmp_path / "landing", tmp_path / "w.duckdb", tmp_path / "r"
    generate_submissions(landing, 2566, [1], seed=3)
    assert run_pipeline(landing, str(warehouse), reports, as_of="2023-01-15T00:00:00").success
    bi_file = tmp_path / "w.bi.duckdb"
    assert bi_file.is_file()

    # The P2 files land; a reader polls the bi file while the run for them writes.
    generate_submissions(landing, 2566, [2], seed=3)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(bi_file), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "reading"
        rerun = run_pipeline(landing, str(warehouse), reports, as_of="2023-03-01T00:00:00")
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=120)
    assert rerun.success
    polled = json.loads(out.strip().splitlines()[-1])
    assert polled["n_errors"] == 0, polled["errors"]
    # It read the first build, then the second (swapped in whole while it kept polling).
    assert polled["seen"] == [1, 2]
    assert polled["probes"] > 2

    # The file holds exactly what the warehouse publishes in `bi`, mart by mart.
    with connect(str(warehouse), read_only=True) as wh:
        published = {m: wh.query(f"select * from bi.{m}") for m in published_marts()}
    con = duckdb.connect(str(bi_file), read_only=True)
    try:
        for mart, frame in published.items():
            assert con.execute(f"select * from bi.{mart}").df().equals(frame), mart
    finally:
        con.close()
    assert sorted(p.name for p in tmp_path.glob("*.tmp")) == []
