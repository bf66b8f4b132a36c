"""The live figures of any period (the API): the ledger's unchanged suggestions plus the changed
ones staged afresh by the snapshot's own code, counted now (ledger.py says how they stay exact)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from suggestions.stats import ledger
from suggestions.stats.figures import Figures
from suggestions.stats.groupings import aggregates, unprefixed
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
    """The figures of [start, end] in `region`'s subtree, counted now: in total, per category and
    per lead unit. A fixed number of queries whatever the period or the region's size."""
    reference = reference_day(end)
    with transaction.atomic():
        tune_session()
        build = ledger.latest_build()
        if build is None:  # no nightly run yet: every suggestion staged afresh
            groups = _staged_groups(region=region, start=start, end=end, reference=reference, only=None)
        else:
            ledger.stage_changed(build.cutoff)
            try:
                groups = _staged_groups(region=region, start=start, end=end, reference=reference,
                                        only=ledger.changed(), with_ledger=True)
            finally:
                ledger.drop_changed()
    return _rolled_up(groups, region=region, start=start, end=end, reference=reference)


def _staged_groups(*, region, start, end, reference, only, with_ledger=False) -> list[dict]:
    """Rows of (category, unit, a_<figure>…): the staged suggestions' and, with the ledger, the
    unchanged suggestions' (the working-day table the staging made serves both)."""
    with staged_facts(region=region, start=start, end=end, reference=reference, groups=False, only=only) as facts:
        rows = list(facts.values("category", "unit").annotate(**aggregates()).order_by())
        if with_ledger:
            rows += list(ledger.ledger_rows(region=region, start=start, end=end, reference=reference))
    return rows


def _rolled_up(rows: list[dict], **summary_fields) -> Summary:
    """The (category, unit) sums added up into the total, the categories and the units: every
    figure is a sum or a count, so the parts add up exactly."""
    total: dict[str, int] = defaultdict(int)
    by_category: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_unit: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        values = unprefixed(row)
        targets = [total]
        if row["category"] is not None:
            targets.append(by_category[int(row["category"])])
        if row["unit"] is not None:
            targets.append(by_unit[int(row["unit"])])
        for target in targets:
            for name, value in values.items():
                target[name] += int(value or 0)
    return Summary(
        **summary_fields,
        total=Figures(total),
        by_category=_ordered(by_category),
        by_unit=_ordered(by_unit),
    )


def _ordered(groups: dict[int, dict[str, int]]) -> list[tuple[int, Figures]]:
    """Most collected first, then by key (as the snapshot rows are read)."""
    return [(key, Figures(values)) for key, values in sorted(groups.items(), key=lambda kv: (-kv[1]["collected"], kv[0]))]
