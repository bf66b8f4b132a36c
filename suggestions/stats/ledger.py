"""The ledger (统计台账): one row per suggestion, so the live figures of a province need not
recount a million suggestions from the workflow rows.

What a row holds
----------------
A suggestion's figures that depend on its rows alone (the 0/1 flags of `staging.state_flags`,
the very expressions the nightly stages), its region, category and lead unit, and what the
other figures are counted from *when read*: the dates of its working-day spans (joined to the
calendar of that moment: a holiday entered today counts at once) and its lead assignment's
state and deadline (超期未答复 depends on the day it is judged on). No stored figure goes stale
as days pass.

How the live figures stay exact
-------------------------------
The nightly run rebuilds the ledger whole and records a `cutoff`: the moment it began, less
STATS_LEDGER_MARGIN_SECONDS. A live count (summary.py) then takes

- every suggestion of the period whose rows changed at or after the cutoff — its own row
  (`updated_at`), one of its assignments (`updated_at`) or a new evaluation (`created_at`);
  every write path stamps these (services save with `update_fields=[…, "updated_at"]`, the
  admin and the historical import save whole rows) — staged afresh from the workflow rows
  by the nightly's own staging (staging.py), and
- every other suggestion of the period from its ledger row,

and adds the two: the changed suggestions' contributions replace their ledger rows', never add
to them (a changed suggestion is left out of the ledger part wherever it now lies). With no
ledger built yet, everything is staged afresh, as before.

Rows written behind the ORM's back with an old `updated_at` (a COPY, a raw UPDATE) are not
seen until the next rebuild: run `build_stats` after such a load (bench_stats and
generate_province's users do).
"""

from __future__ import annotations

import datetime
import hashlib
import time

import chinese_calendar
from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, DateField, F, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, Substr, TruncMonth
from django.utils import timezone

from liaison.regions import within
from suggestions.conf import setting
from suggestions.models import (
    OPEN_ASSIGNMENT_STATUSES,
    OPEN_SUGGESTION_STATUSES,
    Assignment,
    Evaluation,
    Holiday,
    StatChanged,
    StatEvaluationFact,
    StatLedger,
    StatLedgerBuild,
    StatLedgerCell,
    StatStage,
    StatWorkday,
    Suggestion,
)
from suggestions.stats.figures import FLAG_COLUMNS, SPANS
from suggestions.stats.staging import (
    _analyze,
    _drop,
    _stage_evaluations,
    _stage_suggestions,
    _stage_workdays,
    compile_sql,
    overdue_flag,
    qn,
    span_figures,
    state_flags,
)

# StatFact's flag columns that the ledger names differently (`replied`, `closed` are its dates).
LEDGER_FLAGS = {"replied": "replied_flag", "closed": "closed_flag"}
# The cells add up counties (the first six digits of a region code) and the regions above.
COUNTY = 6
# The ledger's columns that are copied from the staged row as they are.
LEDGER_STATE = {
    "suggestion_id": "id", "region": "region", "category": "category", "unit": "unit", "status": "status",
    "lead_status": "lead_status", "lead_deadline": "lead_deadline", "created_id": "created_id",
    "replied_id": "replied_id", "closed_id": "closed_id", "lead_assigned_id": "lead_assigned_id",
    "lead_replied_id": "lead_replied_id",
}


def ledger_rebuild() -> StatLedgerBuild:
    """Replace every ledger row with each suggestion as its rows stand now (the nightly run).

    Atomic: a live count sees the old ledger and its cutoff, or the new ones.
    """
    started = time.perf_counter()
    built_at = timezone.now()
    cutoff = built_at - datetime.timedelta(seconds=int(setting("STATS_LEDGER_MARGIN_SECONDS")))
    today = timezone.localdate()
    with transaction.atomic():
        try:
            suggestions = Suggestion.objects.order_by()
            _stage_evaluations(suggestions)
            _stage_suggestions(suggestions, groups=False)
            first = StatStage.objects.aggregate(first=Min("created_id"))["first"] or today
            _stage_workdays(first, today + datetime.timedelta(days=1))
            StatLedger.objects.all().delete()
            rows = _insert_ledger()
            _analyze(StatLedger)
            StatLedgerCell.objects.all().delete()
            _insert_cells()
            _analyze(StatLedgerCell)
        finally:
            _drop(StatStage, StatEvaluationFact, StatWorkday)
        StatLedgerBuild.objects.all().delete()
        build = StatLedgerBuild.objects.create(built_at=built_at, cutoff=cutoff, rows=rows, day=today,
                                               calendar=calendar_fingerprint())
    build.seconds = time.perf_counter() - started
    return build


