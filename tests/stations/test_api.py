"""regions/ and stations/: the region tree by code, subtree filters, station writes."""

import pytest

from liaison.models import Role
from stations.models import Region, Station
from stations.services import SHIPPED_REGIONS_DIR, regions_load
from tests.factories import StationFactory, UserFactory


@pytest.fixture
def staff(changzhi):
    return UserFactory(username="staff", role=Role.STAFF, region=changzhi["county"])


@pytest.fixture
def city_staff(changzhi):
    return UserFactory(username="city", role=Role.STAFF, region=changzhi["city"])


def test_parent_1404_lists_the_twelve_counties_of_changzhi_from_the_shipped_regions(db, api_for):
    regions_load(directory=SHIPPED_REGIONS_DIR)
    client = api_for(UserFactory(username="anyone", role=Role.DEPUTY))  # any account reads regions
    response = client.get("/api/v1/regions/", {"parent": "1404"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 12
    assert all(row["parent"] == "1404" and row["level"] == "county" for row in body["results"])
    assert "潞州区" in {row["name"] for row in body["results"]}


def test_region_detail_by_code_and_filters(changzhi, api_for, staff):
    client = api_for(staff)
    assert client.get("/api/v1/regions/1404/").json() == {
        "code": "1404", "name": "长治市", "level": "city", "parent": "14",
    }
    townships = client.get("/api/v1/regions/", {"level": "township"}).json()["results"]
    assert {row["code"] for row in townships} == {"140403001", "140404100"}
    by_name = client.get("/api/v1/regions/", {"q": "韩店"}).json()["results"]
    assert [row["code"] for row in by_name] == ["140404100"]
    by_code = client.get("/api/v1/regions/", {"q": "140403"}).json()["results"]
    assert {row["code"] for row in by_code} == {"140403", "140403001"}


def test_station_filters_region_subtree_kind_q_parent(changzhi, api_for, city_staff):
    hub = StationFactory(name="长治市代表联络总站", kind="hub", region=changzhi["city"])
    luzhou = StationFactory(name="太东街道联络站", kind="station", region=changzhi["township"], parent=hub)
    point = StationFactory(name="太东社区联络点", kind="point", region=changzhi["township"], parent=luzhou, address="英雄南路")
    shangdang = StationFactory(name="韩店镇联络站", kind="station", region=changzhi["other_township"], parent=hub)
    client = api_for(city_staff)

    def ids(**params):
        return {row["id"] for row in client.get("/api/v1/stations/", params).json()["results"]}

    assert ids(region="140403") == {luzhou.pk, point.pk}
    assert ids(region="1404") == {hub.pk, luzhou.pk, point.pk, shangdang.pk}
    assert ids(region="140404100") == {shangdang.pk}
    assert ids(region="1405") == set()
    assert ids(kind="station") == {luzhou.pk, shangdang.pk}
    assert ids(q="英雄") == {point.pk}
    assert ids(parent=hub.pk) == {luzhou.pk, shangdang.pk}
    assert ids(region="140403", kind="point") == {point.pk}
    ordered = client.get("/api/v1/stations/", {"ordering": "-name"}).json()["results"]
    assert [row["name"] for row in ordered] == sorted((row["name"] for row in ordered), reverse=True)


def test_staff_creates_a_station_and_reads_it_back(changzhi, api_for, staff):
    parent = StationFactory(region=changzhi["township"])
    response = api_for(staff).post(
        "/api/v1/stations/",
        {
            "name": "太东社区联络点",
            "kind": "point",
            "region": "140403001",
            "parent": parent.pk,
            "address": "太东大街 1 号",
            "reception_day": 15,
            "has_venue": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    station = Station.objects.get(pk=body["id"])
    assert (station.parent, station.region_id, station.reception_day, station.has_venue) == (
        parent, "140403001", 15, True,
    )
    assert body["region_name"] == "太东街道"
    assert body["parent_name"] == parent.name


def test_region_and_parent_must_lie_in_scope(changzhi, api_for, staff):
    foreign_parent = StationFactory(region=changzhi["other_township"])
    client = api_for(staff)
    response = client.post(
        "/api/v1/stations/", {"name": "越界", "region": changzhi["other_township"].code}, format="json"
    )
    assert response.status_code == 400
    assert "region" in response.json()["errors"]
    response = client.post(
        "/api/v1/stations/", {"name": "越界", "region": "140403001", "parent": foreign_parent.pk}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()["errors"]
    assert not Station.objects.filter(name="越界").exists()


def test_a_station_cannot_become_its_own_ancestor(changzhi, api_for, staff):
    top = StationFactory(region=changzhi["township"])
    middle = StationFactory(region=changzhi["township"], parent=top)
    bottom = StationFactory(region=changzhi["township"], parent=middle)
    client = api_for(staff)
    for new_parent in (top, bottom):
        response = client.patch(f"/api/v1/stations/{top.pk}/", {"parent": new_parent.pk}, format="json")
        assert response.status_code == 400, response.content
        assert "parent" in response.json()["errors"]
    top.refresh_from_db()
    assert top.parent is None
    # Moving a leaf under another branch is fine.
    other = StationFactory(region=changzhi["township"])
    assert client.patch(f"/api/v1/stations/{bottom.pk}/", {"parent": other.pk}, format="json").status_code == 200


def test_patch_changes_only_the_given_fields(changzhi, api_for, staff):
    station = StationFactory(region=changzhi["township"], phone="0355-1111111", address="旧地址")
    response = api_for(staff).patch(f"/api/v1/stations/{station.pk}/", {"address": "新地址"}, format="json")
    assert response.status_code == 200
    station.refresh_from_db()
    assert (station.address, station.phone) == ("新地址", "0355-1111111")


def test_moving_a_station_out_of_scope_is_refused(changzhi, api_for, staff):
    station = StationFactory(region=changzhi["township"])
    response = api_for(staff).patch(
        f"/api/v1/stations/{station.pk}/", {"region": changzhi["other_township"].code}, format="json"
    )
    assert response.status_code == 400
    station.refresh_from_db()
    assert station.region == changzhi["township"]
    assert Region.objects.filter(code="140404100").exists()
