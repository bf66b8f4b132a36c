"""Bad input is a 4xx in the one error shape, never a 500; domain errors map to their status."""

import pytest
from django.db import IntegrityError

from liaison.errors import DomainError
from liaison.models import Role
from tests.factories import DeputyFactory, StationFactory, UserFactory

MAX_ID = 2**63 - 1


@pytest.fixture
def staff(changzhi):
    return UserFactory(username="staff", role=Role.STAFF, region=changzhi["county"])


@pytest.fixture
def client(api_for, staff):
    return api_for(staff)


def _assert_shape(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["code"], str) and body["code"]
    if status == 400:
        assert isinstance(body["errors"], dict)
    return body


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("stations", {"q": "a\x00b"}),
        ("stations", {"q": "长" * 101}),
        ("stations", {"kind": "castle"}),
        ("stations", {"region": "14x4"}),
        ("stations", {"region": "140"}),
        ("stations", {"region": "1" * 13}),
        ("stations", {"region": "14\x00"}),
        ("stations", {"parent": "abc"}),
        ("stations", {"parent": str(MAX_ID + 1)}),
        ("stations", {"parent": "0"}),
        ("stations", {"is_active": "perhaps"}),
        ("stations", {"page_size": "201"}),
        ("stations", {"page_size": "0"}),
        ("stations", {"page_size": "ten"}),
        ("deputies", {"level": "galactic"}),
        ("deputies", {"station": "1.5"}),
        ("receptions", {"date_after": "2026-02-30"}),
        ("receptions", {"deputy": "-3"}),
        ("regions", {"parent": "abc"}),
        ("regions", {"level": "planet"}),
        ("units", {"kind": "bank"}),
        ("users", {"role": "king"}),
    ],
)
def test_bad_filters_are_400(client, path, params):
    body = _assert_shape(client.get(f"/api/v1/{path}/", params), 400)
    assert set(body["errors"]) & (set(params) | {"page_size"})


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "99999", "\x00", "9" * 40])
def test_garbage_page_numbers_are_404(client, page):
    _assert_shape(client.get("/api/v1/stations/", {"page": page}), 404)


def test_page_size_200_is_allowed(client):
    assert client.get("/api/v1/stations/", {"page_size": "200"}).status_code == 200


@pytest.mark.parametrize(
    "path", ["stations/abc", f"stations/{MAX_ID + 1}", "stations/0", "stations/-1", "regions/14x", "regions/140", "regions/99"]
)
def test_malformed_ids_in_the_path_are_404(client, path):
    _assert_shape(client.get(f"/api/v1/{path}/"), 404)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "站\x00点", "region": "140403001"}, "name"),
        ({"name": "长" * 101, "region": "140403001"}, "name"),
        ({"name": "站点", "region": "140403001", "kind": "castle"}, "kind"),
        ({"name": "站点", "region": "140403001", "star_rating": "five"}, "star_rating"),
        ({"name": "站点", "region": "140403001", "star_rating": 6}, "star_rating"),
        ({"name": "站点", "region": "140403001", "reception_day": 32}, "reception_day"),
        ({"name": "站点", "region": "14x403"}, "region"),
        ({"name": "站点", "region": 140403}, "region"),
        ({"name": "站点", "region": None}, "region"),
        ({"name": "站点", "region": "140403001", "parent": "x"}, "parent"),
        ({"name": "站点", "region": "140403001", "parent": True}, "parent"),
        ({"name": "站点", "region": "140403001", "parent": MAX_ID + 1}, "parent"),
        ({"name": "站点", "region": "140403001", "parent": [1]}, "parent"),
        ({"name": ["站点"], "region": "140403001"}, "name"),
        ({"region": "140403001"}, "name"),
        ({"name": "站点", "region": "140403001", "is_active": "perhaps"}, "is_active"),
    ],
)
def test_bad_station_bodies_are_field_errors(client, changzhi, payload, field):
    body = _assert_shape(client.post("/api/v1/stations/", payload, format="json"), 400)
    assert field in body["errors"]


def test_nested_mandate_errors_keep_their_place(client, changzhi):
    payload = {
        "name": "李四",
        "gender": "male",
        "region": changzhi["township"].code,
        "mandates": [
            {"level": "county", "congress": "第一届", "started_on": "2021-10-01"},
            {"level": "cosmic", "congress": "第一届", "started_on": "2021-13-01"},
        ],
    }
    body = _assert_shape(client.post("/api/v1/deputies/", payload, format="json"), 400)
    # A list's item errors are keyed by the item's index.
    second = body["errors"]["mandates"]["1"]
    assert set(second) == {"level", "started_on"}
    assert "0" not in body["errors"]["mandates"]


