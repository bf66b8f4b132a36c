"""Reading the snapshots back (the dashboard, the workbook): a region's row, its drill-down, the
groups of a dimension, the monthly trend, display names and the handling units' league table."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Length
from django.utils.translation import gettext_lazy as _

from liaison.regions import within
from suggestions.conf import setting
from suggestions.models import StatDimension, StatPeriod, StatSnapshot
from suggestions.stats.figures import (
    COVERAGE_FIGURES,
    FIGURE_NAMES,
    REGION_LEVELS,
    STATION_FIGURES,
    Figures,
)

REGION_LEVEL_LABELS = {2: _("省"), 4: _("市"), 6: _("县（区）"), 9: _("乡镇（街道）")}


def next_level(code: str) -> int | None:
    """The code length one level below `code` ("" → provinces); None under a township."""
    for level in REGION_LEVELS:
        if level > len(code):
            return level
    return None


def latest_date(*, region: str = "") -> datetime.date | None:
    """The newest snapshot date holding rows of `region`'s subtree."""
    rows = StatSnapshot.objects.filter(dimension=StatDimension.REGION)
    if region:
        rows = rows.filter(within(region, "region_code"))
    return rows.order_by("-date").values_list("date", flat=True).first()


def snapshot_dates(*, region: str = "", limit: int = 62) -> list[datetime.date]:
    rows = StatSnapshot.objects.filter(dimension=StatDimension.REGION)
    if region:
        rows = rows.filter(key=region)
    return list(rows.order_by("-date").values_list("date", flat=True).distinct()[:limit])


def _sums(rows: QuerySet[StatSnapshot], group: str | None = None):
    names = [*FIGURE_NAMES, *STATION_FIGURES, *COVERAGE_FIGURES]
    totals = {name: Coalesce(Sum(name), Value(0)) for name in names}
    if group is None:
        return Figures(rows.aggregate(**totals))
    return rows.values(group).annotate(**totals).order_by(group)


def region_figures(*, date: datetime.date, period: str, region: str) -> Figures | StatSnapshot:
    """A region's row; for the whole country (""), the provinces' rows added up by the database."""
    rows = StatSnapshot.objects.filter(date=date, period=period, dimension=StatDimension.REGION)
    if region:
        return rows.filter(key=region).first() or Figures()
    return _sums(rows.annotate(n=Length("key")).filter(n=2))


def child_rows(*, date: datetime.date, period: str, region: str) -> tuple[str, list[StatSnapshot]]:
    """The drill-down one level below `region`: sub-regions, or under a township its stations."""
    level = next_level(region)
    rows = StatSnapshot.objects.filter(date=date, period=period)
    if level is None or len(region) >= 9:
        return StatDimension.STATION, list(
            rows.filter(within(region, "region_code"), dimension=StatDimension.STATION).order_by("-collected", "key")
        )
    return StatDimension.REGION, list(
        rows.filter(within(region, "key"), dimension=StatDimension.REGION)
        .annotate(n=Length("key")).filter(n=level).order_by("key")
    )


def dimension_rows(*, date: datetime.date, period: str, dimension: str, region: str) -> list:
    """Station, unit or deputy rows in `region`'s subtree; category rows counted within `region`
    (for the whole country: the provinces' category rows added up)."""
    rows = StatSnapshot.objects.filter(date=date, period=period, dimension=dimension)
    if dimension == StatDimension.CATEGORY:
        if region:
            return list(rows.filter(region_code=region).order_by("-collected", "key"))
        grouped = _sums(rows.annotate(n=Length("region_code")).filter(n=2), group="key")
        return [_figures_row(g) for g in sorted(grouped, key=lambda g: -g["collected"])]
    if region:
        rows = rows.filter(within(region, "region_code"))
    return list(rows.order_by("-collected", "key"))


def _figures_row(values: dict) -> Figures:
    figures = Figures(values)
    figures.key = values["key"]
    return figures


def trend(*, region: str, date: datetime.date, months: int = 12) -> list[tuple[datetime.date, Figures]]:
    """The month rows of the last `months` month-ends up to `date` (and `date` itself): each
    month's own suggestions, as counted on its last night."""
    ends = []
    month_start = date.replace(day=1)
    for _i in range(months - 1):
        month_start = (month_start - datetime.timedelta(days=1)).replace(day=1)
        ends.append(_month_end(month_start))
    ends = sorted(ends) + [date]
    rows = StatSnapshot.objects.filter(period=StatPeriod.MONTH, dimension=StatDimension.REGION, date__in=ends)
    if region:
        found = {row.date: row for row in rows.filter(key=region)}
    else:
        found = {g["date"]: Figures(g) for g in _sums(rows.annotate(n=Length("key")).filter(n=2), group="date")}
    return [(day, found[day]) for day in ends if day in found]


def _month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def names(dimension: str, keys) -> dict[str, str]:
    """Display names of the groups, one query: region names, station, unit, category or deputy names."""
    from deputies.models import Deputy
    from stations.models import Region, Station
    from suggestions.models import Category, Unit

    keys = {str(k) for k in keys if k not in (None, "")}
    if not keys:
        return {}
    if dimension == StatDimension.REGION:
        return dict(Region.objects.filter(code__in=keys).values_list("code", "name"))
    model = {StatDimension.STATION: Station, StatDimension.UNIT: Unit, StatDimension.CATEGORY: Category,
             StatDimension.DEPUTY: Deputy}[dimension]
    ids = [int(k) for k in keys if k.isdigit()]
    return {str(pk): name for pk, name in model.objects.filter(pk__in=ids).values_list("pk", "name")}


@dataclass
class LeagueEntry:
    rank: int | None
    key: str
    name: str
    figures: StatSnapshot


def unit_league(*, date: datetime.date, period: str, region: str) -> tuple[list[LeagueEntry], list[LeagueEntry]]:
    """承办单位排名: units whose lead replies were due at least STATS_LEAGUE_MIN_DUE times, by
    on-time rate, then satisfaction rate, then volume; and the units with too few to rank."""
    minimum = int(setting("STATS_LEAGUE_MIN_DUE"))
    rows = dimension_rows(date=date, period=period, dimension=StatDimension.UNIT, region=region)
    unit_names = names(StatDimension.UNIT, [r.key for r in rows])
    ranked = sorted(
        (r for r in rows if r.due >= minimum),
        key=lambda r: (-(r.on_time_rate or 0), -(r.satisfaction_rate or 0), -r.due, r.key),
    )
    league, rank, previous = [], 0, None
    for position, row in enumerate(ranked, start=1):
        score = (row.on_time_rate, row.satisfaction_rate)
        if score != previous:
            rank = position
            previous = score
        league.append(LeagueEntry(rank, row.key, unit_names.get(row.key, row.key), row))
    unranked = [LeagueEntry(None, r.key, unit_names.get(r.key, r.key), r)
                for r in sorted(rows, key=lambda r: (-r.due, r.key)) if r.due < minimum]
    return league, unranked
