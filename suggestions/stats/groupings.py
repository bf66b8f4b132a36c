"""The aggregates (every figure as a SUM or COUNT over `StatFact`) and the GROUP BYs of a snapshot."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import CharField, Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, Length, Substr

from suggestions.models import StatDimension, StatFact
from suggestions.stats.figures import FLAG_COLUMNS, REGION_LEVELS, SPANS


def aggregates() -> dict:
    """Every figure as an aggregate over StatFact, named `a_<figure>` (a StatFact column of the
    same name would clash with the annotation)."""
    result = {}
    for name, column in FLAG_COLUMNS.items():
        result[f"a_{name}"] = Coalesce(Sum(column), Value(0))
    for span in SPANS:
        result[f"a_{span}_days_sum"] = Coalesce(Sum(f"{span}_days"), Value(0))
        result[f"a_{span}_days_n"] = Count(f"{span}_days")
    return result


def unprefixed(row: dict) -> dict:
    return {name[2:]: value for name, value in row.items() if name.startswith("a_")}


def as_key(expression) -> Cast:
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
        Grouping(StatDimension.STATION, as_key("station"), F("station_region"), Q(station__isnull=False), "station"),
        Grouping(StatDimension.UNIT, as_key("unit"), F("unit_region"), Q(unit__isnull=False), "unit"),
        Grouping(StatDimension.DEPUTY, as_key("deputy"), F("deputy_region"), Q(deputy__isnull=False), "deputy"),
    ]
    groupings += [
        Grouping(StatDimension.CATEGORY, as_key("category"), Substr("region", 1, level),
                 Q(category__isnull=False, stat_region_length__gte=level), f"category{level}")
        for level in REGION_LEVELS
    ]
    return groupings
