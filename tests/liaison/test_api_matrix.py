"""The role × endpoint × object matrix: every role against an object of its own region (or
its own record) and one of a foreign region, for list, detail, create and update.

潞州区 (140403) is "own", 上党区 (140404) is "foreign". The staff and the leader are scoped
to 潞州区; the deputy's record, station and reception are in 潞州区; the officer's unit too.
"""

import datetime

import pytest

from liaison.models import Role
from tests.factories import (
    DeputyFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
    UnitFactory,
    UserFactory,
)

ROLES = ["staff", "leader", "deputy", "officer", "superuser"]


@pytest.fixture
def world(changzhi):
    own_region, foreign_region = changzhi["township"], changzhi["other_township"]
    deputy_user = UserFactory(username="deputy", role=Role.DEPUTY)
    officer = UserFactory(username="officer", role=Role.UNIT_OFFICER)
    own_station = StationFactory(name="太东街道联络站", region=own_region)
    foreign_station = StationFactory(name="韩店镇联络站", region=foreign_region)
    own_deputy = DeputyFactory(name="李红梅", region=own_region, user=deputy_user)
    other_own_deputy = DeputyFactory(name="赵建国", region=own_region)
    foreign_deputy = DeputyFactory(name="孙立", region=foreign_region)
    StationMembershipFactory(deputy=own_deputy, station=own_station)
    own_unit = UnitFactory(name="潞州区住建局", region=changzhi["county"])
    own_unit.officers.add(officer)
    foreign_unit = UnitFactory(name="上党区住建局", region=changzhi["other_county"])
    accounts = {
        "staff": UserFactory(username="staff", role=Role.STAFF, region=changzhi["county"]),
        "leader": UserFactory(username="leader", role=Role.LEADER, region=changzhi["county"]),
        "deputy": deputy_user,
        "officer": officer,
        "superuser": UserFactory(username="root", role=Role.STAFF, is_superuser=True),
    }
    objects = {
        "stations": {"own": own_station, "foreign": foreign_station},
        "deputies": {"own": own_deputy, "foreign": foreign_deputy},
        "receptions": {
            "own": ReceptionFactory(station=own_station, deputies=[own_deputy]),
            "foreign": ReceptionFactory(station=foreign_station, deputies=[foreign_deputy]),
        },
        "units": {"own": own_unit, "foreign": foreign_unit},
        "users": {
            "own": UserFactory(username="own_leader", role=Role.LEADER, region=changzhi["county"]),
            "foreign": UserFactory(username="foreign_staff", role=Role.STAFF, region=changzhi["other_county"]),
        },
    }
    return {
        "accounts": accounts,
        "objects": objects,
        "regions": {"own": own_region, "foreign": foreign_region},
        "stations": {"own": own_station, "foreign": foreign_station},
        "other_own_deputy": other_own_deputy,
    }


# What each role sees: resource → role → (own visible, foreign visible).
VISIBLE = {
    "stations": {"staff": (1, 0), "leader": (1, 0), "deputy": (1, 0), "officer": (0, 0), "superuser": (1, 1)},
    "deputies": {"staff": (1, 0), "leader": (1, 0), "deputy": (1, 0), "officer": (0, 0), "superuser": (1, 1)},
    "receptions": {"staff": (1, 0), "leader": (1, 0), "deputy": (1, 0), "officer": (0, 0), "superuser": (1, 1)},
    "units": {"staff": (1, 0), "leader": (1, 0), "deputy": (0, 0), "officer": (1, 0), "superuser": (1, 1)},
    "users": {"staff": (1, 0), "leader": (0, 0), "deputy": (0, 0), "officer": (0, 0), "superuser": (1, 1)},
}
# Who may write: resource → role → create/update allowed at all (scope still applies).
WRITERS = {
    "stations": {"create": {"staff", "superuser"}, "update": {"staff", "superuser"}},
    "deputies": {"create": {"staff", "superuser"}, "update": {"staff", "superuser", "deputy"}},
    "receptions": {"create": {"staff", "superuser", "deputy"}, "update": {"staff", "superuser", "deputy"}},
    "units": {"create": {"staff", "superuser"}, "update": {"staff", "superuser"}},
    "users": {"create": {"staff", "superuser"}, "update": {"staff", "superuser"}},
}
# Accounts are refused as a whole (403) to anyone who does not manage accounts.
WHOLLY_REFUSED = {"users": {"leader", "deputy", "officer"}}

CASES = [(resource, role, target) for resource in VISIBLE for role in ROLES for target in ("own", "foreign")]


