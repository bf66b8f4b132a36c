"""Working days: China's holidays and make-up workdays (调休), overridden by the staff's table."""

import datetime

import pytest

from suggestions.calendar import WorkCalendar, add_working_days, is_workday, working_days_between
from tests.factories import HolidayFactory

D = datetime.date


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2025, 9, 30), 1, D(2025, 10, 9)),  # 国庆 and 中秋: 1–8 October off
        (D(2025, 9, 26), 1, D(2025, 9, 28)),  # Sunday 28 September is a make-up workday
        (D(2025, 10, 9), 2, D(2025, 10, 11)),  # ... and so is Saturday 11 October
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # 春节 2026: Saturday 14 February is worked
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # then 15–23 February off
        (D(2025, 1, 27), 1, D(2025, 2, 5)),  # 春节 2025: 28 January – 4 February off
        (D(2025, 3, 3), 5, D(2025, 3, 10)),  # an ordinary week
        (D(2025, 3, 3), 0, D(2025, 3, 3)),
        (D(2025, 10, 9), -1, D(2025, 9, 30)),  # backwards over the holiday
    ],
)
def test_adding_working_days_skips_holidays_and_counts_make_up_days(db, start, days, expected):
    assert add_working_days(start, days) == expected


def test_working_days_between_counts_the_end_not_the_start(db):
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 9)) == 1
    assert working_days_between(D(2025, 10, 9), D(2025, 9, 30)) == -1
    assert working_days_between(D(2025, 10, 3), D(2025, 10, 3)) == 0
    assert WorkCalendar().subtract_working_days(D(2025, 10, 13), 3) == D(2025, 10, 9)


def test_the_staff_table_wins_over_the_package(db):
    HolidayFactory(date=D(2025, 10, 9), is_workday=False, note="地方假日")
    assert not is_workday(D(2025, 10, 9))
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 10)
    HolidayFactory(date=D(2025, 10, 4), is_workday=True, note="调休上班")
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 4)


def test_a_year_the_package_does_not_cover_falls_back_to_weekends_and_the_table(db):
    assert is_workday(D(2031, 1, 6))  # a Monday
    assert not is_workday(D(2031, 1, 4))  # a Saturday
    HolidayFactory(date=D(2031, 10, 1), is_workday=False, note="国庆节")
    HolidayFactory(date=D(2031, 9, 27), is_workday=True, note="国庆调休")  # a Saturday
    assert not is_workday(D(2031, 10, 1))
    assert is_workday(D(2031, 9, 27))
    assert add_working_days(D(2031, 9, 30), 1) == D(2031, 10, 2)


def test_the_table_is_read_once_per_year(db, django_assert_num_queries):
    calendar = WorkCalendar()
    with django_assert_num_queries(2):
        calendar.add_working_days(D(2025, 12, 1), 40)  # runs into 2026
    with django_assert_num_queries(0):
        calendar.add_working_days(D(2025, 12, 1), 40)


def test_given_overrides_replace_the_table(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        calendar = WorkCalendar(overrides={D(2025, 10, 9): False})
        assert calendar.add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 10)
