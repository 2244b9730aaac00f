"""The landing sensor: each new or changed whole file triggers one run for each period it
touches — a submission its period, a plan every period it takes effect in that has been
reported (stored rows or files arriving in the same tick; when none has, the latest reported
period, whose run ingests it), minutes the meeting's period.

The ledger is the record of what has been seen: a file whose path, size and modification
time (or, for a touched file or an older record without an mtime, whose bytes) the ledger
holds launches nothing, so the first tick after `bma-pipeline run` filled the warehouse
requests no run. The cursor (path → size:mtime_ns) only remembers what the sensor already
requested, so a file is not requested twice before its run has written it to the ledger.
Only settled files are requested (the same rule as intake, `ledger.is_settled`); names
upload tools write under are ignored. The ledger is read read-only, and when another
process holds the warehouse the tick is skipped: the landing is looked at again next tick.
Plans (`<unit>/plans/`) and minutes (`<unit>/meetings/`) are held by their own ledgers.
"""

import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import dagster as dg

from bma_pipeline.columns import WORKBOOKS, Workbook
from bma_pipeline.defs.jobs import period_pipeline_job
from bma_pipeline.defs.partitions import period_partitions
from bma_pipeline.defs.resources import PipelineSettings, WarehouseResource
from bma_pipeline.defs.retries import transient_error_types
from bma_pipeline.fiscal import Period
from bma_pipeline.intake.ledger import (
    DEFAULT_SETTLE_SECONDS,
    LedgerView,
    is_in_progress_name,
    is_settled,
    iter_landing_paths,
    read_ledger_view,
    received_at_of,
    signature_of,
)
from bma_pipeline.intake.placement import (
    BY_RECEIVED_TIME,
    Placement,
    place_file,
    place_workbook,
    reported_period_keys,
)

# A tick waits this long for a run holding the warehouse before it skips (ticks are ~60 s apart).
LEDGER_LOCK_TIMEOUT_S = 2.0


@dataclass
class LandingEvaluation:
    """What a tick found; unpacks as (run_requests, cursor, notes)."""

    run_requests: list[dg.RunRequest]
    cursor: dict[str, str]
    notes: list[str]  # files placed by received time or outside the partitions
    settling: list[str] = field(default_factory=list)  # not requested: still being written

    def __iter__(self) -> Iterator[object]:
        return iter((self.run_requests, self.cursor, self.notes))


def workbook_kind(relative_path: str) -> Workbook | None:
    """The workbook kind of a landing path (`<unit>/plans/…`, `<unit>/meetings/…`), or None
    for a submission."""
    parts = PurePosixPath(relative_path).parts
    if len(parts) < 3:
        return None
    return next((kind for kind in WORKBOOKS if kind.folder == parts[1]), None)


def evaluate_landing(
    landing: Path,
    cursor: dict[str, str],
    max_bytes: int,
    ledger: LedgerView | None = None,
    settle_seconds: float = DEFAULT_SETTLE_SECONDS,
    now: float | None = None,
    workbook_ledgers: Mapping[str, LedgerView] | None = None,
    reported_periods: Callable[[], frozenset[str]] = frozenset,
) -> LandingEvaluation:
    """Run requests for settled files that neither their ledger (`ledger` for submissions,
    `workbook_ledgers[kind name]` for plans and minutes) nor the cursor holds.
    `reported_periods` gives the period keys stored submission rows report; it is asked only
    when a new plan is found."""
    landing = landing.resolve()
    submissions = ledger or LedgerView()
    workbook_ledgers = workbook_ledgers or {}
    now = time.time() if now is None else now
    result = LandingEvaluation([], {}, [])
    changed: dict[str, list[str]] = defaultdict(list)
    plans: list[tuple[str, list[str]]] = []  # (file@signature, the periods it takes effect in)
    paths = list(iter_landing_paths(landing)) if landing.is_dir() else []
    for path in paths:
        relative = path.relative_to(landing).as_posix()
        if is_in_progress_name(relative):
            continue
        kind = workbook_kind(relative)
        ledger = submissions if kind is None else workbook_ledgers.get(kind.name, LedgerView())
        size, mtime_ns = signature_of(path)
        signature = f"{size}:{mtime_ns}"
        if cursor.get(relative) == signature or ledger.holds(relative, size, mtime_ns):
            result.cursor[relative] = signature
            continue
        if not is_settled(size, mtime_ns, now, settle_seconds, ledger.waiting.get(relative)):
            result.settling.append(relative)  # not in the cursor: looked at again next tick
            continue
        result.cursor[relative] = signature
        if not path.is_symlink() and ledger.holds_bytes(relative, size, path):
            continue
        keys = _partition_keys(path, relative, kind, max_bytes, result.notes)
        if kind is not None and kind.name == "plan":
            plans.append((f"{relative}@{signature}", keys))
            continue
        for key in keys:
            changed[key].append(f"{relative}@{signature}")
    # A plan changes the periods from the one it takes effect in; of those, the ones already
    # reported (stored or arriving now) need a run. Later periods run when their files come
    # and read the plan then in force. A plan ahead of every report is ingested by the run of
    # the latest reported period (any run ingests every new file), or of its first period.
    reported = (reported_periods() if plans else frozenset()) | set(changed)
    latest = max(reported, key=Period.from_key, default=None)
    for file, keys in plans:
        touched = [key for key in keys if key in reported] or [latest or keys[0]]
        for key in touched:
            changed[key].append(file)
    result.run_requests = [
        dg.RunRequest(
            run_key=f"{period}:{hashlib.sha1('|'.join(sorted(files)).encode()).hexdigest()[:16]}",
            partition_key=period,
            tags={"bma/trigger": "landing-sensor", "bma/files": str(len(files))},
        )
        for period, files in sorted(changed.items())
    ]
    return result


