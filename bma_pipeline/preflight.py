"""Checks of what an operator hands the `bma-pipeline` command, before anything runs.

What belongs here: whether the folders, the warehouse path or URL and DAGSTER_HOME given to
a command can be used, each failure as one `OperatorError` line that names the path or host
and says what to do. What does not: checks of the data (intake, validation) or of the marts
(the publish gate). A mistake found here costs a second; found mid-run, it costs the run and
shows as a traceback from deep inside a step.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

from bma_pipeline.warehouse import WarehouseLocation

PG_CONNECT_TIMEOUT_S = 5


class OperatorError(Exception):
    """A path, URL or setting the command cannot use; the message is the whole story."""


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _probe_writable(folder: Path) -> OSError | None:
    """The error writing a file in `folder` gives, or None (access bits lie to root)."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".bma-write-check-"):
            pass
    except OSError as exc:
        return exc
    return None


def landing_folder(path: Path) -> Path:
    """The landing folder, which must exist and be readable (units upload into it)."""
    if not path.exists():
        raise OperatorError(
            f"landing folder {path} does not exist: pass --landing the folder units upload "
            "into (landing/<unit_code>/<file>), or create it"
        )
    if not path.is_dir():
        raise OperatorError(f"landing folder {path} is a file, not a folder: pass its folder")
    try:
        next(path.iterdir(), None)
    except OSError as exc:
        raise OperatorError(
            f"landing folder {path} cannot be read ({_reason(exc)}): give this user read "
            "access to it"
        ) from exc
    return path


def writable_folder(path: Path, what: str, option: str) -> Path:
    """`path`, created if missing, once a file can be written in it."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OperatorError(
            f"{what} {path} cannot be created ({_reason(exc)}): pass {option} a folder "
            "this user can write"
        ) from exc
    problem = _probe_writable(path)
    if problem is not None:
        raise OperatorError(
            f"{what} {path} is not writable ({_reason(problem)}): pass {option} a folder "
            "this user can write, or fix its permissions"
        ) from problem
    return path


def _postgres_reachable(location: WarehouseLocation) -> None:
    import psycopg

    url = urlparse(location.target.replace("postgresql+psycopg://", "postgresql://"))
    where = (
        f"{url.hostname or 'localhost'}:{url.port or 5432}/{(url.path or '/').lstrip('/')} "
        f"as {unquote(url.username or 'the current user')}"
    )
    try:
        psycopg.connect(
            location.target.replace("postgresql+psycopg://", "postgresql://"),
            connect_timeout=PG_CONNECT_TIMEOUT_S,
        ).close()
    except psycopg.Error as exc:
        detail = " ".join(str(exc).split())  # psycopg's message spans lines
        raise OperatorError(
            f"cannot connect to the PostgreSQL warehouse at {where} ({detail}): check that "
            "the server runs and that --warehouse names the right host, port, database and user"
        ) from exc


def warehouse(path_or_url: str) -> WarehouseLocation:
    """The warehouse location, once a DuckDB file there can be written or PostgreSQL answers."""
    location = WarehouseLocation.parse(path_or_url)
    if location.kind == "postgres":
        _postgres_reachable(location)
        return location
    path = Path(location.target)
    if path.is_dir():
        raise OperatorError(
            f"warehouse {path} is a folder: pass --warehouse a file, e.g. {path}/warehouse.duckdb"
        )
    writable_folder(path.parent, "warehouse folder", "--warehouse")
    if path.exists():
        try:
            path.open("r+b").close()
        except OSError as exc:
            raise OperatorError(
                f"warehouse {path} cannot be written ({_reason(exc)}): fix its permissions "
                "or pass --warehouse another file"
            ) from exc
    return location


def dagster_home(value: str | None) -> Path | None:
    """The Dagster instance folder from DAGSTER_HOME, or None (empty or unset: in memory)."""
    if not value:
        return None
    path = Path(value).expanduser().resolve()
    if not path.is_dir():
        state = "is not a folder" if path.exists() else "does not exist"
        raise OperatorError(
            f"DAGSTER_HOME {path} {state}: create it (mkdir -p {path}) or unset DAGSTER_HOME "
            "to keep this run's history in memory only"
        )
    problem = _probe_writable(path)
    if problem is not None:
        raise OperatorError(
            f"DAGSTER_HOME {path} is not writable ({_reason(problem)}): Dagster records runs "
            "there; fix its permissions or point DAGSTER_HOME at a folder this user can write"
        ) from problem
    return path
