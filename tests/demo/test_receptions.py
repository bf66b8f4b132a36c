"""The demo city's reception days."""

import datetime

import pytest
from django.db.models import Count, Q

from demo.network import RECEPTION_DAY
from deputies.models import (
    Deputy,
    Reception,
    ReceptionStatus,
)
from stations.models import Station, StationKind
from tests.demo.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_receptions_are_recorded_before_today_and_scheduled_after(small_city):
    receptions = Reception.objects.select_related("station")
    assert (
        receptions.filter(date__lt=TODAY).exists() and receptions.filter(date__gte=TODAY).exists()
    )
    assert not receptions.filter(date__lt=TODAY, status=ReceptionStatus.SCHEDULED).exists()
    assert set(receptions.filter(date__gte=TODAY).values_list("status", flat=True)) == {
        ReceptionStatus.SCHEDULED
    }
    recorded = receptions.filter(status=ReceptionStatus.RECORDED)
    assert not recorded.filter(Q(visitor_count=0) | Q(summary="")).exists()
    assert not receptions.filter(status=ReceptionStatus.SCHEDULED, visitor_count__gt=0).exists()
    assert not recorded.annotate(n=Count("deputies")).filter(n=0).exists()
    # Every township station holds its reception day each month, a year back and two ahead.
    station = Station.objects.filter(kind=StationKind.STATION, is_industry=False).first()
    days = list(station.receptions.order_by("date").values_list("date", flat=True))
    assert len(days) == 14
    assert {d.day for d in days} == {RECEPTION_DAY}
    assert days[0] == datetime.date(2025, 6, 15) and days[-1] == datetime.date(2026, 7, 15)
    assert len(set(receptions.values_list("mode", flat=True))) >= 4
    assert receptions.filter(station__kind=StationKind.POINT).exists()


def test_leading_officials_receive_voters_at_their_stations(small_city):
    leaders = Deputy.objects.filter(is_leading_official=True)
    assert leaders.exists()
    received = leaders.filter(receptions__status=ReceptionStatus.RECORDED).distinct()
    assert received.count() >= leaders.count() * 0.8
    for deputy in received[:20]:
        stations = set(deputy.memberships.values_list("station_id", flat=True))
        assert set(deputy.receptions.values_list("station_id", flat=True)) <= stations
