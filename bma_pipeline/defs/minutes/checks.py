"""Asset checks on the minutes ledger: nothing lost, nothing counted twice."""

from bma_pipeline.columns import MINUTES
from bma_pipeline.defs.minutes.assets import MINUTES_QUARANTINED_ROWS
from bma_pipeline.defs.validation.checks import workbook_conservation_check

minutes_ledger_conservation = workbook_conservation_check(
    MINUTES, MINUTES_QUARANTINED_ROWS, "minutes"
)
