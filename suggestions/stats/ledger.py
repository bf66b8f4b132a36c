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
import time

from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from liaison.regions import within
from suggestions.conf import setting
from suggestions.models import (
    Assignment,
    Evaluation,
    StatChanged,
    StatEvaluationFact,
    StatLedger,
    StatLedgerBuild,
    StatStage,
    Suggestion,
)
from suggestions.stats.figures import FLAG_COLUMNS
from suggestions.stats.staging import (
    _analyze,
    _drop,
    _stage_evaluations,
    _stage_suggestions,
    compile_sql,
    overdue_flag,
    qn,
    span_figures,
    state_flags,
)

# StatFact's flag columns that the ledger names differently (`replied`, `closed` are its dates).
LEDGER_FLAGS = {"replied": "replied_flag", "closed": "closed_flag"}
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
    with transaction.atomic():
        try:
            suggestions = Suggestion.objects.order_by()
            _stage_evaluations(suggestions)
            _stage_suggestions(suggestions, groups=False)
            StatLedger.objects.all().delete()
            rows = _insert_ledger()
            _analyze(StatLedger)
        finally:
            _drop(StatStage, StatEvaluationFact)
        StatLedgerBuild.objects.all().delete()
        build = StatLedgerBuild.objects.create(built_at=built_at, cutoff=cutoff, rows=rows)
    build.seconds = time.perf_counter() - started
    return build


def _insert_ledger() -> int:
    """INSERT INTO the ledger … SELECT from the staged rows: no suggestion passes through Python."""
    flags = state_flags()
    selected = {f"l_{column}": F(source) for column, source in LEDGER_STATE.items()}
    for name, column in FLAG_COLUMNS.items():
        if name != "overdue":
            selected[f"l_{LEDGER_FLAGS.get(name, column)}"] = flags[column]
    sql, params = compile_sql(StatStage.objects.values(**selected))
    meta = StatLedger._meta
    columns = [alias[2:] for alias in selected]
    statement = (
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
        f"SELECT {', '.join(f'g.{qn(alias)}' for alias in selected)} FROM ({sql}) g"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return max(cursor.rowcount, 0)


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


def ledger_rows(*, region: str, start: datetime.date, end: datetime.date, reference: datetime.date) -> QuerySet:
    """The unchanged suggestions of [start, end] in `region`, summed per (category, lead unit)
    from their ledger rows. Needs the working-day table and the changed table staged."""
    rows = StatLedger.objects.filter(created__gte=start, created__lte=end)
    if region:
        rows = rows.filter(within(region, "region"))
    return (
        rows.exclude(suggestion_id__in=StatChanged.objects.values("id"))
        .values("category", "unit")
        .annotate(**ledger_aggregates(reference))
        .order_by()
    )