def _partition_keys(
    path: Path, relative: str, kind: Workbook | None, max_bytes: int, notes: list[str]
) -> list[str]:
    """The partitions a file's runs go to, with a note for each placement by received time or
    outside the partitions."""
    received = received_at_of(path)
    placements: list[Placement]
    if kind is None:
        unit = relative.split("/", 1)[0] if "/" in relative else ""
        placements = [place_file(path, unit, received, max_bytes)]
    else:
        placements = place_workbook(path, kind, received, max_bytes)
    keys: list[str] = []
    for placement in placements:
        key = placement.key
        if placement.how == BY_RECEIVED_TIME:
            notes.append(
                f"{relative}: no readable period in its rows; placed in {key} by its received time"
            )
        if not period_partitions.has_partition_key(key):
            # Any period's run ingests every new file, so the nearest partition takes it.
            all_keys = period_partitions.get_partition_keys()
            first, last = all_keys[0], all_keys[-1]
            nearest = first if Period.from_key(key) < Period.from_key(first) else last
            notes.append(f"{relative}: period {key} is outside the partitions; run in {nearest}")
            key = nearest
        if key not in keys:
            keys.append(key)
    return keys


def read_reported_periods(warehouse: WarehouseResource) -> frozenset[str]:
    """The period keys stored submission rows report, read read-only (none without a
    warehouse); raises a transient database error as `read_ledgers` does."""
    try:
        with warehouse.connect(read_only=True, lock_timeout_s=LEDGER_LOCK_TIMEOUT_S) as wh:
            return reported_period_keys(wh)
    except FileNotFoundError:
        return frozenset()


def read_ledgers(warehouse: WarehouseResource) -> dict[str, LedgerView]:
    """Every files ledger, opened read-only: "" for submissions, then one per workbook kind
    (empty views when there is no warehouse yet).

    Raises a transient database error (`WarehouseBusy`, DuckDB's lock conflict, an
    unreachable PostgreSQL) when they cannot be read now.
    """
    try:
        with warehouse.connect(read_only=True, lock_timeout_s=LEDGER_LOCK_TIMEOUT_S) as wh:
            views = {"": read_ledger_view(wh)}
            views.update({kind.name: read_ledger_view(wh, kind.files) for kind in WORKBOOKS})
            return views
    except FileNotFoundError:
        return {"": LedgerView(), **{kind.name: LedgerView() for kind in WORKBOOKS}}


@dg.sensor(
    name="landing_sensor",
    job=period_pipeline_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Watches the landing folder; one run per period with new or changed whole "
    "files that the ledger does not hold yet.",
)
def landing_sensor(
    context: dg.SensorEvaluationContext,
    settings: PipelineSettings,
    warehouse: WarehouseResource,
) -> dg.SensorResult:
    cursor = json.loads(context.cursor) if context.cursor else {}
    try:
        ledgers = read_ledgers(warehouse)
        found = evaluate_landing(
            settings.landing_path,
            cursor,
            settings.max_file_bytes,
            ledger=ledgers[""],
            settle_seconds=settings.settle_seconds,
            workbook_ledgers=ledgers,
            reported_periods=lambda: read_reported_periods(warehouse),
        )
    except transient_error_types() as exc:
        return dg.SensorResult(
            skip_reason=f"the ledger in {warehouse.location.display} cannot be read now "
            f"({type(exc).__name__}: {exc}); the landing is looked at again next tick",
            cursor=context.cursor,
        )
    for note in found.notes:
        context.log.warning(note)
    if found.settling:
        context.log.info(
            f"{len(found.settling)} file(s) still being written, requested once unchanged for "
            f"{settings.settle_seconds:g} s: " + ", ".join(found.settling[:20])
        )
    cursor_text = json.dumps(found.cursor, sort_keys=True)
    if not found.run_requests:
        waiting = f"; {len(found.settling)} still being written" if found.settling else ""
        return dg.SensorResult(
            skip_reason=f"no new files in {settings.landing_path}{waiting}", cursor=cursor_text
        )
    return dg.SensorResult(run_requests=found.run_requests, cursor=cursor_text)
