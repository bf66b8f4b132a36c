"""The demo city's network: the hub, a station per township, points, homes and studios."""

import pytest

from demo.network import CITY_CODE, HUB_NAME, JUDICIAL_COUNTY, JUDICIAL_STATION, RECEPTION_DAY
from stations.models import RegionLevel, Station, StationKind
from tests.demo.conftest import SCALE

pytestmark = pytest.mark.django_db


def test_small_city_has_a_hub_a_station_per_township_and_points_under_them(small_city):
    hub = Station.objects.get(kind=StationKind.HUB)
    assert hub.name == HUB_NAME
    assert hub.region_id == CITY_CODE
    stations = Station.objects.filter(kind=StationKind.STATION, is_industry=False)
    assert stations.count() == small_city["stations"]["station"] - 2 == round(149 * SCALE)
    assert all(s.region.level == RegionLevel.TOWNSHIP and s.parent_id == hub.pk for s in stations)
    points = Station.objects.filter(kind=StationKind.POINT).select_related("parent")
    assert points.count() == round(391 * SCALE)
    for point in points:
        assert point.parent.kind == StationKind.STATION
        assert point.region_id == point.parent.region_id
    assert Station.objects.filter(kind=StationKind.STATION, is_industry=True).count() == 2
    assert Station.objects.filter(kind=StationKind.HOME).count() == 4
    assert Station.objects.filter(kind=StationKind.STUDIO).count() == 2
    assert set(Station.objects.values_list("reception_day", flat=True)) == {RECEPTION_DAY}


def test_lichengs_judicial_station_has_its_four_points_with_deputies(small_city):
    station = Station.objects.get(name=JUDICIAL_STATION)
    assert (station.region_id, station.is_industry, station.specialty) == (JUDICIAL_COUNTY, True, "司法")
    points = Station.objects.filter(parent=station, kind=StationKind.POINT)
    assert sorted(p.name for p in points) == sorted([
        "黎城县人民法院代表联络点", "黎城县人民检察院代表联络点", "黎城县公安局代表联络点", "黎城县司法局代表联络点",
    ])
    assert all(p.memberships.exists() for p in points)
