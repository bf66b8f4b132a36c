"""The small demo city the tests of demo/ share."""

import datetime

import pytest

from demo.seed import seed_demo

SCALE = 0.05
TODAY = datetime.date(2026, 5, 20)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def small_city():
    return seed_demo(scale=SCALE, today=TODAY)
