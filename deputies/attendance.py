"""进站入点: who has been to a station to receive voters — every deputy once a month (每月进站入点),
leading officials once a quarter ("深入联络站点接待群众").

Only receptions held at a station or point count (`AT_STATION_MODES`): a home visit, a mobile
or online reception is duty (it counts in the duty score) but not a visit to the station.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractQuarter
from django.utils import timezone

from deputies.models import (
    Deputy,
    Mandate,
    Reception,
    ReceptionMode,
    ReceptionStatus,
    StationMembership,
)
from liaison.regions import within

# The modes that are a reception at the station or point itself.
AT_STATION_MODES = (ReceptionMode.STATION,)


def station_visits():
    """The (deputy, reception) rows that are a visit to a station: recorded, at the station."""
    return Reception.deputies.through.objects.filter(
        reception__status=ReceptionStatus.RECORDED, reception__mode__in=AT_STATION_MODES
    )


def serving_deputies(day: datetime.date):
    """Deputies holding a mandate on `day` (or with no mandate recorded) grouped into a station."""
    mandates = Mandate.objects.filter(deputy=OuterRef("pk"))
    active = mandates.filter(started_on__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
    return Deputy.objects.filter(Exists(StationMembership.objects.filter(deputy=OuterRef("pk")))).filter(
        Exists(active) | ~Exists(mandates)
    )


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def missed_month(*, region: str, month: datetime.date, limit: int | None = None) -> list[Deputy]:
    """每月进站入点: the serving deputies of `region` grouped into a station who attended no
    reception at a station in the month of `month` (two queries at most)."""
    first, last = month_bounds(month)
    visited = station_visits().filter(
        deputy_id=OuterRef("pk"), reception__date__gte=first, reception__date__lte=last
    )
    deputies = serving_deputies(last).exclude(Exists(visited)).select_related("region").order_by("region_id", "name", "id")
    if region:
        deputies = deputies.filter(within(region))
    return list(deputies[:limit] if limit else deputies)


@dataclass
class LeaderVisits:
    deputy: Deputy
    per_quarter: list[int]
    missed: list[int]  # quarters (1–4) that have ended with fewer visits than required


def quarter_end(year: int, quarter: int) -> datetime.date:
    if quarter == 4:
        return datetime.date(year, 12, 31)
    return datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)


def leader_visits(
    *, region: str, year: int, today: datetime.date | None = None, required: int | None = None
) -> list[LeaderVisits]:
    """Each leading-official deputy of the region: receptions at a station attended per quarter
    of `year`, and the ended quarters with fewer than `required` (default: the setting
    LEADER_VISITS_PER_QUARTER) — two queries."""
    from django.conf import settings

    today = today or timezone.localdate()
    if required is None:
        required = int(getattr(settings, "LIAISON", {}).get("LEADER_VISITS_PER_QUARTER", 1))
    leaders = Deputy.objects.filter(is_leading_official=True).order_by("region_id", "name", "id")
    if region:
        leaders = leaders.filter(within(region))
    visits = (
        station_visits().filter(deputy_id__in=leaders.values("pk"), reception__date__year=year)
        .annotate(quarter=ExtractQuarter("reception__date"))
        .values("deputy_id", "quarter")
        .annotate(n=Count("reception_id", distinct=True))
    )
    leaders = list(leaders)
    table: dict[int, list[int]] = {d.pk: [0, 0, 0, 0] for d in leaders}
    for row in visits:
        table[row["deputy_id"]][row["quarter"] - 1] = row["n"]
    ended = [q for q in (1, 2, 3, 4) if quarter_end(year, q) < today]
    return [
        LeaderVisits(deputy=d, per_quarter=table[d.pk], missed=[q for q in ended if table[d.pk][q - 1] < required])
        for d in leaders
    ]
