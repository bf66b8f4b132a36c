"""The admin for regions and stations: pages, scoping by region, role access, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.models import Role
from stations.models import Region, Station, StationKind
from tests.factories import (
    DeputyFactory,
    RegionFactory,
    StationFactory,
    StationMembershipFactory,
    UserFactory,
)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True, region=None)


@pytest.fixture
def staff(changzhi):
    """潞州区's staff: their region is the county 140403."""
    return UserFactory(username="luzhou_staff", role=Role.STAFF, region=changzhi["county"])


@pytest.fixture
def leader(changzhi):
    return UserFactory(username="luzhou_leader", role=Role.LEADER, region=changzhi["county"])


def login(client, user):
    client.force_login(user)
    return client


def station_rows(region, count, *, prefix):
    """`count` stations in `region`, each with two deputies grouped in and a parent."""
    hub = StationFactory(name=f"{prefix}总站", region=region, kind=StationKind.HUB)
    stations = []
    for n in range(count - 1):
        station = StationFactory(name=f"{prefix}站{n}", region=region, parent=hub, has_venue=True, has_sign=True)
        for _ in range(2):
            StationMembershipFactory(station=station, deputy=DeputyFactory(region=region))
        stations.append(station)
    return [hub, *stations]


# --- pages render ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["superuser", "staff"])
def test_station_pages_render_for_superuser_and_scoped_staff(client, request, changzhi, who):
    user = request.getfixturevalue(who)
    station = StationFactory(name="太东街道人大代表联络站", region=changzhi["township"])
    login(client, user)
    for url in (
        reverse("admin:stations_station_changelist"),
        reverse("admin:stations_station_add"),
        reverse("admin:stations_station_change", args=[station.pk]),
        reverse("admin:stations_station_import"),
        reverse("admin:stations_station_export"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("admin:stations_station_changelist")).content.decode()
    assert "太东街道人大代表联络站" in page
    assert "代表数" in page and "八有" in page


@pytest.mark.parametrize("who", ["superuser", "staff"])
def test_region_pages_render_for_superuser_and_scoped_staff(client, request, changzhi, who):
    login(client, request.getfixturevalue(who))
    for url in (
        reverse("admin:stations_region_changelist"),
        reverse("admin:stations_region_add"),
        reverse("admin:stations_region_change", args=[changzhi["township"].code]),
    ):
        assert client.get(url).status_code == 200, url


# --- scoping ---------------------------------------------------------------------------


def test_staff_list_shows_only_their_region(client, staff, changzhi):
    StationFactory(name="潞州区站", region=changzhi["township"])
    StationFactory(name="上党区站", region=changzhi["other_township"])
    page = login(client, staff).get(reverse("admin:stations_station_changelist")).content.decode()
    assert "潞州区站" in page
    assert "上党区站" not in page


def test_foreign_station_change_url_answers_like_a_missing_one(client, staff, changzhi):
    foreign = StationFactory(region=changzhi["other_township"])
    login(client, staff)
    response = client.get(reverse("admin:stations_station_change", args=[foreign.pk]))
    missing = client.get(reverse("admin:stations_station_change", args=[999999]))
    assert response.status_code == missing.status_code == 302
    assert response.url == missing.url == reverse("admin:index")
    assert client.get(reverse("admin:stations_station_delete", args=[foreign.pk])).status_code == 302
    assert Station.objects.filter(pk=foreign.pk).exists()


def station_post(region, **extra):
    data = {
        "name": "新设联络点", "kind": "point", "region": region.code, "parent": "", "address": "", "phone": "",
        "contact_person": "", "opening_hours": "", "reception_day": "", "star_rating": "0", "station_class": "",
        "demonstration_level": "", "is_active": "on", "specialty": "",
    }
    data.update(extra)
    return data


def test_staff_cannot_create_a_station_outside_their_region(client, staff, changzhi):
    login(client, staff)
    response = client.post(reverse("admin:stations_station_add"), station_post(changzhi["other_township"]))
    assert response.status_code == 200
    assert "所选行政区划不存在或不在您的管辖范围内" in response.content.decode()
    assert not Station.objects.filter(name="新设联络点").exists()


def test_staff_create_a_station_inside_their_region_through_the_service(client, staff, changzhi):
    login(client, staff)
    response = client.post(reverse("admin:stations_station_add"), station_post(changzhi["township"], has_venue="on"))
    assert response.status_code == 302, response.content.decode()[:3000]
    station = Station.objects.get(name="新设联络点")
    assert station.region == changzhi["township"] and station.has_venue


def test_staff_cannot_pick_a_foreign_parent_station(client, staff, changzhi):
    foreign_hub = StationFactory(region=changzhi["other_county"], kind=StationKind.HUB)
    login(client, staff)
    data = station_post(changzhi["township"], parent=str(foreign_hub.pk))
    response = client.post(reverse("admin:stations_station_add"), data)
    assert "所选联络站点不存在或不在您的管辖范围内" in response.content.decode()


def test_station_parent_loop_refused_in_the_form(client, staff, changzhi):
    top = StationFactory(region=changzhi["township"])
    below = StationFactory(region=changzhi["township"], parent=top)
    login(client, staff)
    data = station_post(changzhi["township"], name=top.name, parent=str(below.pk))
    response = client.post(reverse("admin:stations_station_change", args=[top.pk]), data)
    assert "上级站点不能是本站点或其下级站点" in response.content.decode()
    top.refresh_from_db()
    assert top.parent is None


def test_autocomplete_answers_only_the_users_region(client, staff, changzhi):
    StationFactory(name="潞州联络站", region=changzhi["township"])
    StationFactory(name="上党联络站", region=changzhi["other_township"])
    login(client, staff)
    url = reverse("admin:autocomplete")
    stations = client.get(url, {"app_label": "stations", "model_name": "station", "field_name": "parent", "term": "联络站"})
    names = [item["text"] for item in stations.json()["results"]]
    assert names == ["潞州联络站"]
    regions = client.get(url, {"app_label": "stations", "model_name": "station", "field_name": "region", "term": ""})
    codes = {item["id"] for item in regions.json()["results"]}
    assert changzhi["township"].code in codes
    assert changzhi["other_township"].code not in codes and changzhi["city"].code not in codes


def test_region_filter_offers_the_level_below_the_users_region(client, staff, superuser, changzhi):
    page = login(client, staff).get(reverse("admin:stations_station_changelist")).content.decode()
    assert "太东街道" in page and "韩店镇" not in page
    selected = client.get(reverse("admin:stations_station_changelist"), {"region": changzhi["township"].code})
    assert selected.status_code == 200
    page = login(client, superuser).get(reverse("admin:stations_station_changelist")).content.decode()
    assert "区划14" in page  # the provinces, named by region_path in the factories


def test_region_filter_keeps_the_chosen_subtree(client, superuser, changzhi):
    StationFactory(name="潞州联络站", region=changzhi["township"])
    StationFactory(name="上党联络站", region=changzhi["other_township"])
    response = login(client, superuser).get(
        reverse("admin:stations_station_changelist"), {"region": changzhi["county"].code}
    )
    assert [s.name for s in response.context["cl"].result_list] == ["潞州联络站"]


def test_staff_adds_villages_only_under_their_region(client, staff, changzhi):
    login(client, staff)
    add = reverse("admin:stations_region_add")
    inside = {"code": "140403001001", "name": "英雄南路社区", "level": "village", "parent": changzhi["township"].code}
    assert client.post(add, inside).status_code == 302
    outside = {"code": "140404100001", "name": "外村", "level": "village", "parent": changzhi["other_township"].code}
    response = client.post(add, outside)
    assert response.status_code == 200
    assert not Region.objects.filter(code="140404100001").exists()
    # Their own county's record is theirs to read, not to rename.
    own = client.get(reverse("admin:stations_region_change", args=[changzhi["county"].code]))
    assert own.status_code == 200 and 'name="name"' not in own.content.decode()


# --- roles ---------------------------------------------------------------------------


def test_leader_reads_but_cannot_change(client, leader, changzhi):
    station = StationFactory(region=changzhi["township"])
    login(client, leader)
    assert client.get(reverse("admin:stations_station_changelist")).status_code == 200
    page = client.get(reverse("admin:stations_station_change", args=[station.pk])).content.decode()
    assert 'name="name"' not in page  # read-only
    assert client.get(reverse("admin:stations_station_add")).status_code == 403
    assert client.get(reverse("admin:stations_station_import")).status_code == 403


def test_deputies_and_unit_officers_do_not_use_the_admin(client, changzhi):
    for role in (Role.DEPUTY, Role.UNIT_OFFICER):
        user = UserFactory(role=role, region=None, is_staff=True)
        login(client, user)
        assert client.get(reverse("admin:stations_station_changelist")).status_code == 403
        index = client.get(reverse("admin:index")).content.decode()
        assert "联络站点" not in index


def test_staff_without_a_region_sees_nothing(client, db):
    user = UserFactory(role=Role.STAFF, region=None)
    login(client, user)
    assert client.get(reverse("admin:stations_station_changelist")).status_code == 403


# --- query counts ------------------------------------------------------------------------


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries), response.context["cl"].result_count


@pytest.mark.parametrize("who", ["superuser", "staff"])
def test_station_changelist_queries_do_not_grow_with_the_page(client, request, changzhi, who):
    login(client, request.getfixturevalue(who))
    url = reverse("admin:stations_station_changelist")
    station_rows(changzhi["township"], 5, prefix="甲")
    five, rows = count_queries(client, url)
    assert rows == 5
    station_rows(changzhi["township"], 45, prefix="乙")
    fifty, rows = count_queries(client, url)
    assert rows == 50
    assert fifty == five


def test_region_changelist_queries_do_not_grow_with_the_page(client, superuser, changzhi, django_assert_max_num_queries):
    login(client, superuser)
    url = reverse("admin:stations_region_changelist")
    five, rows = count_queries(client, url)
    for n in range(45):
        RegionFactory(code=f"140403{100 + n:03d}", name=f"镇{n}", parent=changzhi["county"])
    fifty, more = count_queries(client, url)
    assert more == rows + 45
    assert fifty == five
    with django_assert_max_num_queries(fifty):
        client.get(url)
