"""Operator mistakes get one line naming the path or host and what to do, and exit code 2.

No traceback, unless `--debug` asks for it. Each case is checked before anything runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bma_pipeline.cli import main
from bma_pipeline.preflight import OperatorError

AS_OF = ["--as-of", "2023-01-05T09:00:00"]


def _unwritable_folder(tmp_path: Path) -> Path:
    """A folder this user cannot write in: permissions, or, as root, a /proc folder."""
    if os.geteuid() != 0:
        folder = tmp_path / "read_only"
        folder.mkdir()
        folder.chmod(0o500)
        return folder
    if not Path("/proc/self").is_dir():
        pytest.skip("running as root with no /proc: no folder here is unwritable")
    return Path("/proc/self").resolve()


def _error_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.fixture
def places(tmp_path: Path, monkeypatch) -> dict[str, str]:
    """Valid arguments for `run` (an empty landing folder, a fresh warehouse), no DAGSTER_HOME."""
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    (tmp_path / "landing").mkdir()
    return {
        "landing": str(tmp_path / "landing"),
        "warehouse": str(tmp_path / "w.duckdb"),
        "reports": str(tmp_path / "reports"),
    }


def _run(places: dict[str, str], *extra: str) -> int:
    argv = ["run", "--landing", places["landing"], "--warehouse", places["warehouse"]]
    return main([*argv, "--reports", places["reports"], *AS_OF, *extra])


def test_a_missing_dagster_home_names_the_folder_and_how_to_fix_it(
    places, tmp_path, monkeypatch, capsys
):
    missing = tmp_path / "no_such_home"
    monkeypatch.setenv("DAGSTER_HOME", str(missing))
    assert _run(places) == 2
    line = _error_line(capsys)
    assert f"DAGSTER_HOME {missing} does not exist: create it (mkdir -p {missing})" in line


def test_a_dagster_home_that_is_a_file_is_refused(places, tmp_path, monkeypatch, capsys):
    home = tmp_path / "home.txt"
    home.write_text("not a folder")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    assert _run(places) == 2
    assert f"DAGSTER_HOME {home} is not a folder" in _error_line(capsys)


def test_an_unwritable_dagster_home_is_refused(places, tmp_path, monkeypatch, capsys):
    home = _unwritable_folder(tmp_path)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    assert _run(places) == 2
    assert f"DAGSTER_HOME {home} is not writable" in _error_line(capsys)


def test_a_missing_landing_folder_is_named(places, tmp_path, capsys):
    places["landing"] = str(tmp_path / "no_landing")
    assert _run(places) == 2
    line = _error_line(capsys)
    assert f"landing folder {tmp_path / 'no_landing'} does not exist: pass --landing" in line


def test_a_reports_folder_that_cannot_be_created_is_named(places, tmp_path, capsys):
    (tmp_path / "a_file").write_text("x")
    places["reports"] = str(tmp_path / "a_file" / "reports")
    assert _run(places) == 2
    line = _error_line(capsys)
    assert f"reports folder {tmp_path / 'a_file' / 'reports'} cannot be created" in line
    assert "pass --reports a folder this user can write" in line


def test_an_unwritable_reports_folder_is_named(places, tmp_path, capsys):
    folder = _unwritable_folder(tmp_path)
    places["reports"] = str(folder)
    assert _run(places) == 2
    assert f"reports folder {folder} is not writable" in _error_line(capsys)


def test_a_warehouse_path_in_an_unwritable_folder_is_named(places, tmp_path, capsys):
    folder = _unwritable_folder(tmp_path)
    places["warehouse"] = str(folder / "w.duckdb")
    assert _run(places) == 2
    assert f"warehouse folder {folder} is not writable" in _error_line(capsys)


def test_a_warehouse_path_that_is_a_folder_is_named(places, tmp_path, capsys):
    places["warehouse"] = str(tmp_path)
    assert _run(places) == 2
    assert f"warehouse {tmp_path} is a folder: pass --warehouse a file" in _error_line(capsys)


def test_a_postgresql_url_that_cannot_connect_names_the_host_without_the_password(places, capsys):
    places["warehouse"] = "postgresql://bma:s3cret@127.0.0.1:1/bma_prod"
    assert _run(places) == 2
    line = _error_line(capsys)
    assert "cannot connect to the PostgreSQL warehouse at 127.0.0.1:1/bma_prod as bma" in line
    assert "check that the server runs" in line
    assert "s3cret" not in line


@pytest.mark.postgres
def test_a_postgresql_database_that_does_not_exist_is_named(places, pg_server_url, capsys):
    places["warehouse"] = pg_server_url.rsplit("/", 1)[0] + "/bma_no_such_database"
    assert _run(places) == 2
    line = _error_line(capsys)
    assert "/bma_no_such_database as " in line
    assert 'database "bma_no_such_database" does not exist' in line


def test_a_memory_limit_duckdb_cannot_read_is_refused(places, capsys):
    assert _run(places, "--duckdb-memory-limit", "lots") == 2
    assert "memory limit 'lots' is not a size DuckDB reads" in _error_line(capsys)


def test_generate_names_an_output_folder_it_cannot_create(tmp_path, capsys):
    (tmp_path / "a_file").write_text("x")
    out = tmp_path / "a_file" / "landing"
    assert main(["generate", "--periods", "1", "--out", str(out)]) == 2
    assert f"landing folder {out} cannot be created" in _error_line(capsys)


def test_generate_into_a_relative_folder_as_make_demo_does(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "--periods", "1", "--out", "data/landing"]) == 0
    out = capsys.readouterr().out
    assert "plan: SED/plans/2566_city_plan.xlsx" in out
    assert f"into {tmp_path / 'data' / 'landing'}" in out
    assert (tmp_path / "data" / "landing" / "SED" / "plans" / "2566_city_plan.xlsx").is_file()


def test_debug_keeps_the_traceback(places, tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "no_such_home"))
    with pytest.raises(OperatorError, match="does not exist"):
        _run(places, "--debug")


def test_the_command_prints_one_line_and_exits_2_without_a_traceback(tmp_path):
    command = [sys.executable, "-m", "bma_pipeline.cli", "run", "--landing", str(tmp_path)]
    command += ["--warehouse", str(tmp_path / "w.duckdb"), "--reports", str(tmp_path / "r")]
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "no_such_home")}
    plain = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert plain.returncode == 2
    assert plain.stderr.count("\n") == 1 and "Traceback" not in plain.stderr, plain.stderr
    debug = subprocess.run(
        [*command, "--debug"], capture_output=True, text=True, env=env, timeout=120
    )
    assert debug.returncode == 1
    assert "Traceback" in debug.stderr and "OperatorError" in debug.stderr
