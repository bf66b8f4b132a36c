"""The demo logins and the handling units they work with."""

import pytest
from django.contrib.auth import get_user_model

from demo.accounts import DEMO_PASSWORD
from demo.network import CITY_CODE
from demo.seed import seed_demo
from liaison.models import Role
from suggestions.models import Unit
from tests.demo.conftest import SCALE, TODAY

pytestmark = pytest.mark.django_db


def test_units_and_one_account_per_role(small_city):
    assert Unit.objects.count() >= 20
    assert Unit.objects.filter(name="长治市住房和城乡建设局", region_id=CITY_CODE).exists()
    logins = ["admin", "staff", "county", "leader", "deputy", "officer"]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=logins)}
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert (users["staff"].role, users["staff"].region_id) == (Role.STAFF, "1404")
    assert (users["county"].role, users["county"].region_id) == (Role.STAFF, "140403")
    assert (users["leader"].role, users["leader"].region_id) == (Role.LEADER, "1404")
    assert users["deputy"].role == Role.DEPUTY
    assert users["deputy"].deputy.memberships.exists()
    assert users["officer"].role == Role.UNIT_OFFICER
    assert list(users["officer"].units.values_list("name", flat=True)) == ["长治市住房和城乡建设局"]
    assert all(u.check_password(DEMO_PASSWORD) for u in users.values())
    # Every other unit has its own officer (the demo year's assignments are signed by them),
    # and those are no logins: no usable password.
    others = get_user_model().objects.exclude(username__in=logins)
    assert others.exists() and not any(u.has_usable_password() for u in others)
    assert not Unit.objects.filter(officers__isnull=True).exists()
    assert small_city["accounts"] == ["admin", "staff", "county", "leader", "deputy", "officer"]


def test_existing_account_is_left_alone():
    get_user_model().objects.create_user(username="admin", password="my-own-secret-1")

    result = seed_demo(scale=SCALE, today=TODAY)

    assert "admin" not in result["accounts"]
    assert get_user_model().objects.get(username="admin").check_password("my-own-secret-1")
