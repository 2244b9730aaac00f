"""Asset checks on the plan ledger: nothing lost, nothing counted twice (as for submissions)."""

from bma_pipeline.columns import PLAN
from bma_pipeline.defs.plans.assets import PLAN_QUARANTINED_ROWS
from bma_pipeline.defs.validation.checks import workbook_conservation_check

plan_ledger_conservation = workbook_conservation_check(PLAN, PLAN_QUARANTINED_ROWS, "plan")
