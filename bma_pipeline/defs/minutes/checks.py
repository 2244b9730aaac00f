"""Asset checks of the meeting cycle: the minutes ledger loses nothing and counts nothing twice;
the commitments overdue as of the run are shown."""

import dagster as dg

from bma_pipeline.columns import MINUTES
from bma_pipeline.defs.metadata import markdown_table
from bma_pipeline.defs.minutes.assets import MINUTES_QUARANTINED_ROWS
from bma_pipeline.defs.resources import WarehouseResource
from bma_pipeline.defs.validation.checks import workbook_conservation_check
from bma_pipeline.minutes.overdue import overdue_commitments

minutes_ledger_conservation = workbook_conservation_check(
    MINUTES, MINUTES_QUARANTINED_ROWS, "minutes"
)


@dg.asset_check(
    asset=dg.AssetKey(["marts", "mart_commitments"]),
    name="commitments_overdue",
    description="Warns while any commitment from an H–R meeting is open past its due date "
    "(as of the run): how many, which turned overdue since the previous day, and each one's "
    "unit, owner and days overdue. The daily compliance run shows it.",
    blocking=False,
)
def commitments_overdue(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as wh:
        overdue = overdue_commitments(wh)
    new = overdue[overdue["is_new"]]
    shown = overdue.head(50)
    table = markdown_table(
        ("H unit", "commitment", "owner", "policy", "due", "days overdue", "new"),
        [
            (r.h_unit_code, r.commitment_id, r.owner_unit, r.policy_code, str(r.due_date)[:10],
             int(r.days_overdue_now), "yes" if r.is_new else "")
            for r in shown.itertuples(index=False)
        ],
    )  # fmt: skip
    return dg.AssetCheckResult(
        passed=overdue.empty,
        severity=dg.AssetCheckSeverity.WARN,
        description=(
            f"{len(overdue)} commitment(s) overdue, {len(new)} since the previous day"
            if not overdue.empty
            else "no commitment is overdue"
        ),
        metadata={
            "n_overdue": len(overdue),
            "n_new_overdue": len(new),
            "new_overdue": ", ".join(f"{r.h_unit_code}/{r.commitment_id}" for r in new.itertuples())
            or "none",
            "overdue": dg.MetadataValue.md(table if not overdue.empty else "none"),
        },
    )