def test_malformed_json_is_400_parse_error(client):
    response = client.generic("POST", "/api/v1/stations/", '{"name": ', content_type="application/json")
    assert _assert_shape(response, 400)["code"] == "parse_error"


def test_put_and_delete_are_not_offered(client, changzhi):
    station = StationFactory(region=changzhi["township"])
    for method in ("put", "delete"):
        body = _assert_shape(getattr(client, method)(f"/api/v1/stations/{station.pk}/", {}, format="json"), 405)
        assert body["code"] == "method_not_allowed"


class _Refused(DomainError):
    status_code = 409
    code = "invalid_transition"


def test_a_domain_error_from_a_service_is_its_status_and_code(client, changzhi, monkeypatch):
    station = StationFactory(region=changzhi["township"])

    def refuse(**kwargs):
        raise _Refused("当前状态下不能执行该操作。")

    monkeypatch.setattr("stations.api.station_update", refuse)
    response = client.patch(f"/api/v1/stations/{station.pk}/", {"address": "x"}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "当前状态下不能执行该操作。", "code": "invalid_transition"}


def test_an_unforeseen_integrity_error_is_a_409_conflict(client, changzhi, monkeypatch):
    def collide(**kwargs):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr("stations.api.station_create", collide)
    response = client.post("/api/v1/stations/", {"name": "站点", "region": changzhi["township"].code}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_duplicate_station_name_in_a_region_is_a_400(client, changzhi):
    StationFactory(name="太东街道联络站", region=changzhi["township"])
    response = client.post(
        "/api/v1/stations/", {"name": "太东街道联络站", "region": changzhi["township"].code}, format="json"
    )
    body = _assert_shape(response, 400)
    assert "non_field_errors" in body["errors"]


def test_mandate_ending_before_it_starts_is_a_field_error(client, changzhi):
    deputy = DeputyFactory(region=changzhi["township"])
    response = client.patch(
        f"/api/v1/deputies/{deputy.pk}/",
        {"mandates": [{"level": "county", "congress": "第一届", "started_on": "2021-10-01", "ended_on": "2020-01-01"}]},
        format="json",
    )
    body = _assert_shape(response, 400)
    assert "ended_on" in body["errors"]["mandates"]["0"]


def test_an_unknown_api_path_answers_404_in_the_api_error_shape(client, db):
    response = client.get("/api/v1/no-such-resource/")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。", "code": "not_found"}


def test_an_api_path_without_its_slash_is_still_redirected(client, db):
    response = client.get("/api/v1/regions")
    assert response.status_code == 301
    assert response["Location"].endswith("/api/v1/regions/")


@pytest.mark.parametrize("path", ["public/opinions/", "auth/token/", "stations/"])
def test_json_nested_a_thousand_levels_deep_is_a_400_not_a_500(api_for, client, db, path):
    """Python's decoder recursed until RecursionError (a 500) on every JSON endpoint,
    anonymous ones included."""
    body = "[" * 1000 + "]" * 1000
    callers = [client] if path == "stations/" else [api_for(), client]
    for caller in callers:
        response = caller.generic("POST", f"/api/v1/{path}", body, content_type="application/json")
        assert _assert_shape(response, 400)["code"] == "parse_error"


def test_json_nested_past_the_limit_but_decodable_is_a_400(client, db):
    body = '{"name": ' + "[" * 40 + "]" * 40 + "}"
    response = client.generic("POST", "/api/v1/stations/", body, content_type="application/json")
    assert "嵌套" in _assert_shape(response, 400)["detail"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_any_method_to_an_unknown_api_path_is_a_json_404_not_an_html_csrf_403(db, method):
    """With a session (a browser) and no CSRF token, a POST to no route answered Django's HTML
    403; every method to no route is the API's JSON 404."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory(role=Role.STAFF))
    response = getattr(browser, method)("/api/v1/no-such-resource/")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。", "code": "not_found"}


def test_a_post_without_the_trailing_slash_is_told_where_the_route_is(client, db):
    response = client.post("/api/v1/stations", {}, format="json")
    assert response.status_code == 404
    assert "/api/v1/stations/" in response.json()["detail"]
