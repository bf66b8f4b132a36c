"""Login throttling (liaison.auth) on every password login."""


import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

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


def login(username, password, address="203.0.113.7", forwarded=None):
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=address)
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return authenticate(request, username=username, password=password)


def test_backend_accepts_the_right_password(staff, lockout):
    assert login("wang", PASSWORD) == staff


def test_an_address_that_failed_too_often_waits_even_with_the_right_password(staff, lockout):
    for _ in range(3):
        assert login("wang", "wrong") is None
    assert auth.lockout_remaining("wang", "203.0.113.7") > 0
    assert login("wang", PASSWORD) is None


def test_the_owner_signs_in_from_another_address_while_a_guesser_waits(staff, lockout):
    for _ in range(3):
        login("wang", "wrong", address="198.51.100.66")
    assert login("wang", PASSWORD, address="198.51.100.66") is None
    assert login("wang", PASSWORD, address="203.0.113.7") == staff


def test_an_invented_forwarded_for_header_does_not_make_a_new_address(staff, lockout):
    for n in range(3):
        login("wang", "wrong", address="198.51.100.66", forwarded=f"10.0.0.{n}")
    assert login("wang", PASSWORD, address="198.51.100.66", forwarded="10.9.9.9") is None


def test_behind_a_trusted_proxy_each_client_counts_apart(staff, lockout, settings):
    settings.LIAISON_TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(3):
        login("wang", "wrong", address="127.0.0.1", forwarded="198.51.100.66")
    assert login("wang", PASSWORD, address="127.0.0.1", forwarded="198.51.100.66") is None
    assert login("wang", PASSWORD, address="127.0.0.1", forwarded="203.0.113.7") == staff


def test_the_wait_doubles_with_each_further_failure_up_to_the_longest(staff, settings, monkeypatch):
    settings.LIAISON = {**settings.LIAISON, "LOGIN_MAX_FAILURES": 2, "LOGIN_LOCKOUT_SECONDS": 300}
    clock = [1_000_000.0]
    monkeypatch.setattr(auth.time, "time", lambda: clock[0])
    waits = []
    for _ in range(6):
        login("wang", "wrong")
        waits.append(auth.lockout_remaining("wang", "203.0.113.7"))
        clock[0] += 301  # past any wait, so the next try is counted
    assert waits == [0, 60, 120, 240, 300, 300]


def test_failures_below_the_limit_are_forgotten_after_a_success(staff, lockout):
    for _ in range(2):
        login("wang", "wrong")
    assert login("wang", PASSWORD) == staff
    for _ in range(2):
        login("wang", "wrong")
    assert auth.lockout_remaining("wang", "203.0.113.7") == 0


def test_an_account_under_a_spread_attack_holds_each_failing_address_after_one_failure(staff, lockout, settings):
    settings.LIAISON = {**settings.LIAISON, "LOGIN_ACCOUNT_DAILY_FAILURES": 5}
    for n in range(5):
        login("wang", "wrong", address=f"198.51.100.{n}")
    login("wang", "wrong", address="198.51.100.200")
    assert auth.lockout_remaining("wang", "198.51.100.200") > 0
    # A clean address (the owner's) still signs in.
    assert login("wang", PASSWORD, address="203.0.113.7") == staff


def test_case_and_width_variants_count_as_one_account_and_unknown_names_too(db, lockout):
    for name in ("Ghost", "ｇｈｏｓｔ", " GHOST "):
        login(name, "x")
    assert auth.lockout_remaining("ghost", "203.0.113.7") > 0


def test_the_account_signs_in_whatever_case_or_width_its_name_is_typed_in(staff, lockout):
    assert login("WANG", PASSWORD) == staff
    assert login("ｗａｎｇ", PASSWORD) == staff


def test_the_wait_expires(staff, lockout, monkeypatch):
    for _ in range(3):
        login("wang", "wrong")
    assert 0 < auth.lockout_remaining("wang", "203.0.113.7") <= 60
    real_time = auth.time.time
    monkeypatch.setattr(auth.time, "time", lambda: real_time() + 61)
    assert auth.lockout_remaining("wang", "203.0.113.7") == 0


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
