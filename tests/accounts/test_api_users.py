"""users/: staff manage accounts inside their own region only; passwords are write-only."""

import pytest
from django.contrib.auth import get_user_model

from accounts.models import ApiToken
from liaison.models import Role
from tests.factories import DeputyFactory, UnitFactory, UserFactory

User = get_user_model()


@pytest.fixture
def staff(changzhi):
    return UserFactory(username="staff", role=Role.STAFF, region=changzhi["county"])


def test_staff_opens_accounts_of_each_role_in_scope(changzhi, api_for, staff):
    deputy = DeputyFactory(region=changzhi["township"])
    unit = UnitFactory(region=changzhi["county"])
    client = api_for(staff)
    cases = [
        ({"username": "t_staff", "role": "staff", "region": "140403001"}, lambda u: u.region_id == "140403001" and u.is_staff),
        ({"username": "t_leader", "role": "leader", "region": "140403"}, lambda u: u.is_staff),
        ({"username": "t_deputy", "role": "deputy", "deputy": deputy.pk}, lambda u: u.deputy == deputy and not u.is_staff),
        ({"username": "t_officer", "role": "unit_officer", "unit": unit.pk}, lambda u: list(u.units.all()) == [unit]),
    ]
    for payload, check in cases:
        response = client.post("/api/v1/users/", {**payload, "password": "Changzhi-2026!"}, format="json")
        assert response.status_code == 201, response.content
        assert "password" not in response.json()
        user = User.objects.get(username=payload["username"])
        assert user.check_password("Changzhi-2026!")
        assert not user.is_superuser
        assert check(user)


def test_accounts_outside_the_region_are_refused(changzhi, api_for, staff):
    foreign_deputy = DeputyFactory(region=changzhi["other_township"])
    foreign_unit = UnitFactory(region=changzhi["other_county"])
    client = api_for(staff)
    for payload, field in (
        ({"role": "staff", "region": "140404"}, "region"),
        ({"role": "leader", "region": "1404"}, "region"),
        ({"role": "deputy", "deputy": foreign_deputy.pk}, "deputy"),
        ({"role": "unit_officer", "unit": foreign_unit.pk}, "unit"),
        ({"role": "staff"}, "region"),
        ({"role": "deputy"}, "deputy"),
    ):
        response = client.post(
            "/api/v1/users/", {"username": "x", "password": "Changzhi-2026!", **payload}, format="json"
        )
        assert response.status_code == 400, payload
        assert field in response.json()["errors"]
    assert not User.objects.filter(username="x").exists()


def test_superuser_cannot_be_created_or_granted(changzhi, api_for, staff):
    client = api_for(staff)
    response = client.post(
        "/api/v1/users/",
        {"username": "evil", "password": "Changzhi-2026!", "role": "staff", "region": "140403", "is_superuser": True},
        format="json",
    )
    assert response.status_code == 201
    assert not User.objects.get(username="evil").is_superuser
    root = UserFactory(username="root", is_superuser=True, region=changzhi["county"])
    assert client.get(f"/api/v1/users/{root.pk}/").status_code == 404
    assert client.patch(f"/api/v1/users/{root.pk}/", {"name": "x"}, format="json").status_code == 404


def test_weak_passwords_are_refused(changzhi, api_for, staff):
    client = api_for(staff)
    for password in ("123", "password", "12345678", "staffnew1"):
        response = client.post(
            "/api/v1/users/", {"username": "staffnew1", "password": password, "role": "staff", "region": "140403"},
            format="json",
        )
        assert response.status_code == 400, password
        assert "password" in response.json()["errors"]
    response = client.post("/api/v1/users/", {"username": "nopass", "role": "staff", "region": "140403"}, format="json")
    assert "password" in response.json()["errors"]


def test_changing_a_password_ends_the_old_token(changzhi, api_for, staff):
    target = UserFactory(username="leader", role=Role.LEADER, region=changzhi["county"])
    old = api_for(target)
    assert old.get("/api/v1/me/").status_code == 200
    response = api_for(staff).patch(f"/api/v1/users/{target.pk}/", {"password": "Another-2026!"}, format="json")
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.check_password("Another-2026!")
    assert not ApiToken.objects.filter(user=target).exists()
    assert old.get("/api/v1/me/").status_code == 401


def test_a_deputy_record_takes_one_account(changzhi, api_for, staff):
    deputy = DeputyFactory(region=changzhi["township"], user=UserFactory(username="first", role=Role.DEPUTY))
    response = api_for(staff).post(
        "/api/v1/users/", {"username": "second", "password": "Changzhi-2026!", "role": "deputy", "deputy": deputy.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "deputy" in response.json()["errors"]


def test_changing_role_moves_the_links(changzhi, api_for, staff):
    unit = UnitFactory(region=changzhi["county"])
    deputy = DeputyFactory(region=changzhi["township"])
    account = UserFactory(username="mover", role=Role.DEPUTY)
    deputy.user = account
    deputy.save()
    response = api_for(staff).patch(
        f"/api/v1/users/{account.pk}/", {"role": "unit_officer", "unit": unit.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["unit"] == unit.pk
    assert response.json()["deputy"] is None
    deputy.refresh_from_db()
    assert deputy.user is None


def test_user_list_is_scoped_and_filterable(changzhi, api_for, staff):
    deputy_account = UserFactory(username="d_acc", role=Role.DEPUTY)
    DeputyFactory(region=changzhi["township"], user=deputy_account)
    officer = UserFactory(username="o_acc", role=Role.UNIT_OFFICER)
    UnitFactory(region=changzhi["county"]).officers.add(officer)
    UnitFactory(region=changzhi["county"]).officers.add(officer)  # two units: still one row
    UserFactory(username="foreign", role=Role.STAFF, region=changzhi["other_county"])
    client = api_for(staff)
    names = [row["username"] for row in client.get("/api/v1/users/").json()["results"]]
    assert names == ["d_acc", "o_acc", "staff"]
    assert [r["username"] for r in client.get("/api/v1/users/", {"role": "deputy"}).json()["results"]] == ["d_acc"]
    assert [r["username"] for r in client.get("/api/v1/users/", {"q": "o_a"}).json()["results"]] == ["o_acc"]
