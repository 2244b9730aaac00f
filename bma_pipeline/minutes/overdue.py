"""The commitments overdue as of the last dbt build: open past their due date (DOMAIN §7).

What belongs here: reading them from `marts.mart_commitments` (its rows at the period being
reported, `status_now = 'overdue'`), most recently overdue first — what the daily compliance
run shows so a commitment that turned overdue since the day before is seen. What does not:
deciding a status (the mart does).
"""

from __future__ import annotations

import pandas as pd

from bma_pipeline.warehouse import Warehouse

# Overdue by at most this many days: turned overdue since the previous daily run.
NEW_WITHIN_DAYS = 1


def overdue_commitments(wh: Warehouse) -> pd.DataFrame:
    """One row per overdue commitment: H unit, id, owner, policy, KPI, due date, days overdue,
    and `is_new` (overdue for at most `NEW_WITHIN_DAYS` days); newest first."""
    rows = wh.query(
        """
        select h_unit_code, commitment_id, owner_unit, policy_code, kpi_code, due_date,
               days_overdue_now, action
        from marts.mart_commitments
        where status_now = 'overdue'
          and fiscal_year * 6 + period_no = (
              select max(fiscal_year * 6 + period_no) from marts.mart_commitments
          )
        """
    )
    rows = rows.drop_duplicates(["h_unit_code", "commitment_id"])
    rows["days_overdue_now"] = rows["days_overdue_now"].astype(int)
    rows["is_new"] = rows["days_overdue_now"] <= NEW_WITHIN_DAYS
    return rows.sort_values(["days_overdue_now", "h_unit_code", "commitment_id"], ignore_index=True)
