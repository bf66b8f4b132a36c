"""Phone-first public station pages: what a visitor needs first comes first, points are told
apart by their township, and the finder's example (an area's name) finds its stations."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies.models import ReceptionStatus
from stations.models import StationKind
from tests.factories import (
    DeputyFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
)

pytestmark = pytest.mark.django_db


def test_the_station_page_puts_the_next_reception_address_phone_and_write_to_us_above_the_deputies(client, changzhi):
    station = StationFactory(name="太东街道人大代表联络站", region=changzhi["township"], address="太东大街1号",
                             phone="0355-2020000")
    for n in range(40):
        StationMembershipFactory(station=station, deputy=DeputyFactory(name=f"代表{n:02d}", region=changzhi["township"]))
    day = timezone.localdate() + datetime.timedelta(days=5)
    ReceptionFactory(station=station, date=day, status=ReceptionStatus.SCHEDULED,
                     deputies=[DeputyFactory(name="接待代表甲", region=changzhi["township"])])
    page = client.get(reverse("stations:detail", args=[station.pk])).content.decode()
    first_deputy = page.index("代表00")
    for needed in ("向本站反映意见建议", "下次接待", day.isoformat(), "太东大街1号", "0355-2020000"):
        assert page.index(needed) < first_deputy, needed
    assert page.index("近期接待安排") < first_deputy


def test_points_are_told_apart_by_their_township_and_an_area_name_finds_its_stations(client, changzhi):
    parent = StationFactory(name="太东街道人大代表联络站", region=changzhi["township"])
    StationFactory(name="新华社区代表联络点", kind=StationKind.POINT, parent=parent, region=changzhi["township"])
    other = StationFactory(name="韩店镇人大代表联络站", region=changzhi["other_township"])
    StationFactory(name="新华社区代表联络点", kind=StationKind.POINT, parent=other, region=changzhi["other_township"])
    page = client.get(reverse("stations:find"), {"q": "新华社区"}).content.decode()
    assert "新华社区代表联络点（太东街道）" in page and "新华社区代表联络点（韩店镇）" in page
    by_area = client.get(reverse("stations:find"), {"q": "太东街道"})
    assert {s.name for s in by_area.context["page"].object_list} == {"太东街道人大代表联络站", "新华社区代表联络点"}


def test_the_search_boxs_example_is_a_township_of_the_shipped_city(client):
    """The example in the search box must find something in the demo: a township of 长治市."""
    from stations.services import SHIPPED_REGIONS_DIR

    example = "东街街道"
    assert f"如：{example}" in client.get("/").content.decode()
    streets = (SHIPPED_REGIONS_DIR / "streets.csv").read_text(encoding="utf-8")
    assert any(line.startswith("1404") and f'"{example}"' in line for line in streets.splitlines())
