"""The periods of a snapshot (the year so far, the month so far, the last twelve months) and the
day deadlines are judged on, all in the project's time zone (Asia/Shanghai)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from liaison.regions import lineage
from suggestions.models import StatPeriod, Term


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


def terms_covering(day: datetime.date):
    return Term.objects.filter(start_on__lte=day).exclude(end_on__lt=day)


def current_term(region: str, day: datetime.date) -> Term | None:
    """本届: the term covering `day` of the nearest congress at or above `region` ("" or no
    congress of its own: the highest-level term configured)."""
    terms = list(terms_covering(day).filter(region_id__in=lineage(region)) if region else [])
    if terms:
        return max(terms, key=lambda t: (len(t.region_id), t.start_on))
    return root_term(day)


def root_term(day: datetime.date) -> Term | None:
    """The term of the highest-level congress configured that covers `day`: the snapshots'
    "本届" (one snapshot holds every region; the city's or the province's term frames it)."""
    terms = list(terms_covering(day))
    return min(terms, key=lambda t: (len(t.region_id), -t.start_on.toordinal())) if terms else None


def snapshot_periods(day: datetime.date, *, with_term: bool = True) -> list[Period]:
    periods = [
        Period(StatPeriod.YEAR, day.replace(month=1, day=1), day),
        Period(StatPeriod.MONTH, day.replace(day=1), day),
        Period(StatPeriod.ROLLING, rolling_start(day), day),
    ]
    term = root_term(day) if with_term else None
    if term is not None:
        periods.append(Period(StatPeriod.TERM, term.start_on, day))
    return periods


def period_bounds(period: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    if period == StatPeriod.TERM:
        term = root_term(day)  # no term configured: the year, so a page still shows
        return (term.start_on if term is not None else day.replace(month=1, day=1)), day
    for p in snapshot_periods(day, with_term=False):
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