def _insert_ledger() -> int:
    """INSERT INTO the ledger … SELECT from the staged rows: no suggestion passes through Python."""
    flags = state_flags()
    selected = {f"l_{column}": F(source) for column, source in LEDGER_STATE.items()}
    for name, column in FLAG_COLUMNS.items():
        if name != "overdue":
            selected[f"l_{LEDGER_FLAGS.get(name, column)}"] = flags[column]
    for span, expression in span_figures().items():
        selected[f"l_{span}_days"] = expression
    selected["l_month"] = TruncMonth(Cast("created_id", DateField()), output_field=DateField())
    return _insert_select(StatLedger, StatStage.objects.values(**selected))


def _insert_select(model, queryset: QuerySet) -> int:
    """INSERT INTO `model` (columns named by the aliases, less their `l_`) SELECT `queryset`."""
    sql, params = compile_sql(queryset)
    aliases = [alias for alias in queryset.query.annotation_select if alias.startswith("l_")]
    columns = [model._meta.get_field(alias[2:]).column for alias in aliases]
    statement = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
        f"SELECT {', '.join(f'g.{qn(alias)}' for alias in aliases)} FROM ({sql}) g"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return max(cursor.rowcount, 0)


def _stored_sums() -> dict:
    """The cells' columns as sums of the ledger's stored flags and spans (`l_<column>`)."""
    sums = {"l_rows": Count("pk")}
    for name, column in FLAG_COLUMNS.items():
        if name != "overdue":
            field = LEDGER_FLAGS.get(name, column)
            sums[f"l_{field}"] = Coalesce(Sum(field, output_field=BigIntegerField()), Value(0))
    for span in SPANS:
        sums[f"l_{span}_days_sum"] = Coalesce(Sum(f"{span}_days", output_field=BigIntegerField()), Value(0))
        sums[f"l_{span}_days_n"] = Count(f"{span}_days")
    return sums


def _insert_cells() -> None:
    for dimension in ("category", "unit"):
        _insert_select(StatLedgerCell, StatLedger.objects.values(
            l_month=F("month"), l_region=Substr("region", 1, COUNTY), l_dimension=Value(dimension),
            l_key=F(dimension),
        ).annotate(**_stored_sums()).order_by())


def calendar_fingerprint() -> str:
    """What the working days are computed from: the staff's holiday table and the calendar
    package's version. The cells' spans hold while it is unchanged."""
    digest = hashlib.sha256(f"chinese_calendar {chinese_calendar.__version__}".encode())
    for day, is_workday in Holiday.objects.order_by("date").values_list("date", "is_workday"):
        digest.update(f"|{day.isoformat()}:{int(is_workday)}".encode())
    return digest.hexdigest()


def latest_build() -> StatLedgerBuild | None:
    return StatLedgerBuild.objects.order_by("-built_at").first()


