"""Writing output files so that a full or failing disk is named, and never leaves a torn file.

What belongs here: replacing a file atomically (a temp file beside it, flushed, then renamed
over it) and turning an `OSError` on an output folder into one message that names the path
and the free space left. What does not: what the files hold (summaries, reports, Data Docs).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Files get the mode a plain open() would give them (mkstemp's 0600 would hide them from readers).
_UMASK = os.umask(0)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK


class OutputNotWritten(Exception):
    """An output could not be written; the message names the path and the free space."""


def _size(n_bytes: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n_bytes < 1024 or unit == "GiB":
            return f"{n_bytes:.0f} {unit}" if unit == "B" else f"{n_bytes:.1f} {unit}"
        n_bytes /= 1024
    raise AssertionError("unreachable")


def free_space(path: Path) -> str:
    """Free space on the disk that holds `path` (or its nearest existing parent)."""
    probe = Path(path)
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        usage = shutil.disk_usage(probe)
    except OSError as exc:
        return f"free space unknown ({exc.strerror or exc})"
    return f"{_size(usage.free)} free of {_size(usage.total)}"


def describe_failure(what: str, path: Path, exc: OSError) -> str:
    """`could not write <what> at <path>: <error>; <free> on that disk` (plus the file the
    error names, when it is not `path` itself)."""
    error = exc.strerror or str(exc)
    if exc.errno is not None:
        error = f"[Errno {exc.errno}] {error}"
    where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(path) else ""
    return f"could not write {what} at {path}{where}: {error}; {free_space(path)} on that disk"


# Errors that say the disk or folder refused the write (others, e.g. a missing template, pass).
REFUSED = {
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EFBIG,
    errno.EROFS,
    errno.EACCES,
    errno.EPERM,
    errno.EIO,
}


def _refused(exc: BaseException) -> OSError | None:
    """The refused write behind an error, also when a library wrapped it (XlsxWriter's
    FileCreateError carries the OSError it caught)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in REFUSED:
            return exc
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return None


@contextlib.contextmanager
def output_errors(what: str, path: Path) -> Iterator[None]:
    """Re-raise a refused write inside as `OutputNotWritten` naming `what`, `path` and the
    free space; any other error passes unchanged."""
    try:
        yield
    except Exception as exc:
        refused = _refused(exc)
        if refused is None:
            raise
        raise OutputNotWritten(describe_failure(what, path, refused)) from exc


def write_atomically(path: Path, data: str | bytes, encoding: str = "utf-8") -> None:
    """Replace `path` with `data`: readers see the old file or the new one, never a part; when
    writing fails the old file stays as it was and the temp file is removed."""
    payload = data.encode(encoding) if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), FILE_MODE)
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
