"""API tokens (issue 12, finding 7): staff used to read every live key of their region in the
admin and could act as those people unnoticed. Now a key is shown once, to whoever issued it;
the database holds a digest; an account has several tokens, each revocable, with a last use."""

import datetime
import hashlib
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.auth import LAST_USED_PRECISION
from accounts.models import ApiToken
from accounts.services import token_issue, token_revoke_one, user_update
from liaison.models import Role
from tests.factories import UserFactory


@pytest.fixture
def staff(changzhi):
    return UserFactory(username="luzhou_staff", role=Role.STAFF, region=changzhi["county"])


@pytest.fixture
def leader(changzhi):
    return UserFactory(username="luzhou_leader", role=Role.LEADER, region=changzhi["county"])


def client_with(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def works(key) -> bool:
    return client_with(key).get("/api/v1/me/").status_code == 200


def secrets_of(key):
    """The key and the part of it the database keeps as its lookup index (15 of 64 characters)."""
    return key, key[:15]


# --- stored hashed ------------------------------------------------------------------------


def test_the_database_row_holds_a_digest_never_the_key(leader):
    key = token_issue(user=leader).key
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        [row] = cursor.fetchall()
    assert not any(key in str(value) for value in row)
    token = ApiToken.objects.get(user=leader)
    assert token.digest == hashlib.sha512(key.encode()).hexdigest()
    assert len(key) == 64 and key not in str(token)


# --- several per account, each revocable ---------------------------------------------------


def test_a_second_token_does_not_end_the_first_clients_session(leader):
    first = token_issue(user=leader, name="旧系统").key
    second = token_issue(user=leader, name="新系统").key
    assert first != second
    assert works(first) and works(second)


def test_revoking_one_token_ends_that_client_only(leader, staff):
    kept = token_issue(user=leader).key
    revoked = token_issue(user=leader, name="遗失的笔记本")
    token_revoke_one(token=revoked.token, by=staff)
    assert client_with(revoked.key).get("/api/v1/me/").status_code == 401
    assert works(kept)
    entry = LogEntry.objects.get(object_id=str(leader.pk))
    assert entry.user == staff and "作废 API 令牌：遗失的笔记本" in entry.get_change_message()


def test_a_new_password_or_a_disabled_account_ends_every_token(leader):
    keys = [token_issue(user=leader).key for _ in range(2)]
    user_update(user=leader, password="Another-pass-2026!")
    assert not any(works(key) for key in keys)
    keys = [token_issue(user=leader).key for _ in range(2)]
    user_update(user=leader, is_active=False)
    assert not ApiToken.objects.filter(user=leader).exists()


def test_an_expired_token_is_refused_and_deleted(leader):
    issued = token_issue(user=leader)
    ApiToken.objects.filter(pk=issued.token.pk).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    assert client_with(issued.key).get("/api/v1/me/").status_code == 401
    assert not ApiToken.objects.filter(pk=issued.token.pk).exists()


def test_a_token_header_that_is_not_utf8_is_a_401_not_a_500(db):
    response = APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION="Token \xff\xfe")
    assert response.status_code == 401


# --- last use -----------------------------------------------------------------------------


def test_last_used_is_written_on_use_at_most_once_a_minute(leader):
    issued = token_issue(user=leader)
    assert issued.token.last_used is None
    assert works(issued.key)
    first = ApiToken.objects.get(pk=issued.token.pk).last_used
    assert first is not None and timezone.now() - first < datetime.timedelta(seconds=10)
    assert works(issued.key)
    assert ApiToken.objects.get(pk=issued.token.pk).last_used == first  # no write within the minute
    stale = timezone.now() - LAST_USED_PRECISION - datetime.timedelta(seconds=1)
    ApiToken.objects.filter(pk=issued.token.pk).update(last_used=stale)
    assert works(issued.key)
    assert ApiToken.objects.get(pk=issued.token.pk).last_used > first


# --- issue_token ---------------------------------------------------------------------------


