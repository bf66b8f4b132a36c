"""Staging: the cohort of a period in TEMPORARY tables, down to one narrow row of 0/1 flags and
working-day spans per suggestion (`StatFact`), which every grouping then sums."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from liaison.regions import within
from suggestions.calendar import WorkCalendar
from suggestions.models import (
    OPEN_ASSIGNMENT_STATUSES,
    OPEN_SUGGESTION_STATUSES,
    AssignmentRole,
    AssignmentStatus,
    DeputyRole,
    Evaluation,
    Holiday,
    Rating,
    Result,
    Route,
    Session,
    StatEvaluationFact,
    StatFact,
    StatStage,
    Status,
    StatWorkday,
    Suggestion,
    SuggestionKind,
    Supervision,
)
from suggestions.stats.periods import reference_day, start_of

S = Status

ACCEPTED_STATUSES = (S.ACCEPTED, S.ASSIGNED, S.HANDLING, S.REPLIED, S.CLOSED)
ACTIVE_LEAD_STATUSES = (AssignmentStatus.PENDING, AssignmentStatus.SIGNED, AssignmentStatus.REPLIED)


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


def compile_sql(queryset: QuerySet) -> tuple[str, tuple]:
    return queryset.query.get_compiler(connection=connection).as_sql()


def _drop(*models) -> None:
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DROP TABLE IF EXISTS {qn(model._meta.db_table)}")


def _materialize(model, queryset: QuerySet) -> None:
    """CREATE TEMPORARY TABLE <model's table> AS <the queryset's SELECT>."""
    sql, params = compile_sql(queryset)
    table = qn(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {table} AS {sql}", params)
    _analyze(model)


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _local_date(field_name: str) -> TruncDate:
    return TruncDate(field_name, tzinfo=timezone.get_default_timezone())


def _stage_workdays(first: datetime.date, last: datetime.date) -> None:
    """The working-day calendar of [first, last] (a bounded set of dates, from WorkCalendar)."""
    table = qn(StatWorkday._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {table} ({qn('f_day')} date PRIMARY KEY, {qn('f_ordinal')} integer NOT NULL)"
        )
    # The staff's holiday entries of the whole range in one query (not one per year touched).
    calendar = WorkCalendar(overrides=dict(
        Holiday.objects.filter(date__gte=first, date__lte=last).values_list("date", "is_workday")
    ))
    rows, ordinal, day = [], 0, first
    while day <= last:
        if calendar.is_workday(day):
            ordinal += 1
        rows.append(StatWorkday(day=day, ordinal=ordinal))
        day += datetime.timedelta(days=1)
    StatWorkday.objects.bulk_create(rows, batch_size=1000)
    _analyze(StatWorkday)


def _analyze(model) -> None:
    """Temporary and freshly filled tables have no statistics until analysed (PostgreSQL): the
    planner would guess a handful of rows and nest its loops over a million."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {qn(model._meta.db_table)}")


def cohort(*, region: str, start: datetime.date, end: datetime.date) -> QuerySet[Suggestion]:
    """The suggestions collected in [start, end] (local dates) in `region`'s subtree."""
    queryset = Suggestion.objects.filter(
        created_at__gte=start_of(start), created_at__lt=start_of(end + datetime.timedelta(days=1))
    )
    if region:
        queryset = queryset.filter(within(region))
    return queryset.order_by()


def _best(condition: Q) -> Max:
    """The best rating among the evaluations matching `condition` (3, 2, 1; None: none)."""
    return Max(
        Case(
            When(condition & Q(rating=Rating.SATISFIED), then=Value(3)),
            When(condition & Q(rating=Rating.BASICALLY_SATISFIED), then=Value(2)),
            When(condition, then=Value(1)),
            default=Value(None),
            output_field=IntegerField(),
        )
    )


