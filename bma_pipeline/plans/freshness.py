"""Whether schema plans must be built again: a fingerprint of what it is built from.

Schema plans is a function of the accepted plan files received by the run's as-of time (each
file's ledger entry, how many of its rows were ingested and quarantined, when it was judged),
the city's dimensions (a policy's dimension names) and the plan code. Every run builds it
as of its own as-of time, but a new plan file is rare: most runs bring submissions only, and
rebuilding ten years of versions, validity and targets for them costs seconds every time
(bangkok10: 6 s of a one-period run). So the plan step hashes those inputs, compares the hash
with the one stored in `plans.build_inputs` by the build that wrote the schema, and leaves the
schema as it is when they match. The hash is written in the same transaction as the tables, so
the stamp never describes tables it did not write.

What does not belong here: building the tables (`versions.py`, `store.py`).
"""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime
from pathlib import Path

import pandas as pd

from bma_pipeline.columns import PLAN, PLAN_BUILD, PLAN_TABLES, PLANS_SCHEMA
from bma_pipeline.intake.ledger import BANGKOK
from bma_pipeline.plans.versions import received_by
from bma_pipeline.warehouse import Warehouse


@functools.cache
def code_fingerprint() -> str:
    """The plan code and the column registry: a change of rule or of layout rebuilds."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), package.parent / "columns.py"]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def plan_inputs(wh: Warehouse, as_of: datetime) -> pd.DataFrame:
    """The ledger entries of the judged plan files received by `as_of` (rows counted at
    intake, rows quarantined), in file order."""
    files = wh.query(
        f"""
        with quarantined_counts as (
            select file_id, count(*) as n_quarantined
            from {PLAN.quarantine.qualified} group by file_id
        )
        select f.file_id, f.unit_folder, f.file_name, f.path, f.sha256, f.received_at,
               f.validated_at, f.n_rows, coalesce(q.n_quarantined, 0) as n_quarantined
        from {PLAN.files.qualified} f
        left join quarantined_counts q on q.file_id = f.file_id
        where f.outcome = 'ingested' and f.validated_at is not null
        order by f.file_id
        """
    )
    return received_by(files, as_of).reset_index(drop=True)


def inputs_fingerprint(wh: Warehouse, as_of: datetime) -> tuple[str, int]:
    """(fingerprint, number of plan files it counts) of what schema plans as of `as_of` reads."""
    files = plan_inputs(wh, as_of)
    dimensions = wh.query(
        "select dimension_code, name_th, name_en from reference.dimensions order by dimension_code"
    )
    digest = hashlib.sha256(code_fingerprint().encode())
    for frame in (files, dimensions):
        digest.update("|".join(frame.columns).encode())
        for row in frame.itertuples(index=False):
            digest.update("\x1f".join("" if pd.isna(v) else str(v) for v in row).encode())
            digest.update(b"\x1e")
    return digest.hexdigest(), len(files)


def stored_fingerprint(wh: Warehouse) -> str | None:
    """The fingerprint the last build of schema plans recorded; None when any of its tables is
    missing (never built, or dropped since)."""
    tables = (*PLAN_TABLES, PLAN_BUILD)
    if not all(wh.table_exists(PLANS_SCHEMA, table.name) for table in tables):
        return None
    found = wh.query(f"select fingerprint from {PLAN_BUILD.qualified}")
    return str(found["fingerprint"].iloc[0]) if len(found) == 1 else None


def record_build(wh: Warehouse, fingerprint: str, n_plan_files: int) -> None:
    """Stamp schema plans with the fingerprint of what it was just built from (call inside the
    transaction that wrote the tables)."""
    built_at = datetime.now(BANGKOK).replace(tzinfo=None, microsecond=0)
    frame = pd.DataFrame(
        {"fingerprint": [fingerprint], "n_plan_files": [n_plan_files], "built_at": [built_at]}
    )
    wh.replace(PLANS_SCHEMA, PLAN_BUILD.name, frame, PLAN_BUILD.sql_types)
