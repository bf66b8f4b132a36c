"""The periods of a snapshot (the year so far, the month so far, the last twelve months) and the
day deadlines are judged on, all in the project's time zone (Asia/Shanghai)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from suggestions.models import StatPeriod


@dataclass(frozen=True)
class Period:
    name: str
    start: datetime.date
    end: datetime.date


def rolling_start(day: datetime.date) -> datetime.date:
    """The first day of the twelve months ending on `day` (2026-03-15 → 2025-03-16)."""
    try:
        year_ago = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        year_ago = day.replace(year=day.year - 1, day=28)
    return year_ago + datetime.timedelta(days=1)


def snapshot_periods(day: datetime.date) -> list[Period]:
    return [
        Period(StatPeriod.YEAR, day.replace(month=1, day=1), day),
        Period(StatPeriod.MONTH, day.replace(day=1), day),
        Period(StatPeriod.ROLLING, rolling_start(day), day),
    ]


def period_bounds(period: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    for p in snapshot_periods(day):
        if p.name == period:
            return p.start, p.end
    raise ValueError(period)


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the project's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def reference_day(end: datetime.date, today: datetime.date | None = None) -> datetime.date:
    """The day deadlines are judged on: the day after the period (its last day is over), or
    today for a period that has not ended yet. A deadline before it has passed."""
    today = today or timezone.localdate()
    return min(end + datetime.timedelta(days=1), today)