def _create_payload(resource, world, target):
    region = world["regions"][target]
    station = world["stations"][target]
    if resource == "stations":
        return {"name": f"新站点{target}", "kind": "point", "region": region.code}
    if resource == "deputies":
        return {"name": "新代表", "gender": "male", "region": region.code}
    if resource == "receptions":
        return {"station": station.pk, "date": "2026-04-15", "mode": "visit", "visitor_count": 3}
    if resource == "units":
        return {"name": f"新单位{target}", "kind": "department", "region": region.parent.code}
    return {
        "username": f"new_{target}",
        "password": "Changzhi-2026!",
        "role": "staff",
        "region": region.parent.code,
    }


def _update_payload(resource):
    return {
        "stations": {"address": "新地址 8 号"},
        "deputies": {"phone": "13900001234"},
        "receptions": {"visitor_count": 30},
        "units": {"phone": "0355-1234567"},
        "users": {"name": "新名字"},
    }[resource]


@pytest.mark.parametrize(("resource", "role", "target"), CASES)
def test_list_and_detail_show_exactly_what_the_role_may_see(api_for, world, resource, role, target):
    client = api_for(world["accounts"][role])
    obj = world["objects"][resource][target]
    own_visible, foreign_visible = VISIBLE[resource][role]
    visible = own_visible if target == "own" else foreign_visible

    listing = client.get(f"/api/v1/{resource}/", {"page_size": 200})
    detail = client.get(f"/api/v1/{resource}/{obj.pk}/")

    if role in WHOLLY_REFUSED.get(resource, ()):
        assert listing.status_code == 403
        assert detail.status_code == 403
        return
    assert listing.status_code == 200
    ids = {row["id"] for row in listing.json()["results"]}
    assert (obj.pk in ids) is bool(visible)
    assert detail.status_code == (200 if visible else 404)
    if not visible:
        assert detail.json() == {"detail": "未找到。", "code": "not_found"}


@pytest.mark.parametrize(("resource", "role", "target"), CASES)
def test_create_is_allowed_only_to_writers_and_only_in_scope(api_for, world, resource, role, target):
    client = api_for(world["accounts"][role])
    response = client.post(f"/api/v1/{resource}/", _create_payload(resource, world, target), format="json")

    if role not in WRITERS[resource]["create"]:
        assert response.status_code == 403, response.content
        assert response.json()["code"] in ("permission_denied", "not_authenticated")
        return
    # A writer may create in their own region only (the superuser everywhere).
    allowed = role == "superuser" or target == "own"
    if allowed:
        assert response.status_code == 201, response.content
    else:
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "invalid"


@pytest.mark.parametrize(("resource", "role", "target"), CASES)
def test_update_is_allowed_only_to_writers_and_only_on_visible_objects(api_for, world, resource, role, target):
    client = api_for(world["accounts"][role])
    obj = world["objects"][resource][target]
    response = client.patch(f"/api/v1/{resource}/{obj.pk}/", _update_payload(resource), format="json")

    if role not in WRITERS[resource]["update"]:
        assert response.status_code == 403, response.content
        return
    own_visible, foreign_visible = VISIBLE[resource][role]
    visible = own_visible if target == "own" else foreign_visible
    assert response.status_code == (200 if visible else 404), response.content


def test_deputy_cannot_update_another_deputy_of_the_same_region(api_for, world):
    client = api_for(world["accounts"]["deputy"])
    other = world["other_own_deputy"]
    response = client.patch(f"/api/v1/deputies/{other.pk}/", {"phone": "13900000000"}, format="json")
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.phone != "13900000000"


def test_foreign_update_changes_nothing(api_for, world):
    station = world["objects"]["stations"]["foreign"]
    before = station.address
    api_for(world["accounts"]["staff"]).patch(
        f"/api/v1/stations/{station.pk}/", {"address": "偷改"}, format="json"
    )
    station.refresh_from_db()
    assert station.address == before


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_every_region(api_for, world, role):
    client = api_for(world["accounts"][role])
    for target in ("own", "foreign"):
        code = world["regions"][target].code
        assert client.get(f"/api/v1/regions/{code}/").status_code == 200


@pytest.mark.parametrize("resource", list(VISIBLE) + ["regions", "me", "meta/choices"])
def test_anonymous_gets_401(api_for, world, resource):
    response = api_for().get(f"/api/v1/{resource}/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_deputy_records_a_reception_at_own_station_and_is_listed_on_it(api_for, world):
    client = api_for(world["accounts"]["deputy"])
    response = client.post(
        "/api/v1/receptions/",
        {"station": world["stations"]["own"].pk, "date": datetime.date(2026, 5, 15).isoformat(), "mode": "station"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["deputies"] == [world["objects"]["deputies"]["own"].pk]
    assert response.json()["recorded_by"] == world["accounts"]["deputy"].pk
