"""The live figures of any period (the API): the snapshot's staging and aggregates, counted now."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q

from suggestions.models import StatDimension
from suggestions.stats.figures import Figures
from suggestions.stats.groupings import Grouping, aggregates, unprefixed
from suggestions.stats.periods import reference_day
from suggestions.stats.staging import staged_facts, tune_session


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
        total = Figures(unprefixed(facts.aggregate(**aggregates())))
        by_category = [
            (int(row["k"]), Figures(unprefixed(row)))
            for row in Grouping(StatDimension.CATEGORY, F("category"), F("category"), Q(category__isnull=False))
            .queryset(facts).order_by("-a_collected", "k")
        ]
        by_unit = [
            (int(row["k"]), Figures(unprefixed(row)))
            for row in Grouping(StatDimension.UNIT, F("unit"), F("unit"), Q(unit__isnull=False))
            .queryset(facts).order_by("-a_collected", "k")
        ]
    return Summary(region=region, start=start, end=end, reference=reference, total=total,
                   by_category=by_category, by_unit=by_unit)
