"""The accounts admin and the API-token admin: scoping, who may create what, the token
action; and the admin site as each role finds it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import ApiToken
from accounts.services import token_issue
from liaison.models import Role, User
from tests.factories import DeputyFactory, UnitFactory, UserFactory

PASSWORD = "Secret-pass-2026!"


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True, region=None)


@pytest.fixture
def staff(changzhi):
    return UserFactory(username="luzhou_staff", role=Role.STAFF, region=changzhi["county"])


@pytest.fixture
def accounts(changzhi):
    """Accounts inside 潞州区 (by region, by deputy, by unit) and outside it."""
    deputy = DeputyFactory(region=changzhi["township"])
    deputy.user = UserFactory(username="luzhou_deputy", role=Role.DEPUTY, region=None, is_staff=False)
    deputy.save()
    unit = UnitFactory(region=changzhi["county"])
    officer = UserFactory(username="luzhou_officer", role=Role.UNIT_OFFICER, region=None, is_staff=False)
    unit.officers.add(officer)
    return {
        "leader": UserFactory(username="luzhou_leader", role=Role.LEADER, region=changzhi["county"]),
        "deputy": deputy.user,
        "officer": officer,
        "foreign": UserFactory(username="shangdang_staff", role=Role.STAFF, region=changzhi["other_county"]),
        "foreign_deputy": DeputyFactory(region=changzhi["other_township"]),
    }


def login(client, user):
    client.force_login(user)
    return client


def listed(client, **params):
    response = client.get(reverse("admin:liaison_user_changelist"), params)
    assert response.status_code == 200
    return {u.username for u in response.context["cl"].result_list}


# --- pages and scope --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["superuser", "staff"])
def test_account_pages_render(client, request, accounts, who):
    login(client, request.getfixturevalue(who))
    leader = accounts["leader"]
    for url in (
        reverse("admin:liaison_user_changelist"),
        reverse("admin:liaison_user_add"),
        reverse("admin:liaison_user_change", args=[leader.pk]),
        reverse("admin:auth_user_password_change", args=[leader.pk]),
        reverse("admin:accounts_apitoken_changelist"),
        reverse("admin:accounts_apitoken_add"),
    ):
        assert client.get(url).status_code == 200, url


def test_staff_see_the_accounts_of_their_region_only(client, staff, accounts, superuser):
    login(client, staff)
    assert listed(client) == {"luzhou_staff", "luzhou_leader", "luzhou_deputy", "luzhou_officer"}
    foreign = client.get(reverse("admin:liaison_user_change", args=[accounts["foreign"].pk]))
    assert foreign.status_code == 302 and foreign.url == reverse("admin:index")
    # Superusers are nobody else's to see, even without a region.
    assert client.get(reverse("admin:liaison_user_change", args=[superuser.pk])).status_code == 302


def test_leaders_deputies_and_officers_manage_no_accounts(client, accounts):
    for user in (accounts["leader"],):
        login(client, user)
        assert client.get(reverse("admin:liaison_user_changelist")).status_code == 403
        assert client.get(reverse("admin:accounts_apitoken_changelist")).status_code == 403
    # Deputies and unit officers have no admin at all.
    login(client, accounts["deputy"])
    assert client.get(reverse("admin:index")).status_code == 302


def test_admin_index_shows_chinese_sections_for_staff(client, staff):
    page = login(client, staff).get(reverse("admin:index")).content.decode()
    for name in ("行政区划", "联络站点", "人大代表", "接待活动", "专业代表小组", "承办单位", "账号"):
        assert name in page


# --- creating accounts ------------------------------------------------------------------


def account_post(**fields):
    data = {
        "username": "new_account", "password1": PASSWORD, "password2": PASSWORD, "name": "新账号", "phone": "",
        "role": "staff", "region": "", "deputy": "", "unit": "", "is_active": "on",
    }
    data.update(fields)
    return data


def test_staff_create_a_staff_account_inside_their_region(client, staff, changzhi):
    login(client, staff)
    response = client.post(
        reverse("admin:liaison_user_add"),
        account_post(region=changzhi["township"].code, is_superuser="on", is_staff=""),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="new_account")
    assert (user.role, user.region, user.is_staff, user.is_superuser) == ("staff", changzhi["township"], True, False)
    assert user.check_password(PASSWORD)


def test_staff_cannot_create_an_account_outside_their_region(client, staff, changzhi):
    login(client, staff)
    response = client.post(reverse("admin:liaison_user_add"), account_post(region=changzhi["other_county"].code))
    assert response.status_code == 200
    assert "所选行政区划不存在或不在您的管辖范围内" in response.content.decode()
    response = client.post(reverse("admin:liaison_user_add"), account_post(region=""))
    assert "工作人员和领导的账号必须指定管辖区划" in response.content.decode()
    assert not User.objects.filter(username="new_account").exists()


def test_staff_create_a_deputys_account_only_for_a_deputy_of_their_region(client, staff, accounts, changzhi):
    login(client, staff)
    deputy = DeputyFactory(region=changzhi["township"])
    response = client.post(reverse("admin:liaison_user_add"), account_post(role="deputy", deputy=str(deputy.pk)))
    assert response.status_code == 302, response.content.decode()[:3000]
    deputy.refresh_from_db()
    assert deputy.user.username == "new_account" and deputy.user.region is None and not deputy.user.is_staff
    response = client.post(
        reverse("admin:liaison_user_add"),
        account_post(username="other", role="deputy", deputy=str(accounts["foreign_deputy"].pk)),
    )
    assert "所选代表不存在或不在您的管辖范围内" in response.content.decode()
    taken = client.post(reverse("admin:liaison_user_add"), account_post(username="third", role="deputy", deputy=str(deputy.pk)))
    assert "该代表已有登录账号" in taken.content.decode()


def test_staff_create_a_unit_officers_account(client, staff, changzhi):
    unit = UnitFactory(region=changzhi["county"])
    login(client, staff)
    response = client.post(reverse("admin:liaison_user_add"), account_post(role="unit_officer", unit=str(unit.pk)))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(unit.officers.values_list("username", flat=True)) == ["new_account"]


def test_staff_change_an_account_through_the_service(client, staff, accounts, changzhi):
    leader = accounts["leader"]
    login(client, staff)
    data = {
        "username": leader.username, "name": "改过的名字", "phone": "13900000000", "role": "leader",
        "region": changzhi["township"].code, "deputy": "", "unit": "", "is_active": "on",
    }
    response = client.post(reverse("admin:liaison_user_change", args=[leader.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    leader.refresh_from_db()
    assert (leader.name, leader.region) == ("改过的名字", changzhi["township"])


def test_a_new_password_ends_the_api_tokens(client, staff, accounts):
    leader = accounts["leader"]
    token_issue(user=leader)
    token_issue(user=leader)
    login(client, staff)
    url = reverse("admin:auth_user_password_change", args=[leader.pk])
    response = client.post(url, {"password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"})
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=leader).exists()


# --- tokens (the key is shown on the page that issues it, and never again) -----------------


def test_issue_token_action_shows_each_new_key_once_on_an_uncached_page(client, staff, accounts):
    leader, officer = accounts["leader"], accounts["officer"]
    officer.is_active = False
    officer.save()
    login(client, staff)
    url = reverse("admin:liaison_user_changelist")
    response = client.post(url, {"action": "issue_tokens", "_selected_action": [leader.pk, officer.pk]})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    [(user, key)] = response.context["issued"]
    assert user == leader and key in response.content.decode()
    assert any("停用的账号不签发令牌" in str(m) and officer.username in str(m) for m in response.context["messages"])
    assert not ApiToken.objects.filter(user=officer).exists()
    token = ApiToken.objects.get(user=leader)
    assert (token.issued_by, token.name) == (staff, "后台签发")
    # Issuing again makes a second token; the first keeps working and is not shown again.
    again = client.post(url, {"action": "issue_tokens", "_selected_action": [leader.pk]})
    [(_user, second)] = again.context["issued"]
    assert second != key and key not in again.content.decode()
    assert ApiToken.objects.filter(user=leader).count() == 2


def test_issue_token_action_cannot_reach_a_foreign_account(client, staff, accounts):
    login(client, staff)
    client.post(
        reverse("admin:liaison_user_changelist"),
        {"action": "issue_tokens", "_selected_action": [accounts["foreign"].pk]},
    )
    assert not ApiToken.objects.filter(user=accounts["foreign"]).exists()


def test_token_admin_is_scoped(client, staff, accounts, superuser):
    mine = token_issue(user=accounts["leader"]).token
    theirs = token_issue(user=accounts["foreign"]).token
    login(client, staff)
    response = client.get(reverse("admin:accounts_apitoken_changelist"))
    assert {t.pk for t in response.context["cl"].result_list} == {mine.pk}
    assert client.get(reverse("admin:accounts_apitoken_change", args=[theirs.pk])).status_code == 302
    add = client.post(reverse("admin:accounts_apitoken_add"), {"user": str(accounts["foreign"].pk), "name": "x"})
    assert add.status_code == 200 and "不存在或不在您的管辖范围内" in add.content.decode()
    assert ApiToken.objects.filter(user=accounts["foreign"]).count() == 1
    login(client, superuser)
    response = client.get(reverse("admin:accounts_apitoken_changelist"))
    assert {t.pk for t in response.context["cl"].result_list} == {mine.pk, theirs.pk}


# --- query counts -----------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.context["cl"].result_count


@pytest.mark.parametrize("who", ["superuser", "staff"])
def test_account_changelist_queries_do_not_grow_with_the_page(client, request, changzhi, who):
    login(client, request.getfixturevalue(who))
    url = reverse("admin:liaison_user_changelist")

    def make(count):
        for _ in range(count):
            user = UserFactory(role=Role.LEADER, region=changzhi["township"])
            token_issue(user=user)
            deputy = DeputyFactory(region=changzhi["township"])
            deputy.user = UserFactory(role=Role.DEPUTY, region=None, is_staff=False)
            deputy.save()
            UnitFactory(region=changzhi["township"]).officers.add(UserFactory(role=Role.UNIT_OFFICER, is_staff=False))

    make(2)
    few, rows = count_queries(client, url)
    make(15)
    many, more = count_queries(client, url)
    assert more == rows + 45
    assert many == few


def test_token_changelist_queries_do_not_grow_with_the_page(client, staff, changzhi):
    login(client, staff)
    url = reverse("admin:accounts_apitoken_changelist")
    for _ in range(5):
        token_issue(user=UserFactory(role=Role.LEADER, region=changzhi["township"]), by=staff)
    five, rows = count_queries(client, url)
    for _ in range(45):
        token_issue(user=UserFactory(role=Role.LEADER, region=changzhi["township"]), by=staff)
    fifty, more = count_queries(client, url)
    assert (rows, more) == (5, 50) and fifty == five