def stage_changed(cutoff: datetime.datetime) -> None:
    """The TEMPORARY table of suggestions whose rows changed at or after `cutoff` (one statement,
    each part an index range scan)."""
    sources = [
        Suggestion.objects.filter(updated_at__gte=cutoff).values_list("pk"),
        Suggestion.objects.filter(created_at__gte=cutoff).values_list("pk"),
        Assignment.objects.filter(updated_at__gte=cutoff).values_list("suggestion_id"),
        Evaluation.objects.filter(created_at__gte=cutoff).values_list("suggestion_id"),
    ]
    parts, params = [], []
    for queryset in sources:
        sql, part_params = compile_sql(queryset.order_by())
        parts.append(sql)
        params.extend(part_params)
    table = qn(StatChanged._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {table} ({qn('f_id')} bigint PRIMARY KEY)")
        cursor.execute(f"INSERT INTO {table} ({qn('f_id')}) {' UNION '.join(parts)}", params)


def drop_changed() -> None:
    _drop(StatChanged)


def changed() -> Q:
    """The suggestions of `stage_changed`'s table, as a filter on Suggestion."""
    return Q(pk__in=StatChanged.objects.values("id"))


def ledger_aggregates(reference: datetime.date) -> dict:
    """Every figure as an aggregate over the ledger, named `a_<figure>` as groupings.aggregates()
    names them over StatFact: stored flags summed, 超期未答复 and the spans counted now."""
    result = {}
    for name, column in FLAG_COLUMNS.items():
        value = overdue_flag(reference) if name == "overdue" else F(LEDGER_FLAGS.get(name, column))
        result[f"a_{name}"] = Coalesce(Sum(value, output_field=BigIntegerField()), Value(0))
    for span, expression in span_figures().items():
        result[f"a_{span}_days_sum"] = Coalesce(Sum(expression, output_field=BigIntegerField()), Value(0))
        result[f"a_{span}_days_n"] = Count(expression)
    return result


def _unchanged(rows: QuerySet) -> QuerySet:
    return rows.exclude(suggestion_id__in=StatChanged.objects.values("id"))


def _in_region(rows: QuerySet, region: str) -> QuerySet:
    return rows.filter(within(region, "region")) if region else rows


def ledger_rows(*, region: str, days: Q, reference: datetime.date) -> QuerySet:
    """The unchanged suggestions collected on `days` (a filter on `created`) in `region`, summed
    per (category, lead unit) from their ledger rows, spans and overdue counted now. Needs the
    working-day table and the changed table staged."""
    rows = _unchanged(_in_region(StatLedger.objects.filter(days), region))
    return rows.values("category", "unit").annotate(**ledger_aggregates(reference)).order_by()


# --- whole months from the cells -------------------------------------------------------------


def cells_usable(build: StatLedgerBuild, *, region: str, end: datetime.date) -> bool:
    """The cells serve a count of a county or above, on the day they were built (spans stop at
    the day after it, as a live count's do), for a period ended by then, with the calendar
    unchanged (a holiday entered since changes the spans: the rows are read instead)."""
    today = timezone.localdate()
    fingerprint = calendar_fingerprint()
    return len(region) <= COUNTY and build.day == today and end <= today and build.calendar == fingerprint


def whole_months(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """The first days of the first and last calendar months lying wholly in [start, end]."""
    first = start if start.day == 1 else (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    after = end + datetime.timedelta(days=1)
    last = (after.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    return (first, last) if first <= last else None


def month_days(months: tuple[datetime.date, datetime.date]) -> Q:
    """The collection days of the months `months` spans (a filter on the ledger's `created`)."""
    first, last = months
    return Q(month__gte=first, month__lte=last)


def cell_rows(*, region: str, months: tuple[datetime.date, datetime.date]) -> QuerySet:
    """The cells of the months in `region`, per (dimension, key), as `a_<figure>` (no overdue)."""
    cells = StatLedgerCell.objects.filter(month__gte=months[0], month__lte=months[1])
    if region:
        cells = cells.filter(region__startswith=region)
    sums = {}
    for name, column in FLAG_COLUMNS.items():
        if name != "overdue":
            sums[f"a_{name}"] = Coalesce(Sum(LEDGER_FLAGS.get(name, column), output_field=BigIntegerField()), Value(0))
    for span in SPANS:
        for part in ("sum", "n"):
            sums[f"a_{span}_days_{part}"] = Coalesce(
                Sum(f"{span}_days_{part}", output_field=BigIntegerField()), Value(0))
    return cells.values("dimension", "key").annotate(**sums).order_by()


def changed_in_cells(*, region: str, months: tuple[datetime.date, datetime.date]) -> QuerySet:
    """The changed suggestions' ledger rows that the cells of the months hold, per (category,
    lead unit), summed as the cells sum them: what to take out of the cells."""
    rows = _in_region(StatLedger.objects.filter(month_days(months)), region)
    rows = rows.filter(suggestion_id__in=StatChanged.objects.values("id"))
    sums = {}
    for name, column in FLAG_COLUMNS.items():
        if name != "overdue":
            sums[f"a_{name}"] = Coalesce(Sum(LEDGER_FLAGS.get(name, column), output_field=BigIntegerField()), Value(0))
    for span in SPANS:
        sums[f"a_{span}_days_sum"] = Coalesce(Sum(f"{span}_days", output_field=BigIntegerField()), Value(0))
        sums[f"a_{span}_days_n"] = Count(f"{span}_days")
    return rows.values("category", "unit").annotate(**sums).order_by()


def overdue_in_cells(*, region: str, months: tuple[datetime.date, datetime.date], reference: datetime.date) -> QuerySet:
    """超期未答复 on `reference` among the unchanged suggestions of the months, per (category, lead
    unit): the open rows only (a partial index), counted now."""
    rows = _unchanged(_in_region(StatLedger.objects.filter(month_days(months)), region))
    rows = rows.filter(status__in=OPEN_SUGGESTION_STATUSES, lead_status__in=OPEN_ASSIGNMENT_STATUSES)
    rows = rows.filter(lead_deadline__lt=reference)  # overdue_flag's condition, as an index range
    return rows.values("category", "unit").annotate(a_overdue=Sum(overdue_flag(reference))).order_by()
