"""The seed_demo and demo_logins commands."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from demo.seed import seed_demo
from tests.demo.conftest import SCALE, TODAY

pytestmark = pytest.mark.django_db


def test_seed_demo_command_reports_then_does_nothing_the_second_time():
    out = StringIO()
    call_command("seed_demo", "--scale", str(SCALE), stdout=out)
    assert "联络站" in out.getvalue() and "用时" in out.getvalue()

    again = StringIO()
    call_command("seed_demo", "--scale", str(SCALE), stdout=again)
    assert "示范数据已存在" in again.getvalue()

    with pytest.raises(CommandError, match="大于 0"):
        call_command("seed_demo", "--scale", "0")


def test_demo_logins_lists_only_demo_accounts_with_the_demo_password():
    out = StringIO()
    call_command("demo_logins", "--url", "http://example.test:8000", stdout=out)
    assert "没有演示账号" in out.getvalue()
    assert "http://example.test:8000/admin/" in out.getvalue()

    seed_demo(scale=SCALE, today=TODAY)
    leader = get_user_model().objects.get(username="leader")
    leader.set_password("changed-by-the-leader-9")
    leader.save(update_fields=["password"])
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()

    assert "http://127.0.0.1:8000/api/docs/" in text
    assert re.search(r"staff +demo12345 +工作人员 / staff · 长治市（1404）", text)
    assert re.search(r"county +demo12345 +工作人员 / staff · 潞州区（140403）", text)
    assert "officer  demo12345  承办单位联络员 / unit_officer" in text
    assert "leader " not in text
