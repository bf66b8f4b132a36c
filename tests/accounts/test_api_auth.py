"""`POST auth/token/` (lockout, throttle), token and session authentication, `me/`."""

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken
from liaison.models import Role
from tests.factories import DeputyFactory, UnitFactory, UserFactory

PASSWORD = "pass-1234-word"
URL = "/api/v1/auth/token/"


@pytest.fixture
def staff(changzhi):
    return UserFactory(username="wang", name="王敏", role=Role.STAFF, region=changzhi["county"])


@pytest.fixture
def tight(settings):
    settings.LIAISON = {**settings.LIAISON, "LOGIN_MAX_FAILURES": 3, "LOGIN_LOCKOUT_SECONDS": 60}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": "100/min"},
    }


def test_token_for_the_right_password_then_usable(staff, tight):
    response = APIClient().post(URL, {"username": "wang", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    key = response.json()["token"]
    assert ApiToken.objects.get(user=staff).token_key == key[:15]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "wang"


def test_each_issue_is_a_new_token_and_the_earlier_client_keeps_working(staff, tight):
    """Finding 7: a second client's token does not end the first client's (knox tokens)."""
    first = APIClient().post(URL, {"username": "wang", "password": PASSWORD}, format="json").json()["token"]
    second = APIClient().post(
        URL, {"username": "wang", "password": PASSWORD, "name": "区政务服务平台"}, format="json"
    ).json()["token"]
    assert first != second
    for key in (first, second):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert client.get("/api/v1/me/").status_code == 200
    assert sorted(ApiToken.objects.filter(user=staff).values_list("name", flat=True)) == ["", "区政务服务平台"]


def test_wrong_password_is_a_400_with_invalid_credentials(staff, tight):
    response = APIClient().post(URL, {"username": "wang", "password": "nope"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_credentials"
    assert body["errors"] == {"non_field_errors": ["用户名或密码错误。"]}


def test_missing_fields_are_field_errors(db, tight):
    response = APIClient().post(URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"username", "password"}


def test_inactive_account_gets_no_token(staff, tight):
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    response = APIClient().post(URL, {"username": "wang", "password": PASSWORD}, format="json")
    assert response.status_code == 400


def test_lockout_refuses_even_the_right_password_with_429(staff, tight):
    client = APIClient()
    for _ in range(3):
        assert client.post(URL, {"username": "wang", "password": "bad"}, format="json").status_code in (400, 429)
    response = client.post(URL, {"username": "wang", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "login_locked"
    assert 0 < body["retry_after"] <= 60
    assert 0 < int(response["Retry-After"]) <= 60
    assert not ApiToken.objects.filter(user=staff).exists()


def test_lockout_is_shared_with_the_admin_login(client, staff, tight):
    for _ in range(3):
        client.post("/admin/login/", {"username": "wang", "password": "bad"})
    response = APIClient().post(URL, {"username": "wang", "password": PASSWORD}, format="json")
    assert response.status_code == 429


def test_token_issue_is_throttled_per_address(staff, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": "3/min"},
    }
    client = APIClient()
    statuses = [
        client.post(URL, {"username": "wang", "password": PASSWORD}, format="json").status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    last = client.post(URL, {"username": "wang", "password": PASSWORD}, format="json")
    assert last.json()["code"] == "throttled"
    assert "Retry-After" in last
    other_address = APIClient(REMOTE_ADDR="10.0.0.9")
    assert other_address.post(URL, {"username": "wang", "password": PASSWORD}, format="json").status_code == 200


def test_a_bad_token_is_401_and_the_token_endpoint_ignores_it(staff, tight):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/me/").status_code == 401
    assert client.post(URL, {"username": "wang", "password": PASSWORD}, format="json").status_code == 200


def test_session_authentication_needs_csrf_for_writes(staff, changzhi):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.get("/api/v1/me/").status_code == 200
    response = client.post(
        "/api/v1/units/", {"name": "潞州区水利局", "kind": "department", "region": changzhi["county"].code}, format="json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_me_for_each_kind_of_account(api_for, changzhi, staff):
    deputy_user = UserFactory(username="d", role=Role.DEPUTY)
    deputy = DeputyFactory(region=changzhi["township"], user=deputy_user)
    officer = UserFactory(username="o", role=Role.UNIT_OFFICER)
    unit = UnitFactory(region=changzhi["county"])
    unit.officers.add(officer)

    assert api_for(staff).get("/api/v1/me/").json() == {
        "id": staff.pk,
        "username": "wang",
        "name": "王敏",
        "role": "staff",
        "region": changzhi["county"].code,
        "region_name": "潞州区",
        "deputy": None,
        "unit": None,
        "is_superuser": False,
    }
    assert api_for(deputy_user).get("/api/v1/me/").json()["deputy"] == deputy.pk
    assert api_for(officer).get("/api/v1/me/").json()["unit"] == unit.pk


def test_an_invented_forwarded_for_does_not_buy_a_new_throttle_bucket(staff, settings):
    """DRF's get_ident trusted any X-Forwarded-For: rotating it bypassed the token limit."""
    settings.LIAISON_TRUSTED_PROXIES = []
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": "2/min"},
    }
    client = APIClient(REMOTE_ADDR="198.51.100.66")
    statuses = [
        client.post(URL, {"username": "wang", "password": "bad"}, format="json", HTTP_X_FORWARDED_FOR=f"10.1.1.{n}").status_code
        for n in range(3)
    ]
    assert statuses[-1] == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_throttle_bucket(staff, settings):
    settings.LIAISON_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": "1/min"},
    }
    proxy = APIClient(REMOTE_ADDR="127.0.0.1")
    first = proxy.post(URL, {"username": "wang", "password": "bad"}, format="json", HTTP_X_FORWARDED_FOR="198.51.100.1")
    again = proxy.post(URL, {"username": "wang", "password": "bad"}, format="json", HTTP_X_FORWARDED_FOR="198.51.100.1")
    other = proxy.post(URL, {"username": "wang", "password": "bad"}, format="json", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert (first.status_code, again.status_code, other.status_code) == (400, 429, 400)