def _stage_evaluations(suggestions: QuerySet[Suggestion]) -> None:
    """Each suggestion's best rating by its deputies (`best`) and by its voter (`voter_best`:
    rated by tracking code, or recorded by staff for the voter — an evaluation with no deputy)."""
    evaluations = (
        Evaluation.objects.filter(suggestion__in=suggestions.values("pk"))
        .order_by()
        .values(f_suggestion=F("suggestion_id"))
        .annotate(f_best=_best(Q(deputy__isnull=False)), f_voter_best=_best(Q(deputy__isnull=True)))
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
        f_session=F("session"),
        f_converted=_flag(Q(converted_from__isnull=False)),
        f_status=F("status"),
        f_route=F("route"),
        f_supervision=F("supervision"),
        f_result=F("result"),
        f_rehandled=_flag(Q(rehandle_count__gt=0)),
        f_fed_back=_flag(Q(fed_back_at__isnull=False)),
        f_best_rating=F("stat_evaluation_fact__best"),
        f_voter_rating=F("stat_evaluation_fact__voter_best"),
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


def state_flags() -> dict:
    """The 0/1 figures of a staged suggestion that depend on its rows alone (StatStage fields),
    named as StatFact's columns: the nightly stages them, the ledger stores them."""
    lead_replied = Q(lead_status=AssignmentStatus.REPLIED, lead_replied__isnull=False)
    return {
        # A voter's issue is collected once: as the opinion, whether it was then merged or
        # converted (转为闭会建议); the deputy's suggestion made from it is not collected again
        # but counts among the deputies' suggestions.
        "collected": _flag(Q(converted=0)),
        "deputy_suggestion": _flag(Q(kind=SuggestionKind.DEPUTY_SUGGESTION)),
        "in_session": _flag(Q(kind=SuggestionKind.DEPUTY_SUGGESTION, session=Session.IN_SESSION)),
        "interim": _flag(Q(kind=SuggestionKind.DEPUTY_SUGGESTION, session=Session.INTERIM)),
        "declined": _flag(Q(status=S.DECLINED)),
        "merged": _flag(Q(status=S.MERGED)),
        "accepted": _flag(Q(status__in=ACCEPTED_STATUSES)),
        "on_spot": _flag(Q(route=Route.ON_SPOT, replied__isnull=False)),
        "assigned": _flag(Q(lead_status__isnull=False)),
        "replied": _flag(Q(replied__isnull=False)),
        "replied_on_time": _flag(lead_replied & Q(lead_replied_id__lte=F("lead_deadline"))),
        "replied_late": _flag(lead_replied & Q(lead_replied_id__gt=F("lead_deadline"))),
        "closed": _flag(Q(status=S.CLOSED)),
        "fed_back": F("fed_back"),
        "result_a": _flag(Q(result=Result.A, replied__isnull=False)),
        "result_b": _flag(Q(result=Result.B, replied__isnull=False)),
        "result_c": _flag(Q(result=Result.C, replied__isnull=False)),
        "result_d": _flag(Q(result=Result.D, replied__isnull=False)),
        "evaluated": _flag(Q(best_rating__isnull=False)),
        "satisfied": _flag(Q(best_rating=3)),
        "basically_satisfied": _flag(Q(best_rating=2)),
        "unsatisfied": _flag(Q(best_rating=1)),
        "voter_evaluated": _flag(Q(voter_rating__isnull=False)),
        "voter_satisfied": _flag(Q(voter_rating__gte=2)),
        "supervised": _flag(~Q(supervision=Supervision.NONE)),
        "key_supervised": _flag(Q(supervision=Supervision.KEY)),
        "rehandled": F("rehandled"),
    }


def overdue_flag(reference: datetime.date) -> Case:
    """超期未答复 on `reference`: still with its lead unit, unanswered, past the deadline. Counted
    when read, never stored: it changes as days pass."""
    return _flag(
        Q(status__in=OPEN_SUGGESTION_STATUSES, lead_status__in=OPEN_ASSIGNMENT_STATUSES, lead_deadline__lt=reference)
    )


def span_figures() -> dict[str, Case]:
    """The working-day spans from the staged dates, joined to StatWorkday: the calendar of the
    moment they are counted (a holiday entered today counts at once)."""
    closed = Q(status=S.CLOSED)
    lead_replied = Q(lead_status=AssignmentStatus.REPLIED, lead_replied__isnull=False)
    return {
        "assign": _span("lead_assigned", "created"),
        "handle": _span("lead_replied", "lead_assigned", lead_replied),
        "close": _span("closed", "replied", closed),
        "total": _span("closed", "created", closed),
    }


def _stage_facts(reference: datetime.date) -> None:
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
        **{f"f_{name}": expression for name, expression in state_flags().items()},
        f_overdue=overdue_flag(reference),
        **{f"f_{span}_days": expression for span, expression in span_figures().items()},
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
                 reference: datetime.date | None = None, groups: bool = True,
                 only: Q | None = None) -> Iterator[QuerySet[StatFact]]:
    """Stage the cohort of [start, end] in `region` and yield StatFact's queryset over it.

    Must run inside a transaction (the caller's `atomic`); the tables are dropped on exit.
    Without `groups`, only totals, categories and lead units can be grouped by. `only` narrows
    the cohort (the live figures: the suggestions changed since the ledger was built).
    """
    reference = reference or reference_day(end)
    today = timezone.localdate()
    suggestions = cohort(region=region, start=start, end=end)
    if only is not None:
        suggestions = suggestions.filter(only)
    try:
        _stage_workdays(start, max(end, today) + datetime.timedelta(days=1))
        _stage_evaluations(suggestions)
        _stage_suggestions(suggestions, groups=groups)
        _stage_facts(reference)
        yield StatFact.objects.all()
    finally:
        _drop(StatFact, StatStage, StatEvaluationFact, StatWorkday)
