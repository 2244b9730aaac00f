"""Schedules, in Asia/Bangkok time.

The rollup fires the day after each period's due date. Periods start on the 1st
of Oct, Dec, Feb, Apr, Jun and Aug, so they end in Nov, Jan, Mar, May, Jul and
Sep and are due `deadline_days` later — in Dec, Feb, Apr, Jun, Aug and Oct. Hence
the month list 2,4,6,8,10,12 (not `*/2`, which means 1,3,5,…).
"""

from datetime import date

import dagster as dg

from bma_pipeline.defs.jobs import compliance_refresh_job, period_pipeline_job
from bma_pipeline.defs.partitions import period_partitions
from bma_pipeline.fiscal import DEFAULT_DEADLINE_DAYS
from bma_pipeline.intake.placement import reporting_period_on

TIMEZONE = "Asia/Bangkok"
DAILY_REFRESH_CRON = "0 7 * * *"


def rollup_cron(deadline_days: int = DEFAULT_DEADLINE_DAYS) -> str:
    """01:00 on the day after the due date, in the months periods fall due."""
    if not 0 <= deadline_days <= 26:
        raise ValueError(
            f"deadline_days must be 0–26 for a monthly day to exist, got {deadline_days}"
        )
    return f"0 1 {deadline_days + 1} 2,4,6,8,10,12 *"


def _outside_partitions(key: str) -> dg.SkipReason | None:
    if period_partitions.has_partition_key(key):
        return None
    return dg.SkipReason(f"period {key} is outside the configured partitions")


def rollup_request(tick: date) -> dg.RunRequest | dg.SkipReason:
    """The rollup on `tick` is for the period that ended before it."""
    period = reporting_period_on(tick)
    if skip := _outside_partitions(period.key):
        return skip
    return dg.RunRequest(
        run_key=f"rollup-{period.key}",
        partition_key=period.key,
        tags={"bma/trigger": "rollup"},
        # The meeting packs and the reports to the executives are printed once the period is due.
        run_config={
            "ops": {
                "meeting_reports": {"config": {"pdf": True}},
                "executive_reports": {"config": {"pdf": True}},
            }
        },
    )


def compliance_request(tick: date) -> dg.RunRequest | dg.SkipReason:
    period = reporting_period_on(tick)
    if skip := _outside_partitions(period.key):
        return skip
    return dg.RunRequest(
        run_key=f"compliance-{tick.isoformat()}",
        partition_key=period.key,
        tags={"bma/trigger": "daily-compliance"},
    )


def build_schedules(deadline_days: int = DEFAULT_DEADLINE_DAYS) -> list[dg.ScheduleDefinition]:
    @dg.schedule(
        name="period_rollup_schedule",
        cron_schedule=rollup_cron(deadline_days),
        execution_timezone=TIMEZONE,
        job=period_pipeline_job,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Marts, reports and publish for the period whose submissions just fell due.",
    )
    def period_rollup_schedule(
        context: dg.ScheduleEvaluationContext,
    ) -> dg.RunRequest | dg.SkipReason:
        return rollup_request(context.scheduled_execution_time.date())

    @dg.schedule(
        name="daily_compliance_schedule",
        cron_schedule=DAILY_REFRESH_CRON,
        execution_timezone=TIMEZONE,
        job=compliance_refresh_job,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Daily refresh of the period being reported, so late and missing show up.",
    )
    def daily_compliance_schedule(
        context: dg.ScheduleEvaluationContext,
    ) -> dg.RunRequest | dg.SkipReason:
        return compliance_request(context.scheduled_execution_time.date())

    return [period_rollup_schedule, daily_compliance_schedule]
