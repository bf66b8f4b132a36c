"""Issue 12, finding 1: docker-compose created the demo superuser `admin` / `demo12345` in
production. Production now refuses the demo: `seed_demo` will not run, the published password
opens no account, and `check --deploy` fails while a demo account still has it."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.test import RequestFactory

from demo.checks import check_no_demo_accounts_in_production
from demo.seed import DemoInProduction, seed_demo
from liaison.auth import DEMO_PASSWORD
from liaison.models import Role
from stations.models import Station
from tests.factories import UserFactory


@pytest.fixture
def production(settings):
    settings.PRODUCTION = True
    return settings


@pytest.fixture
def demo_admin(db):
    """The demo's superuser as seed_demo made it, with the published password."""
    user = UserFactory(username="admin", role=Role.STAFF, region=None, is_superuser=True, is_staff=True)
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


def test_seed_demo_command_refuses_in_production(db, production):
    with pytest.raises(CommandError, match="生产环境.*不能生成示范数据"):
        call_command("seed_demo", "--if-empty", "--scale", "0.05")
    assert not Station.objects.exists()


def test_seed_demo_service_refuses_in_production(db, production):
    with pytest.raises(DemoInProduction):
        seed_demo(scale=0.05)
    assert not Station.objects.exists()


def test_check_deploy_errors_on_a_demo_account_with_the_demo_password_in_production(demo_admin, production):
    [error] = check_no_demo_accounts_in_production()
    assert error.id == "demo.E001" and "admin" in error.msg
    with pytest.raises(SystemCheckError, match="demo.E001"):
        call_command("check", "--deploy", "--tag", "security")


def test_check_is_quiet_once_the_demo_password_is_changed_or_outside_production(demo_admin, settings):
    settings.PRODUCTION = False
    assert check_no_demo_accounts_in_production() == []
    settings.PRODUCTION = True
    demo_admin.set_password("A-real-password-2026!")
    demo_admin.save(update_fields=["password"])
    assert check_no_demo_accounts_in_production() == []


def test_check_ignores_other_accounts_that_happen_to_use_the_demo_password(db, production):
    user = UserFactory(username="wang", role=Role.STAFF)
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    assert check_no_demo_accounts_in_production() == []


def test_the_demo_password_opens_no_account_in_production_even_when_it_is_right(demo_admin, settings):
    def login():
        request = RequestFactory().post("/admin/login/", REMOTE_ADDR="203.0.113.7")
        return authenticate(request, username="admin", password=DEMO_PASSWORD)

    settings.PRODUCTION = False
    assert login() == demo_admin  # the credentials are right
    settings.PRODUCTION = True
    assert login() is None

