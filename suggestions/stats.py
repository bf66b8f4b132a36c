"""统计: the figures a standing committee publishes, counted by the database, the same way every time.

What a period's figures count
-----------------------------
The suggestions *collected* in the period (their `created_at`, as a date in Asia/Shanghai,
between `period_start` and `period_end`), as their rows stand when the figures are computed.
So "2026年收集 7,144 件，反馈 5,880 件（82.3 %）" reads straight off one row. `FIGURES` lists
every figure with its definition; the rates (`StatFiguresMixin`) are derived from them.

What the rows must hold
-----------------------
Only these columns are read, never the event log, so a suggestion written by the historical
import (importing.py) counts exactly like one made through the workflow:

- Suggestion: created_at, region, station, category, kind, status, route, supervision, result,
  rehandle_count, replied_at, closed_at, fed_back_at;
- its active lead Assignment (主办, not returned): unit, created_at (交办), deadline, status,
  replied_at;
- its lead SuggestionDeputy (领衔代表 / 接待代表); its Evaluation ratings;
- Reception (recorded): station, date, visitor_count; Deputy, Mandate, StationMembership.

How it is computed
------------------
One pass stages the cohort into TEMPORARY tables (they live for one database session, so
concurrent runs never meet): a working-day calendar (`StatWorkday`: date → ordinal, so that
"working days between" is a subtraction), each suggestion's best rating (`StatEvaluationFact`),
its row values joined with its lead assignment and lead deputy (`StatStage`), and finally its
0/1 flags and working-day spans (`StatFact`). Every grouping (region levels by code prefix,
station, lead unit, lead deputy, category within each region level) is then one
`GROUP BY` with `SUM`/`COUNT` over that narrow table, inserted straight into `StatSnapshot`
(`INSERT … SELECT`): no suggestion ever passes through Python. The API's live summary runs
the same stages and the same aggregates, so it agrees with the snapshot of the same period.

A snapshot for `date` (built by the nightly task on the following night, or by
`python manage.py build_stats --date`) holds three periods ending that day: the year so far,
the month so far and the last twelve months. Rebuilding a date replaces its rows.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Length, Substr, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy, Mandate, Reception, ReceptionStatus, StationMembership

from .calendar import WorkCalendar
from .models import (
    AssignmentRole,
    AssignmentStatus,
    DeputyRole,
    Evaluation,
    Rating,
    Result,
    Route,
    StatDimension,
    StatEvaluationFact,
    StatFact,
    StatFiguresMixin,
    StatPeriod,
    StatSnapshot,
    StatStage,
    Status,
    StatWorkday,
    Suggestion,
    SuggestionKind,
    Supervision,
)

S = Status

# --- settings ---------------------------------------------------------------------------------
DEFAULTS = {
    # Daily snapshots older than this are pruned, except each month's last day (trends).
    "STATS_KEEP_DAILY_DAYS": 62,
    # A unit is ranked in the league table once this many of its lead replies were due.
    "STATS_LEAGUE_MIN_DUE": 5,
    # Usernames of the staff and leaders e-mailed their region's workbook after the nightly run.
    "STATS_EMAIL_USERS": [],
    # Leading-official deputies must receive voters at a station this often per quarter.
    "LEADER_VISITS_PER_QUARTER": 1,
    # A workbook of more snapshot rows than this is built in the background, with a progress page.
    "STATS_WORKBOOK_STREAM_ROWS": 10_000,
}


def setting(name: str):
    value = getattr(settings, "LIAISON", {}).get(name)
    return DEFAULTS[name] if value is None else value


# --- the figures -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    help: str


FIGURES: list[Figure] = [
    Figure("collected", _("收集"), _("期内提交的意见建议（群众意见和代表建议）")),
    Figure("deputy_suggestions", _("代表建议"), _("其中代表建议")),
    Figure("declined", _("不予受理"), _("状态为不予受理")),
    Figure("merged", _("并案"), _("并入其他事项（含转为闭会建议）")),
    Figure("accepted", _("受理"), _("已受理、交办、办理、答复或办结（含代表即办）")),
    Figure("on_spot", _("代表即办"), _("办理方式为代表即办且已答复")),
    Figure("assigned", _("交办"), _("有在办的主办单位（退回的不算）")),
    Figure("replied", _("答复"), _("主办单位已答复或已即办（不满意重新办理的在重新答复前不算）")),
    Figure("replied_on_time", _("按期答复"), _("主办单位在办理期限当日或之前答复")),
    Figure("replied_late", _("逾期答复"), _("主办单位在办理期限之后答复")),
    Figure("overdue", _("超期未答复"), _("仍在交办或办理中、主办单位未答复，且办理期限已过")),
    Figure("closed", _("办结"), _("已办结")),
    Figure("fed_back", _("已反馈"), _("已将办理结果反馈提出人")),
    Figure("result_a", _("A类"), _("已解决或采纳")),
    Figure("result_b", _("B类"), _("正在解决或列入计划")),
    Figure("result_c", _("C类"), _("因条件限制暂不能解决")),
    Figure("result_d", _("D类"), _("留作参考")),
    Figure("evaluated", _("已评价"), _("有评价的事项")),
    Figure("satisfied", _("满意"), _("评价为满意")),
    Figure("basically_satisfied", _("基本满意"), _("评价为基本满意（无满意评价）")),
    Figure("unsatisfied", _("不满意"), _("只有不满意评价（重新办理后尚未再评价）")),
    Figure("supervised", _("督办"), _("一般督办或重点督办")),
    Figure("key_supervised", _("重点督办"), _("重点督办")),
    Figure("rehandled", _("重新办理"), _("因不满意重新办理过")),
    Figure("assign_days_sum", _("交办用时合计"), _("提交到交办主办单位的工作日")),
    Figure("assign_days_n", _("交办用时件数"), ""),
    Figure("handle_days_sum", _("办理用时合计"), _("交办到主办单位答复的工作日")),
    Figure("handle_days_n", _("办理用时件数"), ""),
    Figure("close_days_sum", _("评价办结用时合计"), _("答复到办结的工作日")),
    Figure("close_days_n", _("评价办结用时件数"), ""),
    Figure("total_days_sum", _("全程用时合计"), _("提交到办结的工作日")),
    Figure("total_days_n", _("全程用时件数"), ""),
]
FIGURE_NAMES = [f.name for f in FIGURES]
# Figures that are the sum of one 0/1 column of StatFact (column name when it differs).
FLAG_COLUMNS = {
    name: {"deputy_suggestions": "deputy_suggestion"}.get(name, name)
    for name in FIGURE_NAMES
    if name != "collected" and not name.endswith(("_sum", "_n"))
}
SPANS = ("assign", "handle", "close", "total")
# Reception and roster figures, added to region and station rows (not about suggestions).
STATION_FIGURES = ("receptions", "visitors")
COVERAGE_FIGURES = ("deputies", "deputies_in_stations")
REGION_LEVELS = (2, 4, 6, 9)  # province, city, county, township: the code is its own path

ACCEPTED_STATUSES = (S.ACCEPTED, S.ASSIGNED, S.HANDLING, S.REPLIED, S.CLOSED)
OPEN_STATUSES = (S.ASSIGNED, S.HANDLING)
ACTIVE_LEAD_STATUSES = (AssignmentStatus.PENDING, AssignmentStatus.SIGNED, AssignmentStatus.REPLIED)
OPEN_LEAD_STATUSES = (AssignmentStatus.PENDING, AssignmentStatus.SIGNED)


class Figures(StatFiguresMixin):
    """Figures computed live (the API), with the same fields and rates as a snapshot row."""

    def __init__(self, values: dict | None = None):
        values = values or {}
        for name in [*FIGURE_NAMES, *STATION_FIGURES, *COVERAGE_FIGURES]:
            setattr(self, name, int(values.get(name) or 0))

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in FIGURE_NAMES}


# --- periods ----------------------------------------------------------------------------------
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


# --- staging: the TEMPORARY tables ----------------------------------------------------------
def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _compile(queryset: QuerySet) -> tuple[str, tuple]:
    return queryset.query.get_compiler(connection=connection).as_sql()


def _drop(*models) -> None:
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DROP TABLE IF EXISTS {_qn(model._meta.db_table)}")


def _materialize(model, queryset: QuerySet) -> None:
    """CREATE TEMPORARY TABLE <model's table> AS <the queryset's SELECT>."""
    sql, params = _compile(queryset)
    table = _qn(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {table} AS {sql}", params)
        if connection.vendor == "postgresql":
            # Temporary tables have no statistics until analysed; the joins need them.
            cursor.execute(f"ANALYZE {table}")


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _local_date(field_name: str) -> TruncDate:
    return TruncDate(field_name, tzinfo=timezone.get_default_timezone())


def _stage_workdays(first: datetime.date, last: datetime.date) -> None:
    """The working-day calendar of [first, last] (a bounded set of dates, from WorkCalendar)."""
    table = _qn(StatWorkday._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {table} ({_qn('f_day')} date PRIMARY KEY, {_qn('f_ordinal')} integer NOT NULL)"
        )
    calendar = WorkCalendar()
    rows, ordinal, day = [], 0, first
    while day <= last:
        if calendar.is_workday(day):
            ordinal += 1
        rows.append(StatWorkday(day=day, ordinal=ordinal))
        day += datetime.timedelta(days=1)
    StatWorkday.objects.bulk_create(rows, batch_size=1000)


def cohort(*, region: str, start: datetime.date, end: datetime.date) -> QuerySet[Suggestion]:
    """The suggestions collected in [start, end] (local dates) in `region`'s subtree."""
    queryset = Suggestion.objects.filter(
        created_at__gte=start_of(start), created_at__lt=start_of(end + datetime.timedelta(days=1))
    )
    if region:
        queryset = queryset.filter(region__code__startswith=region)
    return queryset.order_by()


