"""Output files are replaced whole, and a refused write is named with its path and free space.

The refusals here are simulated by making the flush to disk fail with ENOSPC (a real full
disk is `publish/test_full_reports_disk.py`'s subject, where namespaces allow a tmpfs).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from bma_pipeline import outputs
from bma_pipeline.outputs import OutputNotWritten, output_errors, write_atomically


def _disk_full(_fd: int) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_file_is_replaced_whole_with_a_plain_file_s_mode(tmp_path: Path):
    path = tmp_path / "run_summary.json"
    write_atomically(path, '{"สรุป": 1}')
    write_atomically(path, '{"สรุป": 2}')
    assert path.read_text(encoding="utf-8") == '{"สรุป": 2}'
    assert stat.S_IMODE(path.stat().st_mode) == outputs.FILE_MODE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run_summary.json"]


def test_a_refused_write_keeps_the_previous_file_and_leaves_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "run_summary.json"
    write_atomically(path, "previous")
    monkeypatch.setattr(outputs.os, "fsync", _disk_full)
    with pytest.raises(OutputNotWritten) as caught, output_errors("the run summary", path):
        write_atomically(path, "new")
    assert path.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run_summary.json"]
    message = str(caught.value)
    assert message.startswith(f"could not write the run summary at {path}: [Errno 28]")
    assert "No space left on device" in message and " free of " in message


def test_a_refusal_wrapped_by_a_library_is_recognised(tmp_path: Path):
    class FileCreateError(Exception):  # the shape of XlsxWriter's error
        pass

    with (
        pytest.raises(OutputNotWritten, match="feedback files at .*Disk quota exceeded"),
        output_errors("feedback files", tmp_path),
    ):
        try:
            raise OSError(errno.EDQUOT, "Disk quota exceeded")
        except OSError as exc:
            raise FileCreateError(exc)  # noqa: B904 - the library's own shape: context only


def test_other_errors_pass_unchanged(tmp_path: Path):
    with pytest.raises(FileNotFoundError), output_errors("a report", tmp_path):
        (tmp_path / "missing" / "template.j2").read_text()
    with pytest.raises(ValueError), output_errors("a report", tmp_path):
        raise ValueError("a bug, not a disk")
