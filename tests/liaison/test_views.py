import pytest
from django.test import override_settings
from django.urls import reverse

from liaison.context_processors import LARGE_TEXT_COOKIE
from liaison.models import Role
from tests.factories import DeputyFactory, UserFactory


def test_home_has_the_layout_landmarks(client, db):
    text = client.get(reverse("home")).content.decode()
    assert 'class="skip-link" href="#main"' in text
    assert '<main id="main"' in text
    assert 'lang="zh-hans"' in text
    assert reverse("stations:find") in text


def test_large_text_toggle_sets_the_cookie_and_the_body_class(client, db):
    response = client.post(reverse("large_text_toggle"), {"next": "/stations/"})
    assert response.status_code == 302 and response["Location"] == "/stations/"
    assert response.cookies[LARGE_TEXT_COOKIE].value == "1"
    page = client.get(reverse("home")).content.decode()
    assert '<body class="large-text' in page
    assert 'aria-pressed="true"' in page
    client.post(reverse("large_text_toggle"), {"large_text": "0"})
    assert '<body class="large-text' not in client.get(reverse("home")).content.decode()


def test_large_text_toggle_never_redirects_off_site(client, db):
    response = client.post(reverse("large_text_toggle"), {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_large_text_toggle_needs_post(client, db):
    assert client.get(reverse("large_text_toggle")).status_code == 405


def test_language_switch_to_english(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    assert "Find a station" in page and "Skip to content" in page  # locale/en is compiled and shipped


def test_login_page_renders_and_signs_a_deputy_in_to_the_dashboard(client, db):
    user = UserFactory(username="deputy1", role=Role.DEPUTY)
    DeputyFactory(user=user)
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "deputy1", "password": "pass-1234-word"})
    assert response.status_code == 302 and response["Location"] == reverse("workbench")
    assert client.get(reverse("workbench"))["Location"] == reverse("deputies:dashboard")


def test_login_with_a_wrong_password_shows_an_error(client, db):
    UserFactory(username="someone")
    response = client.post(reverse("login"), {"username": "someone", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors


@override_settings(AUTHENTICATION_BACKENDS=["liaison.auth.LockoutModelBackend"])
def test_login_tells_a_throttled_address_how_long_to_wait(client, settings, db):
    UserFactory(username="locked")
    for _i in range(settings.LIAISON["LOGIN_MAX_FAILURES"]):
        client.post(reverse("login"), {"username": "locked", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "locked", "password": "pass-1234-word"})
    assert "请 1 分钟后再试" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_from_another_address_is_not_held_by_a_strangers_failures(client, settings, db):
    UserFactory(username="owner")
    for _i in range(settings.LIAISON["LOGIN_MAX_FAILURES"] + 3):
        client.post(reverse("login"), {"username": "owner", "password": "wrong"}, REMOTE_ADDR="198.51.100.66")
    response = client.post(
        reverse("login"), {"username": "owner", "password": "pass-1234-word"}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_logout_is_a_post_and_ends_the_session(client, db):
    client.force_login(UserFactory())
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("workbench")).status_code == 302  # back to the login page


@pytest.mark.parametrize(
    ("role", "page"),
    [
        (Role.STAFF, "suggestions:review_queue"),
        (Role.LEADER, "suggestions:supervision"),
        (Role.UNIT_OFFICER, "suggestions:inbox"),
    ],
)
def test_workbench_sends_each_role_to_its_page(client, changzhi, role, page):
    client.force_login(UserFactory(role=role, region=changzhi["city"]))
    assert client.get(reverse("workbench"))["Location"] == reverse(page)


def test_nav_follows_the_role(client, db):
    user = UserFactory(role=Role.DEPUTY)
    DeputyFactory(user=user)
    client.force_login(user)
    text = client.get(reverse("home")).content.decode()
    assert reverse("deputies:dashboard") in text
    assert reverse("logout") in text
