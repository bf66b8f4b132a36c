"""`activities/` over the API: a deputy registers (multipart with photos), staff in scope
confirm or return; the unhappy paths answer 400, 403, 404 and 409."""

from deputies.models import ActivityStatus, DutyActivity
from tests.deputies.activity_fixtures import png
from tests.factories import DeputyFactory

BODY = {"kind": "inspection", "date": "2026-03-02", "place": "潞州区城东污水处理厂", "note": "视察运行情况。"}


def test_a_deputy_registers_with_photos_and_reads_their_own(people, api_for):
    client = api_for(people["deputy"].user)
    response = client.post("/api/v1/activities/", {**BODY, "upload": [png(), png("b.png")]}, format="multipart")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "pending" and data["deputies"] == [people["deputy"].pk] and len(data["files"]) == 2
    listed = client.get("/api/v1/activities/").json()
    assert [row["id"] for row in listed["results"]] == [data["id"]]


def test_a_deputy_names_fellow_deputies_of_their_congress_but_not_others(people, api_for):
    fellow = DeputyFactory(region=people["township"], name="李建国")
    foreign = DeputyFactory(region=people["other_county"], name="赵明")
    client = api_for(people["deputy"].user)
    response = client.post("/api/v1/activities/", {**BODY, "deputies": [fellow.pk]}, format="json")
    assert response.status_code == 201, response.json()
    assert sorted(response.json()["deputies"]) == sorted([people["deputy"].pk, fellow.pk])
    refused = client.post("/api/v1/activities/", {**BODY, "deputies": [foreign.pk]}, format="json")
    assert refused.status_code == 400 and "deputies" in refused.json()["errors"]
    assert DutyActivity.objects.count() == 1


def test_staff_may_not_register_for_a_deputy(people, api_for):
    response = api_for(people["staff"]).post("/api/v1/activities/", BODY, format="json")
    assert response.status_code == 403
    assert not DutyActivity.objects.exists()


def test_a_missing_place_is_a_400_naming_the_field(people, api_for):
    response = api_for(people["deputy"].user).post("/api/v1/activities/", {**BODY, "place": ""}, format="json")
    assert response.status_code == 400 and "place" in response.json()["errors"]


def test_staff_confirm_and_return_and_a_second_decision_is_a_409(people, api_for):
    deputy = api_for(people["deputy"].user)
    first = deputy.post("/api/v1/activities/", BODY, format="json").json()["id"]
    second = deputy.post("/api/v1/activities/", {**BODY, "kind": "research"}, format="json").json()["id"]
    staff = api_for(people["staff"])
    assert staff.get("/api/v1/activities/?status=pending").json()["count"] == 2
    confirmed = staff.post(f"/api/v1/activities/{first}/confirm/", {}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    no_reason = staff.post(f"/api/v1/activities/{second}/return/", {"note": ""}, format="json")
    assert no_reason.status_code == 400 and "note" in no_reason.json()["errors"]
    returned = staff.post(f"/api/v1/activities/{second}/return/", {"note": "缺少活动照片"}, format="json")
    assert returned.status_code == 200 and returned.json()["review_note"] == "缺少活动照片"
    assert staff.post(f"/api/v1/activities/{first}/return/", {"note": "x"}, format="json").status_code == 409
    assert DutyActivity.objects.get(pk=first).status == ActivityStatus.CONFIRMED


def test_a_deputy_cannot_confirm_and_foreign_staff_do_not_see_it(people, api_for):
    pk = api_for(people["deputy"].user).post("/api/v1/activities/", BODY, format="json").json()["id"]
    assert api_for(people["deputy"].user).post(f"/api/v1/activities/{pk}/confirm/", {}, format="json").status_code == 403
    assert api_for(people["stranger"]).post(f"/api/v1/activities/{pk}/confirm/", {}, format="json").status_code == 404
    assert api_for(people["leader"]).post(f"/api/v1/activities/{pk}/confirm/", {}, format="json").status_code == 403
    assert DutyActivity.objects.get(pk=pk).status == ActivityStatus.PENDING


def test_activity_kinds_are_listed_in_meta_choices(people, api_for):
    choices = api_for(people["deputy"].user).get("/api/v1/meta/choices/").json()
    kinds = {c["value"] for c in choices["activity_kind"]}
    assert kinds == {"inspection", "research", "law_enforcement", "attend_meeting", "legislation",
                     "group_activity", "training", "other"}
