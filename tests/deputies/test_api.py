"""deputies/ and receptions/: nested mandates, station groups, masking, own-record edits."""

import pytest

from deputies.api import DeputySerializer
from deputies.models import Deputy, Mandate, MembershipRole, StationMembership
from liaison.models import Role
from tests.factories import (
    DeputyFactory,
    MandateFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
    UnitFactory,
    UserFactory,
)


@pytest.fixture
def staff(changzhi):
    return UserFactory(username="staff", role=Role.STAFF, region=changzhi["county"])


def test_staff_registers_a_deputy_with_mandates_and_stations(changzhi, api_for, staff):
    first = StationFactory(region=changzhi["township"])
    second = StationFactory(region=changzhi["county"])
    response = api_for(staff).post(
        "/api/v1/deputies/",
        {
            "name": "李红梅",
            "gender": "female",
            "party": "cpc",
            "phone": "13812341234",
            "region": "140403001",
            "mandates": [
                {"level": "county", "congress": "潞州区第二届人民代表大会", "district": "第五选区", "started_on": "2021-10-01"},
                {"level": "township", "congress": "太东街道第一届", "started_on": "2021-09-01", "ended_on": "2026-08-31"},
            ],
            "stations": [first.pk, second.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    deputy = Deputy.objects.get(pk=body["id"])
    assert sorted(m.level for m in deputy.mandates.all()) == ["county", "township"]
    assert set(deputy.stations.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert body["phone"] == "13812341234"  # staff in scope see it in full
    assert sorted(body["stations"]) == sorted([first.pk, second.pk])
    assert {m["level"] for m in body["mandates"]} == {"county", "township"}


def test_mandates_list_replaces_keeps_ids_and_deletes_the_unlisted(changzhi, api_for, staff):
    deputy = DeputyFactory(region=changzhi["township"])
    kept = MandateFactory(deputy=deputy, level="county", congress="第一届")
    dropped = MandateFactory(deputy=deputy, level="township", congress="第二届")
    response = api_for(staff).patch(
        f"/api/v1/deputies/{deputy.pk}/",
        {
            "mandates": [
                {"id": kept.pk, "level": "county", "congress": "第一届", "district": "第九选区", "started_on": "2021-10-01"},
                {"level": "city", "congress": "长治市第十五届", "started_on": "2022-01-01"},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    kept.refresh_from_db()
    assert kept.district == "第九选区"
    assert not Mandate.objects.filter(pk=dropped.pk).exists()
    assert set(deputy.mandates.values_list("level", flat=True)) == {"county", "city"}


def test_a_mandate_id_of_another_deputy_is_refused(changzhi, api_for, staff):
    deputy = DeputyFactory(region=changzhi["township"])
    others = MandateFactory(deputy=DeputyFactory(region=changzhi["township"]))
    response = api_for(staff).patch(
        f"/api/v1/deputies/{deputy.pk}/",
        {"mandates": [{"id": others.pk, "level": "county", "congress": "x", "started_on": "2021-10-01"}]},
        format="json",
    )
    assert response.status_code == 400
    others.refresh_from_db()
    assert others.deputy != deputy


def test_duplicate_mandates_in_one_list_are_a_400(changzhi, api_for, staff):
    response = api_for(staff).post(
        "/api/v1/deputies/",
        {
            "name": "王五", "gender": "male", "region": "140403001",
            "mandates": [
                {"level": "county", "congress": "第一届", "started_on": "2021-10-01"},
                {"level": "county", "congress": "第一届", "started_on": "2021-11-01"},
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "mandates" in response.json()["errors"]
    assert not Deputy.objects.filter(name="王五").exists()


def test_stations_list_replaces_groups_and_keeps_existing_roles(changzhi, api_for, staff):
    deputy = DeputyFactory(region=changzhi["township"])
    head_of = StationFactory(region=changzhi["township"])
    leaving = StationFactory(region=changzhi["township"])
    joining = StationFactory(region=changzhi["township"])
    StationMembershipFactory(deputy=deputy, station=head_of, role=MembershipRole.HEAD)
    StationMembershipFactory(deputy=deputy, station=leaving)
    response = api_for(staff).patch(
        f"/api/v1/deputies/{deputy.pk}/", {"stations": [head_of.pk, joining.pk]}, format="json"
    )
    assert response.status_code == 200, response.content
    memberships = {m.station_id: m.role for m in StationMembership.objects.filter(deputy=deputy)}
    assert memberships == {head_of.pk: MembershipRole.HEAD, joining.pk: MembershipRole.MEMBER}


def test_stations_out_of_scope_are_refused(changzhi, api_for, staff):
    deputy = DeputyFactory(region=changzhi["township"])
    foreign = StationFactory(region=changzhi["other_township"])
    response = api_for(staff).patch(f"/api/v1/deputies/{deputy.pk}/", {"stations": [foreign.pk]}, format="json")
    assert response.status_code == 400
    assert "stations" in response.json()["errors"]


def test_deputy_filters_level_station_region_q(changzhi, api_for, staff):
    station = StationFactory(region=changzhi["township"])
    county_deputy = DeputyFactory(name="张县", region=changzhi["township"], occupation="医生")
    MandateFactory(deputy=county_deputy, level="county")
    MandateFactory(deputy=county_deputy, level="township")
    StationMembershipFactory(deputy=county_deputy, station=station)
    township_deputy = DeputyFactory(name="李乡", region=changzhi["county"])
    MandateFactory(deputy=township_deputy, level="township")
    client = api_for(staff)

    def ids(**params):
        response = client.get("/api/v1/deputies/", params)
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert ids(level="county") == [county_deputy.pk]
    assert sorted(ids(level="township")) == sorted([county_deputy.pk, township_deputy.pk])  # no duplicates
    assert ids(station=station.pk) == [county_deputy.pk]
    assert ids(region="140403001") == [county_deputy.pk]
    assert sorted(ids(region="140403")) == sorted([county_deputy.pk, township_deputy.pk])
    assert ids(q="医生") == [county_deputy.pk]
    assert ids(q="李") == [township_deputy.pk]


def test_deputy_sees_own_phone_and_may_change_only_phone_and_expertise(changzhi, api_for):
    user = UserFactory(username="d", role=Role.DEPUTY)
    deputy = DeputyFactory(region=changzhi["township"], user=user, phone="13812341234", name="李红梅")
    client = api_for(user)
    assert client.get(f"/api/v1/deputies/{deputy.pk}/").json()["phone"] == "13812341234"

    ok = client.patch(f"/api/v1/deputies/{deputy.pk}/", {"phone": "13900001111", "expertise": "教育"}, format="json")
    assert ok.status_code == 200, ok.content
    refused = client.patch(f"/api/v1/deputies/{deputy.pk}/", {"name": "改名", "phone": "13900002222"}, format="json")
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"name"}
    deputy.refresh_from_db()
    assert (deputy.name, deputy.phone, deputy.expertise) == ("李红梅", "13900001111", "教育")


@pytest.mark.parametrize("role", [Role.UNIT_OFFICER, Role.DEPUTY])
def test_serializer_masks_phone_and_birth_date_for_those_who_may_not_see_them(changzhi, rf, role):
    import datetime

    deputy = DeputyFactory(region=changzhi["township"], phone="13812341234", birth_date=datetime.date(1980, 5, 1))
    viewer = UserFactory(username=f"viewer_{role}", role=role)
    if role == Role.UNIT_OFFICER:
        UnitFactory(region=changzhi["county"]).officers.add(viewer)
    request = rf.get("/")
    request.user = viewer
    data = DeputySerializer(deputy, context={"request": request}).data
    assert data["phone"] == "138****1234"
    assert data["birth_date"] is None


def test_serializer_masks_for_staff_of_another_region_and_not_for_own(changzhi, rf):
    deputy = DeputyFactory(region=changzhi["township"], phone="13812341234")
    for region, expected in ((changzhi["other_county"], "138****1234"), (changzhi["county"], "13812341234")):
        request = rf.get("/")
        request.user = UserFactory(role=Role.STAFF, region=region)
        assert DeputySerializer(deputy, context={"request": request}).data["phone"] == expected


def test_reception_lists_its_suggestions_and_filters(changzhi, api_for, staff):
    from suggestions.models import Suggestion

    station = StationFactory(region=changzhi["township"])
    deputy = DeputyFactory(region=changzhi["township"])
    reception = ReceptionFactory(station=station, deputies=[deputy], summary="加装电梯")
    ReceptionFactory(station=station, mode="online", summary="线上")
    suggestion = Suggestion.objects.create(
        title="加装电梯", content="老旧小区", region=changzhi["township"], station=station, reception=reception
    )
    client = api_for(staff)
    detail = client.get(f"/api/v1/receptions/{reception.pk}/").json()
    assert detail["suggestions"] == [suggestion.pk]
    assert detail["deputies"] == [deputy.pk]

    def ids(**params):
        return [row["id"] for row in client.get("/api/v1/receptions/", params).json()["results"]]

    assert ids(deputy=deputy.pk) == [reception.pk]
    assert ids(q="电梯") == [reception.pk]
    assert len(ids(region="140403")) == 2
    assert ids(region="140404") == []
    assert ids(date_after="2026-03-16") == []
    assert len(ids(date_after="2026-03-15", date_before="2026-03-15")) == 2


def test_reception_end_before_start_is_a_400(changzhi, api_for, staff):
    station = StationFactory(region=changzhi["township"])
    response = api_for(staff).post(
        "/api/v1/receptions/",
        {"station": station.pk, "date": "2026-03-15", "starts_at": "10:00", "ends_at": "09:00"},
        format="json",
    )
    assert response.status_code == 400
    assert "ends_at" in response.json()["errors"]


def test_deputy_may_not_change_a_reception_they_did_not_attend(changzhi, api_for):
    user = UserFactory(username="d", role=Role.DEPUTY)
    deputy = DeputyFactory(region=changzhi["township"], user=user)
    station = StationFactory(region=changzhi["township"])
    StationMembershipFactory(deputy=deputy, station=station)
    others = ReceptionFactory(station=station, deputies=[DeputyFactory(region=changzhi["township"])])
    client = api_for(user)
    assert client.get(f"/api/v1/receptions/{others.pk}/").status_code == 200  # held at their station
    assert client.patch(f"/api/v1/receptions/{others.pk}/", {"visitor_count": 1}, format="json").status_code == 403
