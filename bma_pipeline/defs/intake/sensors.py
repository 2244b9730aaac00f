"""The landing sensor: each new or changed file triggers one run for its period.

The cursor maps each file's landing path to its size and modification time, so a
file seen once is not seen again, a replaced file is seen as new, and simulated
(old) modification times cannot hide a file the way a "newest mtime" cursor would.
"""

import hashlib
import json
from collections import defaultdict
from pathlib import Path

import dagster as dg

from bma_pipeline.defs.jobs import period_pipeline_job
from bma_pipeline.defs.partitions import period_partitions
from bma_pipeline.defs.resources import PipelineSettings
from bma_pipeline.fiscal import Period
from bma_pipeline.intake.ledger import iter_landing_paths, received_at_of
from bma_pipeline.intake.placement import BY_RECEIVED_TIME, place_file


def _signature(path: Path) -> str:
    stat = path.lstat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def evaluate_landing(
    landing: Path, cursor: dict[str, str], max_bytes: int
) -> tuple[list[dg.RunRequest], dict[str, str], list[str]]:
    """Run requests for new or changed files, the next cursor, and placement notes."""
    landing = landing.resolve()
    seen: dict[str, str] = {}
    changed: dict[str, list[str]] = defaultdict(list)
    notes: list[str] = []
    paths = list(iter_landing_paths(landing)) if landing.is_dir() else []
    for path in paths:
        relative = path.relative_to(landing).as_posix()
        signature = _signature(path)
        seen[relative] = signature
        if cursor.get(relative) == signature:
            continue
        unit = relative.split("/", 1)[0] if "/" in relative else ""
        placement = place_file(path, unit, received_at_of(path), max_bytes)
        key = placement.key
        if placement.how == BY_RECEIVED_TIME:
            notes.append(
                f"{relative}: no readable period in its rows; placed in {key} by its received time"
            )
        if not period_partitions.has_partition_key(key):
            # Any period's run ingests every new file, so the nearest partition takes it.
            keys = period_partitions.get_partition_keys()
            nearest = keys[0] if Period.from_key(key) < Period.from_key(keys[0]) else keys[-1]
            notes.append(f"{relative}: period {key} is outside the partitions; run in {nearest}")
            key = nearest
        changed[key].append(f"{relative}@{signature}")
    requests = [
        dg.RunRequest(
            run_key=f"{period}:{hashlib.sha1('|'.join(sorted(files)).encode()).hexdigest()[:16]}",
            partition_key=period,
            tags={"bma/trigger": "landing-sensor", "bma/files": str(len(files))},
        )
        for period, files in sorted(changed.items())
    ]
    return requests, seen, notes


@dg.sensor(
    name="landing_sensor",
    job=period_pipeline_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Watches the landing folder; one run per period with new or changed files.",
)
def landing_sensor(
    context: dg.SensorEvaluationContext, settings: PipelineSettings
) -> dg.SensorResult:
    cursor = json.loads(context.cursor) if context.cursor else {}
    requests, seen, notes = evaluate_landing(settings.landing_path, cursor, settings.max_file_bytes)
    for note in notes:
        context.log.warning(note)
    if not requests:
        return dg.SensorResult(
            skip_reason=f"no new files in {settings.landing_path}", cursor=json.dumps(seen)
        )
    return dg.SensorResult(run_requests=requests, cursor=json.dumps(seen, sort_keys=True))
