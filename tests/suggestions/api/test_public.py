"""public/opinions/ and public/track/{code}/: no account, throttled, no personal data."""

import json

import pytest

from suggestions.models import Source, Status, Suggestion
from tests.factories import StationFactory

API = "/api/v1"


def opinion(world, **overrides):
    body = {
        "title": "公交站台缺少遮雨棚",
        "content": "雨天候车老人孩子淋雨。",
        "region": world.township.code,
        "category": world.category.pk,
        "submitter_name": "赵小红",
        "submitter_phone": "13912345678",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def test_a_voter_submits_without_an_account_and_gets_the_tracking_code(world, api_for):
    response = api_for().post(f"{API}/public/opinions/", opinion(world), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"code", "status", "track_url"}
    suggestion = Suggestion.objects.get(code=body["code"])
    assert body["status"] == "submitted" and body["track_url"] == f"/api/v1/public/track/{suggestion.code}/"
    assert suggestion.source == Source.PUBLIC and suggestion.submitted_by is None
    assert suggestion.kind == "opinion" and suggestion.submitter_phone == "13912345678"


def test_the_region_may_come_from_the_station_or_the_deputy(world, api_for):
    station = StationFactory(region=world.township)
    response = api_for().post(f"{API}/public/opinions/", opinion(world, region=None, station=station.pk), format="json")
    assert response.status_code == 201
    suggestion = Suggestion.objects.get(code=response.json()["code"])
    assert suggestion.region == world.township and suggestion.station == station
    response = api_for().post(f"{API}/public/opinions/", opinion(world, region=None, deputy=world.deputy.pk), format="json")
    assert response.status_code == 201
    suggestion = Suggestion.objects.get(code=response.json()["code"])
    assert list(suggestion.deputies.all()) == [world.deputy]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"region": None}, "region"),
        ({"title": ""}, "title"),
        ({"title": "长" * 101}, "title"),
        ({"content": "长" * 2001}, "content"),
        ({"submitter_name": ""}, "submitter_name"),
        ({"submitter_phone": "abc"}, "submitter_phone"),
        ({"submitter_phone": "1" * 21}, "submitter_phone"),
        ({"region": "1404030019999"}, "region"),
        ({"station": 987654}, "station"),
        ({"deputy": "x"}, "deputy"),
        ({"category": 2**64}, "category"),
    ],
)
def test_bad_opinions_are_400_and_create_nothing(world, api_for, overrides, field):
    response = api_for().post(f"{API}/public/opinions/", opinion(world, **overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert Suggestion.objects.count() == 0


def test_public_opinions_are_throttled_per_address(world, api_for, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public": "2/min"},
    }
    client = api_for()
    assert [client.post(f"{API}/public/opinions/", opinion(world), format="json").status_code for _ in range(2)] == [201, 201]
    response = client.post(f"{API}/public/opinions/", opinion(world), format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled" and response.json()["retry_after"] > 0
    assert Suggestion.objects.count() == 2
    other = api_for()
    response = other.post(f"{API}/public/opinions/", opinion(world), format="json", REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 201


def test_only_post_on_public_opinions(world, api_for):
    assert api_for().get(f"{API}/public/opinions/").status_code == 405


def test_tracking_shows_progress_without_personal_data(world, api_for):
    suggestion = world.drive(world.submit(submitter_name="王小明", submitter_phone="13900001111"), Status.REPLIED)
    response = api_for().get(f"{API}/public/track/{suggestion.code}/")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == suggestion.code and body["title"] == suggestion.title
    assert body["status"] == "replied" and body["submitter"] == "王**" and body["result"] == "A"
    assert [e["action"] for e in body["timeline"]] == ["submit", "accept", "assign", "sign", "reply"]
    text = json.dumps(body, ensure_ascii=False)
    # The reply is the voter's to read (issue 14), masked; who wrote it and the voter are not.
    assert body["reply"] == "已修复全部路灯。" and body["unit"] == world.unit.name
    for secret in ("13900001111", "王小明", suggestion.content, world.deputy.name, world.officer.name):
        assert secret not in text
    # The code is read from paper: lower case works too.
    assert api_for().get(f"{API}/public/track/{suggestion.code.lower()}/").status_code == 200


@pytest.mark.parametrize("code", ["AAAAAAAAAAAA", "x", "A" * 40, "AB%00CD", "%E4%B8%AD%E6%96%87", "AB%20CD"])
def test_unknown_codes_are_404(world, api_for, code):
    response = api_for().get(f"{API}/public/track/{code}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_converted_opinion_is_followed_by_its_old_code(world, api_for):
    opinion_row = world.submit()
    client = api_for(world.deputy_user)
    response = client.post(f"{API}/suggestions/{opinion_row.pk}/convert/", {}, format="json")
    assert response.status_code == 201
    new_code = response.json()["code"]
    body = api_for().get(f"{API}/public/track/{opinion_row.code}/").json()
    assert body["merged_into_code"] == new_code and body["status"] == "submitted"
    assert [e["action"] for e in body["timeline"]] == ["submit", "convert", "submit"]