def _stage_evaluations(suggestions: QuerySet[Suggestion]) -> None:
    evaluations = (
        Evaluation.objects.filter(suggestion__in=suggestions.values("pk"))
        .order_by()
        .values(f_suggestion=F("suggestion_id"))
        .annotate(
            f_best=Max(
                Case(
                    When(rating=Rating.SATISFIED, then=Value(3)),
                    When(rating=Rating.BASICALLY_SATISFIED, then=Value(2)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
        )
    )
    _materialize(StatEvaluationFact, evaluations)


def _stage_suggestions(suggestions: QuerySet[Suggestion], *, groups: bool = True) -> None:
    """Without `groups` (the live summary: totals, categories, units), the joins that only the
    station, deputy and unit-region groupings need are left out."""
    suggestions = suggestions.annotate(
        stat_lead=FilteredRelation(
            "assignments",
            condition=Q(assignments__role=AssignmentRole.LEAD, assignments__status__in=ACTIVE_LEAD_STATUSES),
        ),
    )
    if groups:
        suggestions = suggestions.annotate(
            stat_lead_deputy=FilteredRelation("deputy_links", condition=Q(deputy_links__role=DeputyRole.LEAD)),
        )
        grouped = {
            "f_station": F("station_id"),
            "f_station_region": F("station__region_id"),
            "f_unit_region": F("stat_lead__unit__region_id"),
            "f_deputy": F("stat_lead_deputy__deputy_id"),
            "f_deputy_region": F("stat_lead_deputy__deputy__region_id"),
        }
    else:
        grouped = {
            "f_station": Value(None, output_field=BigIntegerField()),
            "f_station_region": Value(None, output_field=CharField()),
            "f_unit_region": Value(None, output_field=CharField()),
            "f_deputy": Value(None, output_field=BigIntegerField()),
            "f_deputy_region": Value(None, output_field=CharField()),
        }
    rows = suggestions.values(
        f_id=F("id"),
        f_region=F("region_id"),
        f_category=F("category_id"),
        f_unit=F("stat_lead__unit_id"),
        **grouped,
        f_kind=F("kind"),
        f_status=F("status"),
        f_route=F("route"),
        f_supervision=F("supervision"),
        f_result=F("result"),
        f_rehandled=_flag(Q(rehandle_count__gt=0)),
        f_fed_back=_flag(Q(fed_back_at__isnull=False)),
        f_best_rating=F("stat_evaluation_fact__best"),
        f_lead_status=F("stat_lead__status"),
        f_lead_deadline=F("stat_lead__deadline"),
        f_created=_local_date("created_at"),
        f_replied=_local_date("replied_at"),
        f_closed=_local_date("closed_at"),
        f_lead_assigned=_local_date("stat_lead__created_at"),
        f_lead_replied=_local_date("stat_lead__replied_at"),
    )
    _materialize(StatStage, rows)


def _span(later: str, earlier: str, condition: Q | None = None) -> Case:
    """Working days from `earlier` to `later` (both StatStage dates), None when either is
    missing or the dates are the wrong way round (bad data counts nowhere)."""
    return Case(
        When((condition or Q()) & Q(**{f"{later}__ordinal__gte": F(f"{earlier}__ordinal")}),
             then=F(f"{later}__ordinal") - F(f"{earlier}__ordinal")),
        default=Value(None),
        output_field=IntegerField(),
    )


def _stage_facts(reference: datetime.date) -> None:
    lead_replied = Q(lead_status=AssignmentStatus.REPLIED, lead_replied__isnull=False)
    rows = StatStage.objects.values(
        f_id=F("id"),
        f_region=F("region"),
        f_station=F("station"),
        f_station_region=F("station_region"),
        f_category=F("category"),
        f_unit=F("unit"),
        f_unit_region=F("unit_region"),
        f_deputy=F("deputy"),
        f_deputy_region=F("deputy_region"),
        f_created=F("created_id"),
        f_deputy_suggestion=_flag(Q(kind=SuggestionKind.DEPUTY_SUGGESTION)),
        f_declined=_flag(Q(status=S.DECLINED)),
        f_merged=_flag(Q(status=S.MERGED)),
        f_accepted=_flag(Q(status__in=ACCEPTED_STATUSES)),
        f_on_spot=_flag(Q(route=Route.ON_SPOT, replied__isnull=False)),
        f_assigned=_flag(Q(lead_status__isnull=False)),
        f_replied=_flag(Q(replied__isnull=False)),
        f_replied_on_time=_flag(lead_replied & Q(lead_replied_id__lte=F("lead_deadline"))),
        f_replied_late=_flag(lead_replied & Q(lead_replied_id__gt=F("lead_deadline"))),
        f_overdue=_flag(
            Q(status__in=OPEN_STATUSES, lead_status__in=OPEN_LEAD_STATUSES, lead_deadline__lt=reference)
        ),
        f_closed=_flag(Q(status=S.CLOSED)),
        f_fed_back=F("fed_back"),
        f_result_a=_flag(Q(result=Result.A, replied__isnull=False)),
        f_result_b=_flag(Q(result=Result.B, replied__isnull=False)),
        f_result_c=_flag(Q(result=Result.C, replied__isnull=False)),
        f_result_d=_flag(Q(result=Result.D, replied__isnull=False)),
        f_evaluated=_flag(Q(best_rating__isnull=False)),
        f_satisfied=_flag(Q(best_rating=3)),
        f_basically_satisfied=_flag(Q(best_rating=2)),
        f_unsatisfied=_flag(Q(best_rating=1)),
        f_supervised=_flag(~Q(supervision=Supervision.NONE)),
        f_key_supervised=_flag(Q(supervision=Supervision.KEY)),
        f_rehandled=F("rehandled"),
        f_assign_days=_span("lead_assigned", "created"),
        f_handle_days=_span("lead_replied", "lead_assigned", lead_replied),
        f_close_days=_span("closed", "replied", Q(status=S.CLOSED)),
        f_total_days=_span("closed", "created", Q(status=S.CLOSED)),
    )
    _materialize(StatFact, rows)


def tune_session() -> None:
    """Settings for this transaction's aggregate queries (PostgreSQL).

    The groupings hash many keys with ~35 sums each: give them memory. And no JIT: compiling
    these wide expressions costs seconds (the planner, seeing many rows, always asks for it)
    and saves less than that on a year of a province's suggestions (docs/benchmarks.md).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")


@contextmanager
def staged_facts(*, region: str, start: datetime.date, end: datetime.date,
                 reference: datetime.date | None = None, groups: bool = True) -> Iterator[QuerySet[StatFact]]:
    """Stage the cohort of [start, end] in `region` and yield StatFact's queryset over it.

    Must run inside a transaction (the caller's `atomic`); the tables are dropped on exit.
    Without `groups`, only totals, categories and lead units can be grouped by.
    """
    reference = reference or reference_day(end)
    today = timezone.localdate()
    suggestions = cohort(region=region, start=start, end=end)
    try:
        _stage_workdays(start, max(end, today) + datetime.timedelta(days=1))
        _stage_evaluations(suggestions)
        _stage_suggestions(suggestions, groups=groups)
        _stage_facts(reference)
        yield StatFact.objects.all()
    finally:
        _drop(StatFact, StatStage, StatEvaluationFact, StatWorkday)


# --- aggregation -------------------------------------------------------------------------------
def aggregates() -> dict:
    """Every figure as an aggregate over StatFact, named `a_<figure>` (a StatFact column of the
    same name would clash with the annotation)."""
    result = {"a_collected": Count("id")}
    for name, column in FLAG_COLUMNS.items():
        result[f"a_{name}"] = Coalesce(Sum(column), Value(0))
    for span in SPANS:
        result[f"a_{span}_days_sum"] = Coalesce(Sum(f"{span}_days"), Value(0))
        result[f"a_{span}_days_n"] = Count(f"{span}_days")
    return result


def _unprefixed(row: dict) -> dict:
    return {name[2:]: value for name, value in row.items() if name.startswith("a_")}


def _key(expression) -> Cast:
    return Cast(expression, CharField(max_length=20))


@dataclass(frozen=True)
class Grouping:
    """One GROUP BY of the facts: `key` and `region` are expressions, `where` a filter."""

    dimension: str
    key: object
    region: object
    where: Q = field(default_factory=Q)
    label: str = ""

    def queryset(self, facts: QuerySet[StatFact]) -> QuerySet:
        return (
            facts.annotate(stat_region_length=Length("region"))
            .filter(self.where)
            .values(k=self.key, r=self.region)
            .annotate(**aggregates())
            .order_by()
        )


def region_grouping(level: int) -> Grouping:
    prefix = Substr("region", 1, level)
    return Grouping(StatDimension.REGION, prefix, Substr("region", 1, level),
                    Q(stat_region_length__gte=level), f"region{level}")


def snapshot_groupings() -> list[Grouping]:
    groupings = [region_grouping(level) for level in REGION_LEVELS]
    groupings += [
        Grouping(StatDimension.STATION, _key("station"), F("station_region"), Q(station__isnull=False), "station"),
        Grouping(StatDimension.UNIT, _key("unit"), F("unit_region"), Q(unit__isnull=False), "unit"),
        Grouping(StatDimension.DEPUTY, _key("deputy"), F("deputy_region"), Q(deputy__isnull=False), "deputy"),
    ]
    groupings += [
        Grouping(StatDimension.CATEGORY, _key("category"), Substr("region", 1, level),
                 Q(category__isnull=False, stat_region_length__gte=level), f"category{level}")
        for level in REGION_LEVELS
    ]
    return groupings


# --- the nightly snapshot ----------------------------------------------------------------------
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
    sql, params = _compile(queryset)
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
    column = lambda name: _qn(meta.get_field(name).column)  # noqa: E731
    columns = [*constants, "key", "region_code", *figures]
    select = ["%s"] * len(constants) + [f"g.{_qn('k')}", f"g.{_qn('r')}"]
    select += [f"g.{_qn('a_' + name)}" for name in figures]
    # "WHERE 1 = 1": SQLite needs it to tell an upsert's ON CONFLICT from a join's ON.
    statement = (
        f"INSERT INTO {_qn(meta.db_table)} ({', '.join(column(c) for c in columns)}) "
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
        receptions = receptions.filter(station__region__code__startswith=region)
    figures = {"a_receptions": Count("id"), "a_visitors": Coalesce(Sum("visitor_count"), Value(0))}
    groupings = [(
        StatDimension.STATION,
        receptions.values(k=_key("station_id"), r=F("station__region_id")).annotate(**figures),
    )]
    for level in REGION_LEVELS:
        prefix = Substr("station__region_id", 1, level)
        groupings.append((
            StatDimension.REGION,
            receptions.annotate(n=Length("station__region_id")).filter(n__gte=level)
            .values(k=prefix, r=Substr("station__region_id", 1, level)).annotate(**figures),
        ))
    return groupings


def _active_deputies(day: datetime.date, region: str = "") -> QuerySet[Deputy]:
    active = Mandate.objects.filter(deputy=OuterRef("pk"), started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day)
    )
    deputies = Deputy.objects.filter(Exists(active)).order_by()
    if region:
        deputies = deputies.filter(region__code__startswith=region)
    return deputies


def _coverage_queryset(*, day: datetime.date, region: str, level: int) -> QuerySet:
    return (
        _active_deputies(day, region)
        .annotate(
            n=Length("region_id"),
            in_station=Exists(StationMembership.objects.filter(deputy=OuterRef("pk"))),
        )
        .filter(n__gte=level)
        .values(k=Substr("region_id", 1, level), r=Substr("region_id", 1, level))
        .annotate(a_deputies=Count("id"), a_deputies_in_stations=Count("id", filter=Q(in_station=True)))
    )


def coverage_by_region(*, day: datetime.date, region: str = "", level: int) -> dict[str, dict]:
    """Deputies holding a mandate on `day`, and how many of them are grouped into a station
    (编组进站), per region of the given code length, by the deputy's region."""
    return {
        g["k"]: {"deputies": g["a_deputies"], "deputies_in_stations": g["a_deputies_in_stations"]}
        for g in _coverage_queryset(day=day, region=region, level=level)
    }


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
    region level, station, lead unit, lead deputy and category, replacing that date's rows.

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
                    _coverage_queryset(day=date, region=region, level=level), day=date, period=period,
                    dimension=StatDimension.REGION, built_at=built_at, figures=list(COVERAGE_FIGURES), merge=True,
                )
        result.timings["receptions_coverage"] = time.perf_counter() - mark
        result.rows = StatSnapshot.objects.filter(date=date).count()
        result.pruned = _prune(date)
    result.seconds = time.perf_counter() - started
    return result


# --- live figures (the API) -------------------------------------------------------------------
@dataclass
class Summary:
    region: str
    start: datetime.date
    end: datetime.date
    reference: datetime.date
    total: Figures
    by_category: list[tuple[int, Figures]]
    by_unit: list[tuple[int, Figures]]


def summary(*, region: str, start: datetime.date, end: datetime.date) -> Summary:
    """The figures of [start, end] in `region`'s subtree, counted now with the snapshot's code:
    in total, per category and per lead unit."""
    reference = reference_day(end)
    with transaction.atomic():
        tune_session()
        return _summary(region=region, start=start, end=end, reference=reference)


def _summary(*, region, start, end, reference) -> Summary:
    with staged_facts(region=region, start=start, end=end, reference=reference, groups=False) as facts:
        total = Figures(_unprefixed(facts.aggregate(**aggregates())))
        by_category = [
            (int(row["k"]), Figures(_unprefixed(row)))
            for row in Grouping(StatDimension.CATEGORY, F("category"), F("category"), Q(category__isnull=False))
            .queryset(facts).order_by("-a_collected", "k")
        ]
        by_unit = [
            (int(row["k"]), Figures(_unprefixed(row)))
            for row in Grouping(StatDimension.UNIT, F("unit"), F("unit"), Q(unit__isnull=False))
            .queryset(facts).order_by("-a_collected", "k")
        ]
    return Summary(region=region, start=start, end=end, reference=reference, total=total,
                   by_category=by_category, by_unit=by_unit)


# --- reading the snapshots (dashboard, workbook) -----------------------------------------------
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
        rows = rows.filter(region_code__startswith=region)
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
            rows.filter(dimension=StatDimension.STATION, region_code__startswith=region).order_by("-collected", "key")
        )
    return StatDimension.REGION, list(
        rows.filter(dimension=StatDimension.REGION, key__startswith=region)
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
        rows = rows.filter(region_code__startswith=region)
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

    from .models import Category, Unit

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


# --- stations: receptions per month (live: receptions are dated rows themselves) ----------------
@dataclass
class StationMonths:
    station_id: int
    name: str
    region_id: str
    receptions: list[int]
    visitors: list[int]

    @property
    def total_receptions(self) -> int:
        return sum(self.receptions)

    @property
    def total_visitors(self) -> int:
        return sum(self.visitors)


def station_receptions_by_month(*, region: str, year: int) -> list[StationMonths]:
    """接待情况: receptions held and voters received per station and month of `year`
    (every active station of the region, with zeros where nothing was recorded)."""
    from django.db.models.functions import ExtractMonth

    from stations.models import Station

    stations = Station.objects.filter(is_active=True).order_by("region_id", "name")
    receptions = Reception.objects.filter(status=ReceptionStatus.RECORDED, date__year=year).order_by()
    if region:
        stations = stations.filter(region__code__startswith=region)
        receptions = receptions.filter(station__region__code__startswith=region)
    table = {
        s.pk: StationMonths(s.pk, s.name, s.region_id, [0] * 12, [0] * 12)
        for s in stations.only("id", "name", "region_id")
    }
    grouped = receptions.annotate(month=ExtractMonth("date")).values("station_id", "month").annotate(
        n=Count("id"), v=Coalesce(Sum("visitor_count"), Value(0))
    )
    for g in grouped:
        row = table.get(g["station_id"])
        if row is not None:
            row.receptions[g["month"] - 1] = g["n"]
            row.visitors[g["month"] - 1] = g["v"]
    return list(table.values())
