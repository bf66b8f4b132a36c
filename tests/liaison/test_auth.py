"""Login lockout (liaison.auth) on every password login, and the issue_token command."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from liaison import auth
from liaison.models import Role
from tests.factories import UserFactory

PASSWORD = "pass-1234-word"


@pytest.fixture
def lockout(settings):
    settings.LIAISON = {**settings.LIAISON, "LOGIN_MAX_FAILURES": 3, "LOGIN_LOCKOUT_SECONDS": 60}


@pytest.fixture
def staff(changzhi):
    return UserFactory(username="wang", role=Role.STAFF, region=changzhi["county"])


def test_backend_accepts_the_right_password(staff, lockout):
    assert authenticate(None, username="wang", password=PASSWORD) == staff


def test_backend_locks_after_max_failures_even_for_the_right_password(staff, lockout):
    for _ in range(3):
        assert authenticate(None, username="wang", password="wrong") is None
    assert auth.is_locked("wang")
    assert authenticate(None, username="wang", password=PASSWORD) is None


def test_failures_below_the_limit_are_forgotten_after_a_success(staff, lockout):
    for _ in range(2):
        authenticate(None, username="wang", password="wrong")
    assert authenticate(None, username="wang", password=PASSWORD) == staff
    for _ in range(2):
        authenticate(None, username="wang", password="wrong")
    assert not auth.is_locked("wang")


def test_lock_counts_usernames_case_insensitively_and_unknown_names_too(db, lockout):
    for name in ("Ghost", "ghost", "GHOST"):
        authenticate(None, username=name, password="x")
    assert auth.is_locked("ghost")


def test_lock_expires_with_the_window(staff, lockout, monkeypatch):
    for _ in range(3):
        authenticate(None, username="wang", password="wrong")
    assert 0 < auth.lockout_remaining("wang") <= 60
    real_time = auth.time.time
    monkeypatch.setattr(auth.time, "time", lambda: real_time() + 61)
    assert auth.lockout_remaining("wang") == 0


def test_admin_login_form_honours_the_lockout(client, staff, lockout):
    for _ in range(3):
        response = client.post("/admin/login/", {"username": "wang", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    response = client.post("/admin/login/", {"username": "wang", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_admin_login_works_when_not_locked(client, staff, lockout):
    response = client.post("/admin/login/", {"username": "wang", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_issue_token_prints_the_same_token_the_api_gives(staff):
    out = io.StringIO()
    call_command("issue_token", "wang", stdout=out)
    key = out.getvalue().strip()
    assert key == Token.objects.get(user=staff).key
    out2 = io.StringIO()
    call_command("issue_token", "wang", stdout=out2)
    assert out2.getvalue().strip() == key


def test_issue_token_rotate_replaces_the_key(staff):
    first, second = io.StringIO(), io.StringIO()
    call_command("issue_token", "wang", stdout=first)
    call_command("issue_token", "wang", "--rotate", stdout=second)
    assert first.getvalue().strip() != second.getvalue().strip()
    assert Token.objects.filter(user=staff).count() == 1


def test_issue_token_refuses_unknown_and_inactive_accounts(staff):
    with pytest.raises(CommandError, match="不存在"):
        call_command("issue_token", "nobody")
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="停用"):
        call_command("issue_token", "wang")
