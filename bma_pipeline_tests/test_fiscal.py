from datetime import date

import pytest

from bma_pipeline.fiscal import Period, parse_period_range, periods_of_year


def test_fy2566_starts_in_october_2022_and_ends_in_september_2023():
    periods = periods_of_year(2566)
    assert periods[0].start_date == date(2022, 10, 1)
    assert periods[-1].end_date == date(2023, 9, 30)


@pytest.mark.parametrize(
    ("period_no", "start", "end"),
    [
        (1, date(2022, 10, 1), date(2022, 11, 30)),
        (2, date(2022, 12, 1), date(2023, 1, 31)),
        (3, date(2023, 2, 1), date(2023, 3, 31)),
        (4, date(2023, 4, 1), date(2023, 5, 31)),
        (5, date(2023, 6, 1), date(2023, 7, 31)),
        (6, date(2023, 8, 1), date(2023, 9, 30)),
    ],
)
def test_bimonthly_periods_of_fy2566(period_no, start, end):
    period = Period(2566, period_no)
    assert (period.start_date, period.end_date) == (start, end)
    assert period.key == f"2566-P{period_no}"


def test_leap_february_in_fy2567_period_3():
    assert Period(2567, 3).end_date == date(2024, 3, 31)
    assert Period.containing(date(2024, 2, 29)) == Period(2567, 3)


def test_due_date_is_deadline_days_after_period_end():
    assert Period(2566, 1).due_date() == date(2022, 12, 10)
    assert Period(2566, 6).due_date(deadline_days=15) == date(2023, 10, 15)


def test_containing_and_key_round_trip():
    for period in periods_of_year(2567):
        assert Period.containing(period.start_date) == period
        assert Period.containing(period.end_date) == period
        assert Period.from_key(period.key) == period
    assert Period(2566, 6).next() == Period(2567, 1)


@pytest.mark.parametrize("text", ["2566-P7", "P2", "2566-2", ""])
def test_bad_period_keys_are_refused(text):
    with pytest.raises(ValueError):
        Period.from_key(text)


def test_parse_period_range():
    assert parse_period_range("1-3") == [1, 2, 3]
    assert parse_period_range("1,3, 5") == [1, 3, 5]
    with pytest.raises(ValueError):
        parse_period_range("0-7")
