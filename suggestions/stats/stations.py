"""Stations and deputies: receptions per station and month, and how many deputies holding a
mandate are grouped into a station (编组进站), per region."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Length, Substr

from deputies.models import Deputy, Mandate, Reception, ReceptionStatus, StationMembership
from liaison.regions import within


def active_deputies(day: datetime.date, region: str = "") -> QuerySet[Deputy]:
    active = Mandate.objects.filter(deputy=OuterRef("pk"), started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day)
    )
    deputies = Deputy.objects.filter(Exists(active)).order_by()
    if region:
        deputies = deputies.filter(within(region))
    return deputies


def coverage_queryset(*, day: datetime.date, region: str, level: int) -> QuerySet:
    return (
        active_deputies(day, region)
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
        for g in coverage_queryset(day=day, region=region, level=level)
    }


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
        stations = stations.filter(within(region))
        receptions = receptions.filter(within(region, "station__region__code"))
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

