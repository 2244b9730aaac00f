"""A full reports disk does not stop publishing: `bi` switches, the docs and reports fail
with the path and the free space, and no summary is left torn.

The disk is real: a 512 KiB tmpfs mounted over the reports folder in a private mount
namespace (`unshare --user --map-root-user --mount`), filled to its last byte after a
previous run summary was put there. The run happens in that namespace's process; the
warehouse lives on the ordinary disk. Where unprivileged namespaces or tmpfs mounts are
not allowed, the test is skipped with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bma_pipeline.publish.publish import published_marts
from bma_sample.submissions import generate_submissions

pytestmark = pytest.mark.slow
AS_OF = "2023-01-15T00:00:00"
UNSHARE = ["unshare", "--user", "--map-root-user", "--mount"]
PREVIOUS_SUMMARY = '{"previous": "summary of the last run that could write it"}'

# Runs inside the namespace: mount, fill, run the pipeline, report what happened as JSON.
SCRIPT = textwrap.dedent(
    """
    import json, subprocess, sys
    from pathlib import Path

    landing, warehouse, reports = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    previous = sys.argv[4]
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(reports)], check=True)
    (reports / "run_summary.json").write_text(previous, encoding="utf-8")
    try:
        with open(reports / "filler", "wb") as filler:
            while True:
                filler.write(b"\\0" * 4096)
                filler.flush()
    except OSError:
        pass

    import dagster as dg
    from bma_pipeline.cli import run_pipeline

    result = run_pipeline(landing, warehouse, reports, as_of=sys.argv[5], quiet=True)
    failures = {
        e.step_key: e.event_specific_data.error.to_string()
        for e in result.all_events if e.is_step_failure
    }
    checks = {
        c.check_name: {
            "passed": c.passed,
            "severity": c.severity.value,
            "description": c.description,
        }
        for c in result.get_asset_check_evaluations()
    }
    logs = dg.DagsterInstance.get().all_logs(result.run_id)
    warnings = [l.user_message for l in logs if l.level >= 30 and l.dagster_event is None]
    files = {
        p.relative_to(reports).as_posix(): p.stat().st_size
        for p in reports.rglob("*") if p.is_file() and p.name != "filler"
    }
    print(json.dumps({
        "success": result.success,
        "failures": failures,
        "checks": checks,
        "warnings": warnings,
        "files": files,
        "summary": (reports / "run_summary.json").read_text(encoding="utf-8"),
    }))
    """
)


def _namespaces_allowed(tmp_path: Path) -> str | None:
    if shutil.which("unshare") is None:
        return "no unshare(1) here"
    probe = tmp_path / "probe"
    probe.mkdir()
    done = subprocess.run(
        [*UNSHARE, "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)],
        capture_output=True,
        text=True,
    )
    return None if done.returncode == 0 else f"cannot mount a tmpfs: {done.stderr.strip()}"


def test_a_full_reports_disk_still_publishes_bi_and_names_the_path(tmp_path):
    problem = _namespaces_allowed(tmp_path)
    if problem:
        pytest.skip(problem)
    landing, reports, warehouse = tmp_path / "landing", tmp_path / "reports", tmp_path / "w.duckdb"
    reports.mkdir()
    generate_submissions(landing, 2566, [1], seed=3)
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    done = subprocess.run(
        [*UNSHARE, sys.executable, "-c", SCRIPT]
        + [str(landing), str(warehouse), str(reports), PREVIOUS_SUMMARY, AS_OF],
        capture_output=True,
        text=True,
        env={**os.environ, "DAGSTER_HOME": str(home)},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])

    # Publishing went through: the gate passed, bi (views and the bi file) is this build.
    import duckdb

    from bma_pipeline.warehouse import connect

    assert "bi__published_marts" not in outcome["failures"]
    with connect(str(warehouse), read_only=True) as wh:
        built = {m: int(wh.scalar(f"select count(*) from marts.{m}")) for m in published_marts()}
        views = {m: int(wh.scalar(f"select count(*) from bi.{m}")) for m in published_marts()}
    bi_file = duckdb.connect(str(tmp_path / "w.bi.duckdb"), read_only=True)
    published = {
        m: bi_file.execute(f"select count(*) from bi.{m}").fetchone()[0] for m in published_marts()
    }
    bi_file.close()
    assert views == built == published
    assert built["mart_submission_compliance"] > 0

    # The Data Docs could not be written: a warning on the run, with the folder and free space.
    docs = outcome["checks"]["data_docs_written"]
    assert (docs["passed"], docs["severity"]) == (False, "WARN")
    assert f"{reports}/data_docs/gx" in docs["description"]
    assert "No space left on device" in docs["description"]
    assert "free of 512.0 KiB" in docs["description"]
    assert any("Data Docs" in w and "published regardless" in w for w in outcome["warnings"])

    # The run summary fails with its path and the free space; the previous one is intact.
    summary_error = outcome["failures"]["run_summary"]
    assert f"{reports}/run_summary.json" in summary_error
    assert "No space left on device" in summary_error and "free of 512.0 KiB" in summary_error
    assert outcome["summary"] == PREVIOUS_SUMMARY
    assert not [name for name in outcome["files"] if name.startswith(".run_summary")]
    # The rendered reports fail the same way, each naming where it writes.
    for step in ("executive_dashboard", "meeting_reports", "submission_feedback"):
        error = outcome["failures"][step]
        assert f"at {reports}" in error and "free of 512.0 KiB" in error, step
    assert not outcome["success"]
