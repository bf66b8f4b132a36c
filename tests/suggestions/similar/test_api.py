"""suggestions/similar/, suggestions/{id}/similar/, public/similar/ and public/similar/follow/:
scoped to the caller, nothing personal in public, a follow keeps the voter's opinion."""

import pytest

from suggestions.models import Status, Suggestion
from tests.factories import SuggestionFactory

API = "/api/v1"
LIGHT = {"title": "小区门口红绿灯不亮", "content": "幸福小区门口的红绿灯坏了一周，过马路很危险。"}


def probe(world, **overrides):
    body = {"title": "小区门口的信号灯坏了", "content": "幸福小区门口信号灯不亮", "region": world.township.code}
    body.update(overrides)
    return body


@pytest.fixture
def light(world):
    """An accepted item in the world's township: the one a new text should find."""
    return world.drive(world.submit(submitter_name="李建国", **LIGHT), Status.ACCEPTED)


def test_staff_in_scope_find_the_open_item_first_with_score_and_reasons(world, api_for, light):
    world.drive(world.submit(title="小区流浪狗太多", content="晚上流浪狗叫，孩子害怕。"), Status.ACCEPTED)
    response = api_for(world.staff).post(f"{API}/suggestions/similar/", probe(world), format="json")
    assert response.status_code == 200, response.content
    items = response.json()
    assert [i["id"] for i in items] == [light.pk]  # the unrelated item stays under the threshold
    first = items[0]
    assert {"id", "code", "title", "status", "region", "score"} <= set(first)
    assert first["code"] == light.code and first["region"] == world.township.code and 0 < first["score"] <= 1
    assert any("信号灯" in r for r in first["reasons"])


def test_nothing_outside_the_callers_view_comes_back(world, api_for, light):
    for user in (world.other_staff, world.foreign_officer, world.other_deputy_user, world.officer):
        response = api_for(user).post(f"{API}/suggestions/similar/", probe(world), format="json")
        assert response.status_code == 200 and response.json() == [], user


def test_a_unit_officer_sees_items_of_their_unit(world, api_for):
    assigned = world.drive(world.submit(**LIGHT), Status.ASSIGNED)
    items = api_for(world.officer).post(f"{API}/suggestions/similar/", probe(world), format="json").json()
    assert [i["id"] for i in items] == [assigned.pk]


def test_similar_to_an_item_excludes_itself_and_a_foreign_item_is_404(world, api_for, light):
    new = world.submit(title="信号灯坏了", content="幸福小区门口的交通灯不亮")
    items = api_for(world.staff).get(f"{API}/suggestions/{new.pk}/similar/").json()
    assert [i["id"] for i in items] == [light.pk]
    assert api_for(world.other_staff).get(f"{API}/suggestions/{new.pk}/similar/").status_code == 404


def test_bad_input_is_400_naming_the_field_and_anonymous_is_401(world, api_for):
    response = api_for(world.staff).post(f"{API}/suggestions/similar/", probe(world, region="12"), format="json")
    assert response.status_code == 400 and "region" in response.json()["errors"]
    assert api_for().post(f"{API}/suggestions/similar/", probe(world), format="json").status_code == 401


def test_public_similar_shows_redacted_open_items_only(world, api_for, light):
    Suggestion.objects.filter(pk=light.pk).update(title="李建国反映：幸福小区门口红绿灯不亮，电话13900001111")
    light.refresh_from_db()
    light.save()  # the stored terms follow the new title
    world.submit(**LIGHT)  # submitted, not yet accepted: not shown to the public
    response = api_for().post(f"{API}/public/similar/", probe(world), format="json")
    assert response.status_code == 200, response.content
    items = response.json()
    assert len(items) == 1
    item = items[0]
    assert set(item) == {"code", "public_title", "status", "created_on", "score"}
    assert item["code"] == light.code and item["status"] == "accepted"
    assert "李建国" not in item["public_title"] and "13900001111" not in item["public_title"]
    assert "红绿灯" in item["public_title"]


def test_public_similar_leaves_out_closed_and_other_areas(world, api_for):
    world.drive(world.submit(**LIGHT), Status.CLOSED)
    SuggestionFactory(region=world.other_township, status=Status.ACCEPTED, **LIGHT)
    assert api_for().post(f"{API}/public/similar/", probe(world), format="json").json() == []


def test_a_voter_follows_an_open_item_and_their_code_tracks_it(world, api_for, light):
    body = {**probe(world), "submitter_name": "赵小红", "submitter_phone": "13912345678", "follow": light.code}
    response = api_for().post(f"{API}/public/similar/follow/", body, format="json")
    assert response.status_code == 201, response.content
    receipt = response.json()
    assert receipt["follows"] == light.code and receipt["status"] == "merged"
    opinion = Suggestion.objects.get(code=receipt["code"])
    assert opinion.merged_into_id == light.pk and opinion.content == body["content"]
    assert opinion.submitter_phone == "13912345678"  # nothing the voter wrote is lost
    track = api_for().get(f"{API}/public/track/{opinion.code}/").json()
    assert track["merged_into_code"] == light.code


@pytest.mark.parametrize("target_status", [Status.CLOSED, Status.SUBMITTED])
def test_following_an_item_not_being_handled_is_400_and_files_nothing(world, api_for, target_status):
    target = world.drive(world.submit(**LIGHT), target_status)
    before = Suggestion.objects.count()
    body = {**probe(world), "submitter_name": "赵小红", "submitter_phone": "13912345678", "follow": target.code}
    response = api_for().post(f"{API}/public/similar/follow/", body, format="json")
    assert response.status_code == 400 and "follow" in response.json()["errors"]
    assert Suggestion.objects.count() == before


def test_following_an_item_of_another_area_is_400(world, api_for):
    target = SuggestionFactory(region=world.other_township, status=Status.ACCEPTED, **LIGHT)
    body = {**probe(world), "submitter_name": "赵小红", "submitter_phone": "13912345678", "follow": target.code}
    assert api_for().post(f"{API}/public/similar/follow/", body, format="json").status_code == 400


def test_public_similar_is_throttled(world, api_for, settings):
    from django.core.cache import cache

    cache.clear()
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], similar="2/hour")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    client = api_for()
    codes = [client.post(f"{API}/public/similar/", probe(world), format="json").status_code for _i in range(3)]
    cache.clear()
    assert codes[-1] == 429
