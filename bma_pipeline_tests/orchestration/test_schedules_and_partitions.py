"""Partitions, placement and schedules fire on the right Bangkok dates across fiscal years."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

import dagster as dg
import pytest
from dagster._utils.schedules import cron_string_iterator

from bma_pipeline.defs.partitions import period_partitions
from bma_pipeline.defs.schedules import build_schedules, rollup_cron
from bma_pipeline.fiscal import Period
from bma_pipeline.intake.ledger import received_at_of
from bma_pipeline.intake.placement import BY_CONTENT, BY_RECEIVED_TIME, place, reporting_period_on

BANGKOK = ZoneInfo("Asia/Bangkok")


def test_partition_keys_show_fiscal_year_and_period_in_order():
    keys = period_partitions.get_partition_keys()
    assert keys[:7] == [f"2566-P{n}" for n in range(1, 7)] + ["2567-P1"]
    assert "2567-P6" in keys
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("2566-P1", date(2022, 10, 1), date(2022, 11, 30)),
        ("2566-P6", date(2023, 8, 1), date(2023, 9, 30)),
        ("2567-P1", date(2023, 10, 1), date(2023, 11, 30)),
        ("2567-P3", date(2024, 2, 1), date(2024, 3, 31)),
        ("2567-P6", date(2024, 8, 1), date(2024, 9, 30)),
    ],
)
def test_partition_windows(key, start, end):
    period = Period.from_key(key)
    assert (period.start_date, period.end_date) == (start, end)


def test_period_boundary_is_midnight_bangkok_time(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("x")
    # 2022-11-30 16:59:59 UTC is 23:59:59 in Bangkok: still P1; one second later it is P2.
    last_second = datetime(2022, 11, 30, 16, 59, 59, tzinfo=ZoneInfo("UTC")).timestamp()
    os.utime(path, (last_second, last_second))
    assert Period.containing(received_at_of(path).date()).key == "2566-P1"
    os.utime(path, (last_second + 1, last_second + 1))
    assert received_at_of(path) == datetime(2022, 12, 1, 0, 0, 0)
    assert Period.containing(received_at_of(path).date()).key == "2566-P2"


def test_a_file_is_placed_by_its_rows_else_by_when_it_arrived():
    import pandas as pd

    rows = pd.DataFrame({"fiscal_year": [2566, 2566, 2566, None], "period_no": [2, 2, 7, 1]})
    by_rows = place(rows, datetime(2023, 9, 1))
    assert (by_rows.key, by_rows.how) == ("2566-P2", BY_CONTENT)
    unreadable = place(None, datetime(2023, 2, 5, 10, 0))
    assert (unreadable.key, unreadable.how) == ("2566-P2", BY_RECEIVED_TIME)
    assert reporting_period_on(date(2022, 12, 1)).key == "2566-P1"
    assert reporting_period_on(date(2022, 11, 30)).key == "2565-P6"


def _repo():
    from bma_pipeline.definitions import defs

    return defs.get_repository_def()


def _fire_times(cron: str, start: datetime, count: int) -> list[datetime]:
    return list(islice(cron_string_iterator(start.timestamp(), cron, "Asia/Bangkok"), count))


def test_rollup_fires_the_day_after_each_due_date_across_a_fiscal_year():
    fires = _fire_times(rollup_cron(10), datetime(2022, 11, 1, tzinfo=BANGKOK), 12)
    assert [f.astimezone(BANGKOK).replace(tzinfo=None) for f in fires[:6]] == [
        datetime(2022, 12, 11, 1, 0),
        datetime(2023, 2, 11, 1, 0),
        datetime(2023, 4, 11, 1, 0),
        datetime(2023, 6, 11, 1, 0),
        datetime(2023, 8, 11, 1, 0),
        datetime(2023, 10, 11, 1, 0),
    ]
    rollup = _repo().get_schedule_def("period_rollup_schedule")
    for n, fire in enumerate(fires, start=1):
        with dg.build_schedule_context(
            scheduled_execution_time=fire, repository_def=_repo()
        ) as context:
            request = rollup.evaluate_tick(context).run_requests[0]
        period = Period.from_key(request.partition_key)
        expected = f"{2566 + (n - 1) // 6}-P{(n - 1) % 6 + 1}"
        assert request.partition_key == expected
        # The rollup runs after the period's due date, never before.
        assert fire.astimezone(BANGKOK).date() == period.due_date(10) + timedelta(days=1)
        # The rollup prints the H units' meeting packs to PDF; runs started by files do not.
        assert request.run_config["ops"]["meeting_reports"]["config"]["pdf"] is True


def test_rollup_cron_is_not_the_january_based_every_other_month():
    assert rollup_cron(10) == "0 1 11 2,4,6,8,10,12 *"
    assert "*/2" not in rollup_cron(10)
    with pytest.raises(ValueError):
        rollup_cron(30)


def test_daily_compliance_refresh_targets_the_period_being_reported():
    daily = _repo().get_schedule_def("daily_compliance_schedule")
    fires = _fire_times(daily.cron_schedule, datetime(2023, 1, 30, tzinfo=BANGKOK), 4)
    keys = []
    for fire in fires:
        with dg.build_schedule_context(
            scheduled_execution_time=fire, repository_def=_repo()
        ) as context:
            keys.append(daily.evaluate_tick(context).run_requests[0].partition_key)
    # 30 and 31 Jan still report on 2566-P1; from 1 Feb the window of 2566-P2 is open.
    assert [f.astimezone(BANGKOK).day for f in fires] == [30, 31, 1, 2]
    assert keys == ["2566-P1", "2566-P1", "2566-P2", "2566-P2"]


def test_a_tick_before_the_first_partition_is_skipped():
    daily = _repo().get_schedule_def("daily_compliance_schedule")
    fire = datetime(2022, 11, 20, 7, 0, tzinfo=BANGKOK)
    with dg.build_schedule_context(scheduled_execution_time=fire, repository_def=_repo()) as ctx:
        result = daily.evaluate_tick(ctx)
    assert not result.run_requests
    assert "2565-P6" in (result.skip_message or "")


def test_schedules_are_timezone_aware_and_running_by_default():
    for schedule in build_schedules(10):
        assert schedule.execution_timezone == "Asia/Bangkok"
        assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING


def test_periods_of_files_in_sql_follow_the_one_file_rule(tmp_path):
    """`periods_of_files` (every file at once, in SQL) decides as `period_of_rows` does: the
    most common plausible period, a tie to the latest, implausible rows ignored."""
    import pandas as pd

    from bma_pipeline.intake.placement import period_of_rows, periods_of_files
    from bma_pipeline.warehouse import connect

    files = {
        1: [(2566, 2), (2566, 2), (2566, 1)],  # majority
        2: [(2566, 1), (2566, 3)],  # tie: the latest
        3: [(2566, 4), (1999, 5), (2566, 9), (2566, 9)],  # only one plausible row
        4: [(None, None), (3100, 1)],  # nothing plausible: not placed by content
    }
    rows = pd.DataFrame(
        [(f, y, p) for f, pairs in files.items() for y, p in pairs],
        columns=["file_id", "fiscal_year", "period_no"],
    ).astype({"fiscal_year": "Int64", "period_no": "Int64"})
    with connect(str(tmp_path / "w.duckdb")) as wh:
        wh.ensure_schema("raw")
        wh.execute(
            "create table raw.submission_rows "
            "(file_id bigint, fiscal_year integer, period_no integer)"
        )
        wh.append("raw", "submission_rows", rows)
        found = periods_of_files(wh)
    expected = {
        f: period_of_rows(rows[rows["file_id"] == f])
        for f in files
        if period_of_rows(rows[rows["file_id"] == f]) is not None
    }
    assert found == expected
    assert found == {1: Period(2566, 2), 2: Period(2566, 3), 3: Period(2566, 4)}
