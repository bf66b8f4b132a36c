"""Working days (工作日) for deadlines.

A day is a working day if the staff-editable `Holiday` table says so; otherwise if the
`chinese-calendar` package says so (public holidays and make-up workdays 调休, as published by
the State Council); for years the package does not cover yet, Monday to Friday. So a new
year's holiday arrangement can be entered by staff the day it is published, before the package
is upgraded, and nothing crashes on 1 January.

Counting convention: a deadline "N working days from D" is the N-th working day after D (D
itself does not count), so a suggestion assigned on the day before 国庆 gets its first day
after the holiday.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable

import chinese_calendar

from .models import Holiday


@functools.lru_cache(maxsize=4096)
def _published_workday(day: datetime.date) -> bool:
    """The package's answer, which never changes for a date while the process runs (it scans
    its whole table on every call: 38 calls made a list request's tier bounds cost ~1 ms)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # A year the package does not know: weekends only, plus whatever staff entered.
        return day.weekday() < 5


class WorkCalendar:
    """Working-day arithmetic with the Holiday table read once per year touched.

    Build one per request or sweep (it caches the overrides it has read), not one per process:
    staff edit the table.
    """

    def __init__(self, overrides: dict[datetime.date, bool] | None = None):
        # Given explicitly (tests, bulk jobs), the overrides replace the table: it is not read.
        self._fixed = overrides is not None
        self._overrides: dict[datetime.date, bool] = dict(overrides or {})
        self._years: set[int] = set()

    def _load_year(self, year: int) -> None:
        if self._fixed or year in self._years:
            return
        rows = Holiday.objects.filter(date__year=year).values_list("date", "is_workday")
        self._overrides.update(dict(rows))
        self._years.add(year)

    def is_workday(self, day: datetime.date) -> bool:
        self._load_year(day.year)
        override = self._overrides.get(day)
        if override is not None:
            return override
        return _published_workday(day)

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The `days`-th working day after `start` (`days` ≤ 0 counts backwards; 0 is `start`)."""
        step = 1 if days >= 0 else -1
        remaining = abs(days)
        day = start
        while remaining:
            day += datetime.timedelta(days=step)
            if self.is_workday(day):
                remaining -= 1
        return day

    def subtract_working_days(self, start: datetime.date, days: int) -> datetime.date:
        return self.add_working_days(start, -days)

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end == start:
            return 0
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count

    def workdays(self, start: datetime.date, end: datetime.date) -> Iterable[datetime.date]:
        day = start
        while day <= end:
            if self.is_workday(day):
                yield day
            day += datetime.timedelta(days=1)


def is_workday(day: datetime.date) -> bool:
    return WorkCalendar().is_workday(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    return WorkCalendar().add_working_days(start, days)


def subtract_working_days(start: datetime.date, days: int) -> datetime.date:
    return WorkCalendar().subtract_working_days(start, days)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    return WorkCalendar().working_days_between(start, end)
