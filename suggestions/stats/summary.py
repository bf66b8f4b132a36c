"""The live figures of any period (the API): the ledger's unchanged suggestions plus the changed
ones staged afresh by the snapshot's own code, counted now (ledger.py says how they stay exact)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q

from suggestions.stats import ledger
from suggestions.stats.figures import Figures
from suggestions.stats.groupings import aggregates
from suggestions.stats.periods import reference_day
from suggestions.stats.staging import compile_sql, qn, staged_facts, tune_session


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
    """The figures of [start, end] in `region`'s subtree, counted now: in total, per category and
    per lead unit. A fixed number of queries whatever the period or the region's size."""
    reference = reference_day(end)
    totals = _Totals()
    with transaction.atomic():
        tune_session()
        build = ledger.latest_build()
        if build is None:  # no nightly run yet: every suggestion staged afresh
            with staged_facts(region=region, start=start, end=end, reference=reference, groups=False) as facts:
                totals.add_cells(by_dimension(facts.values("category", "unit").annotate(**aggregates()).order_by()))
        else:
            ledger.stage_changed(build.cutoff)
            try:
                _count_with_ledger(totals, build, region=region, start=start, end=end, reference=reference)
            finally:
                ledger.drop_changed()
    return totals.summary(region=region, start=start, end=end, reference=reference)


def _count_with_ledger(totals, build, *, region, start, end, reference) -> None:
    """The changed suggestions staged afresh; the others from the ledger: whole months of a
    county or above from the monthly cells (less the changed suggestions' old rows, plus
    overdue counted now), the remaining days from the ledger's rows."""
    months = ledger.whole_months(start, end) if ledger.cells_usable(build, region=region, end=end) else None
    with staged_facts(region=region, start=start, end=end, reference=reference, groups=False,
                      only=ledger.changed()) as facts:
        totals.add_cells(by_dimension(facts.values("category", "unit").annotate(**aggregates()).order_by()))
        days = Q(created__gte=start, created__lte=end)
        if months is not None:  # the days before the first whole month and after the last
            first, last = months
            after = (last.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            days = Q(created__gte=start, created__lt=first) | Q(created__gte=after, created__lte=end)
            totals.add_cells(ledger.cell_rows(region=region, months=months))
            totals.add_cells(by_dimension(ledger.changed_in_cells(region=region, months=months)), sign=-1)
            totals.add_cells(by_dimension(ledger.overdue_in_cells(region=region, months=months, reference=reference)))
        totals.add_cells(by_dimension(ledger.ledger_rows(region=region, days=days, reference=reference)))


class _Totals:
    """Sums of figures in total, per category and per lead unit: every figure is a sum or a
    count, so parts add up (and the changed suggestions' old parts subtract) exactly."""

    def __init__(self):
        self.total: dict[str, int] = defaultdict(int)
        self.by_category: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.by_unit: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def _into(self, targets, row, sign):
        values = [(name[2:], sign * int(value or 0)) for name, value in row.items() if name.startswith("a_")]
        for target in targets:
            for name, value in values:
                target[name] += value

    def add_cells(self, rows, *, sign: int = 1) -> None:
        """Rows of (dimension, key, a_<figure>…): the category rows make the total as well."""
        for row in rows:
            key = None if row["key"] is None else int(row["key"])
            if row["dimension"] == "category":
                targets = [self.total] + ([self.by_category[key]] if key is not None else [])
            else:
                targets = [self.by_unit[key]] if key is not None else []
            self._into(targets, row, sign)

    def summary(self, **fields) -> Summary:
        return Summary(**fields, total=Figures(self.total), by_category=_ordered(self.by_category),
                       by_unit=_ordered(self.by_unit))


def by_dimension(queryset) -> list[dict]:
    """A queryset of (category, unit, a_<figure>…) rows added up once per category and once per
    lead unit by the database (a province has tens of thousands of category × unit pairs and a
    few thousand categories and units): rows of (dimension, key, a_<figure>…) as the cells'."""
    sql, params = compile_sql(queryset)
    names = [name for name in queryset.query.annotation_select if name.startswith("a_")]
    sums = ", ".join(f"SUM(g.{qn(name)}) AS {qn(name)}" for name in names)
    statement = (
        f"WITH g AS ({sql}) "
        f"SELECT 'category' AS dimension, g.{qn('category')} AS {qn('key')}, {sums} FROM g GROUP BY g.{qn('category')} "
        f"UNION ALL SELECT 'unit', g.{qn('unit')}, {sums} FROM g GROUP BY g.{qn('unit')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        columns = ["dimension", "key", *names]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _ordered(groups: dict[int, dict[str, int]]) -> list[tuple[int, Figures]]:
    """The groups holding a suggestion (each is collected or a deputy's suggestion: a group
    whose last one moved away is gone), most collected first, then by key."""
    held = [(key, values) for key, values in groups.items() if values["collected"] or values["deputy_suggestions"]]
    return [(key, Figures(values)) for key, values in sorted(held, key=lambda kv: (-kv[1]["collected"], kv[0]))]