def issue(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("issue_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip()


def test_issue_token_prints_a_new_key_each_time_and_both_work(leader):
    first = issue("luzhou_leader")
    second = issue("luzhou_leader", "--name", "区政务服务平台")
    assert first != second and works(first) and works(second)
    assert ApiToken.objects.filter(user=leader, name="区政务服务平台").exists()


def test_issue_token_rotate_revokes_every_other_token(leader):
    old = [issue("luzhou_leader") for _ in range(2)]
    new = issue("luzhou_leader", "--rotate")
    assert works(new) and not any(works(key) for key in old)
    assert ApiToken.objects.filter(user=leader).count() == 1


def test_issue_token_refuses_unknown_and_inactive_accounts(leader):
    with pytest.raises(CommandError, match="不存在"):
        issue("nobody")
    leader.is_active = False
    leader.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="停用"):
        issue("luzhou_leader")


# --- staff issue and revoke, never read ---------------------------------------------------


def test_staff_never_see_an_existing_key_in_the_admin(client, staff, leader):
    """The token list, its page, the account's page and history, and a later issue action
    (which used to print existing keys) show no key and no part of one."""
    key = token_issue(user=leader, name="区政务服务平台").key
    token = ApiToken.objects.get(user=leader)
    client.force_login(staff)
    pages = [
        reverse("admin:accounts_apitoken_changelist"),
        reverse("admin:accounts_apitoken_change", args=[token.pk]),
        reverse("admin:accounts_apitoken_delete", args=[token.pk]),
        reverse("admin:liaison_user_changelist"),
        reverse("admin:liaison_user_change", args=[leader.pk]),
        reverse("admin:liaison_user_history", args=[leader.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert not any(secret in page for secret in secrets_of(key)), url
    assert "区政务服务平台" in client.get(pages[0]).content.decode()
    action = client.post(
        reverse("admin:liaison_user_changelist"), {"action": "issue_tokens", "_selected_action": [leader.pk]}
    )
    assert not any(secret in action.content.decode() for secret in secrets_of(key))
    assert not any(secret in str(m) for m in action.context["messages"] for secret in secrets_of(key))
    assert works(key)  # and issuing did not end it


def test_staff_cannot_edit_a_token(client, staff, leader):
    token = token_issue(user=leader).token
    client.force_login(staff)
    url = reverse("admin:accounts_apitoken_change", args=[token.pk])
    response = client.post(url, {"name": "改名"})
    assert response.status_code == 403
    assert ApiToken.objects.get(pk=token.pk).name == ""


def test_staff_issue_in_the_admin_see_the_key_once_and_it_is_logged(client, staff, leader):
    client.force_login(staff)
    response = client.post(reverse("admin:accounts_apitoken_add"), {"user": str(leader.pk), "name": "数据交换"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    [(user, key)] = response.context["issued"]
    assert user == leader and works(key)
    token = ApiToken.objects.get(user=leader)
    assert (token.name, token.issued_by) == ("数据交换", staff)
    page = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk])).content.decode()
    assert not any(secret in page for secret in secrets_of(key))
    history = client.get(reverse("admin:liaison_user_history", args=[leader.pk])).content.decode()
    assert "签发 API 令牌：数据交换" in history


def test_staff_revoke_in_the_admin(client, staff, leader):
    issued = token_issue(user=leader)
    client.force_login(staff)
    url = reverse("admin:accounts_apitoken_delete", args=[issued.token.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not works(issued.key)
    keys = [token_issue(user=leader).key for _ in range(2)]
    client.post(
        reverse("admin:liaison_user_changelist"), {"action": "revoke_tokens", "_selected_action": [leader.pk]}
    )
    assert not any(works(key) for key in keys)


def test_no_api_answer_shows_an_existing_key(api_for, staff, leader):
    key = token_issue(user=leader).key
    client = api_for(staff)
    for url in ("/api/v1/users/", f"/api/v1/users/{leader.pk}/", "/api/v1/me/"):
        body = client.get(url).content.decode()
        assert not any(secret in body for secret in secrets_of(key)), url
    login = APIClient().post(
        "/api/v1/auth/token/", {"username": "luzhou_leader", "password": "pass-1234-word"}, format="json"
    )
    assert login.status_code == 200 and login.json()["token"] != key


def test_the_schema_keeps_the_token_scheme_and_answer(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Token-based authentication with required prefix "Token"',
    }
    answer = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]["200"]["content"]["application/json"]
    component = answer["schema"]["$ref"].rsplit("/", 1)[-1]
    assert list(schema["components"]["schemas"][component]["properties"]) == ["token"]
