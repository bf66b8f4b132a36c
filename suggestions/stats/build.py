"""The nightly snapshot (生成统计快照): every grouping of the staged facts, and the receptions and
coverage, inserted straight into `StatSnapshot`, replacing the date's rows."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Length, Substr
from django.utils import timezone

from deputies.models import Reception, ReceptionStatus
from liaison.regions import within
from suggestions.conf import setting
from suggestions.models import StatDimension, StatSnapshot
from suggestions.stats.figures import COVERAGE_FIGURES, FIGURE_NAMES, REGION_LEVELS, STATION_FIGURES
from suggestions.stats.groupings import as_key, snapshot_groupings
from suggestions.stats.ledger import ledger_rebuild
from suggestions.stats.periods import Period, snapshot_periods
from suggestions.stats.staging import compile_sql, qn, staged_facts, tune_session
from suggestions.stats.stations import coverage_queryset


@dataclass
class BuildResult:
    date: datetime.date
    rows: int = 0
    seconds: float = 0.0
    pruned: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def _insert_select(queryset: QuerySet, *, day, period: Period, dimension: str, built_at,
                   figures: list[str], merge: bool = False) -> int:
    """INSERT INTO StatSnapshot … SELECT: grouped figures go straight into snapshot rows.

    `queryset` selects `k` (key), `r` (region code) and `a_<figure>` for each of `figures`; the
    snapshot's other figures are 0. With `merge`, a row that exists already (the same date,
    period, dimension, region and key) gets these figures added to it instead (ON CONFLICT …
    DO UPDATE, which PostgreSQL and SQLite both understand).
    """
    sql, params = compile_sql(queryset)
    meta = StatSnapshot._meta
    all_figures = [*FIGURE_NAMES, *STATION_FIGURES, *COVERAGE_FIGURES]
    constants = {
        "date": connection.ops.adapt_datefield_value(day),
        "period": str(period.name),
        "period_start": connection.ops.adapt_datefield_value(period.start),
        "period_end": connection.ops.adapt_datefield_value(period.end),
        "dimension": str(dimension),
        "built_at": connection.ops.adapt_datetimefield_value(built_at),
        **{name: 0 for name in all_figures if name not in figures},
    }
    column = lambda name: qn(meta.get_field(name).column)  # noqa: E731
    columns = [*constants, "key", "region_code", *figures]
    select = ["%s"] * len(constants) + [f"g.{qn('k')}", f"g.{qn('r')}"]
    select += [f"g.{qn('a_' + name)}" for name in figures]
    # "WHERE 1 = 1": SQLite needs it to tell an upsert's ON CONFLICT from a join's ON.
    statement = (
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(column(c) for c in columns)}) "
        f"SELECT {', '.join(select)} FROM ({sql}) g WHERE 1 = 1"
    )
    if merge:
        unique = ", ".join(column(c) for c in ("date", "period", "dimension", "region_code", "key"))
        updates = ", ".join(f"{column(c)} = excluded.{column(c)}" for c in figures)
        statement += f" ON CONFLICT ({unique}) DO UPDATE SET {updates}"
    with connection.cursor() as cursor:
        cursor.execute(statement, [*constants.values(), *params])
        return max(cursor.rowcount, 0)


def _reception_groupings(*, period: Period, region: str) -> list[tuple[str, QuerySet]]:
    """Receptions held (recorded) and visitors received in the period, per station and region."""
    receptions = Reception.objects.filter(
        status=ReceptionStatus.RECORDED, date__gte=period.start, date__lte=period.end
    ).order_by()
    if region:
        receptions = receptions.filter(within(region, "station__region__code"))
    figures = {"a_receptions": Count("id"), "a_visitors": Coalesce(Sum("visitor_count"), Value(0))}
    groupings = [(
        StatDimension.STATION,
        receptions.values(k=as_key("station_id"), r=F("station__region_id")).annotate(**figures),
    )]
    for level in REGION_LEVELS:
        prefix = Substr("station__region_id", 1, level)
        groupings.append((
            StatDimension.REGION,
            receptions.annotate(n=Length("station__region_id")).filter(n__gte=level)
            .values(k=prefix, r=Substr("station__region_id", 1, level)).annotate(**figures),
        ))
    return groupings


def _prune(day: datetime.date) -> int:
    """Keep every day of the last STATS_KEEP_DAILY_DAYS, and each month's last day for ever."""
    keep_from = day - datetime.timedelta(days=int(setting("STATS_KEEP_DAILY_DAYS")))
    old_dates = StatSnapshot.objects.filter(date__lt=keep_from).values_list("date", flat=True).distinct()
    doomed = [d for d in old_dates if (d + datetime.timedelta(days=1)).day != 1]
    if not doomed:
        return 0
    deleted, _by_model = StatSnapshot.objects.filter(date__in=doomed).delete()
    return deleted


def build_stats(*, date: datetime.date) -> BuildResult:
    """生成统计快照: the figures of the year, month and twelve months ending on `date`, for every
    region level, station, lead unit, lead deputy and category, replacing that date's rows; and
    the ledger the live figures read (ledger.py), rebuilt as the rows stand now.

    Atomic: readers see the old rows or the new ones, never half of them.
    """
    region = ""  # always the whole database: a group's row may sit above any one subtree
    started = time.perf_counter()
    result = BuildResult(date=date)
    periods = snapshot_periods(date)
    built_at = timezone.now()
    with transaction.atomic():
        tune_session()
        StatSnapshot.objects.filter(date=date).delete()
        earliest = min(p.start for p in periods)
        mark = time.perf_counter()
        with staged_facts(region=region, start=earliest, end=date) as facts:
            result.timings["stage"] = time.perf_counter() - mark
            for grouping in snapshot_groupings():
                mark = time.perf_counter()
                for period in periods:
                    _insert_select(
                        grouping.queryset(facts.filter(created__gte=period.start)),
                        day=date, period=period, dimension=grouping.dimension, built_at=built_at,
                        figures=FIGURE_NAMES,
                    )
                result.timings[grouping.label] = time.perf_counter() - mark
        mark = time.perf_counter()
        for period in periods:
            for dimension, queryset in _reception_groupings(period=period, region=region):
                _insert_select(queryset, day=date, period=period, dimension=dimension,
                                              built_at=built_at, figures=list(STATION_FIGURES), merge=True)
            for level in REGION_LEVELS:
                _insert_select(
                    coverage_queryset(day=date, region=region, level=level), day=date, period=period,
                    dimension=StatDimension.REGION, built_at=built_at, figures=list(COVERAGE_FIGURES), merge=True,
                )
        result.timings["receptions_coverage"] = time.perf_counter() - mark
        mark = time.perf_counter()
        ledger_rebuild()  # what the live figures read for the suggestions unchanged since
        result.timings["ledger"] = time.perf_counter() - mark
        result.rows = StatSnapshot.objects.filter(date=date).count()
        result.pruned = _prune(date)
    result.seconds = time.perf_counter() - started
    return result
