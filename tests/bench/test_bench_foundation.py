from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from stations.services import SHIPPED_REGIONS_DIR
from tests.factories import region_path

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_prints_a_markdown_table_of_each_step():
    out = StringIO()
    call_command("bench_foundation", str(SHIPPED_REGIONS_DIR), "--scale", "0.02", stdout=out)
    lines = out.getvalue().splitlines()

    assert lines[0].startswith("Database: ")
    assert "| step | rows | seconds |" in lines
    steps = [
        line
        for line in lines
        if line.startswith("| load_regions") or line.startswith("| seed_demo")
    ]
    assert len(steps) == 3
    assert "| 163 regions |" in steps[0]
    assert "| 0 changed |" in steps[1]
    assert "180 deputies" in steps[2]


def test_refuses_a_database_with_data():
    region_path("1404", "长治市")

    with pytest.raises(CommandError, match="数据库不是空的"):
        call_command("bench_foundation", str(SHIPPED_REGIONS_DIR), stdout=StringIO())
