"""The statistics pages' fixtures: the hand-counted book, its snapshot, and staff to read it."""

import pytest

from liaison.models import Role
from suggestions.stats.build import build_stats
from tests.factories import UserFactory
from tests.suggestions.stats import book as stats_book
from tests.suggestions.stats.book import DAY

book = stats_book.book  # the fixture


@pytest.fixture
def built(book):
    build_stats(date=DAY)
    return book


@pytest.fixture
def staff(book):
    return UserFactory(role=Role.STAFF, region=book.county)


@pytest.fixture
def city_staff(book):
    return UserFactory(role=Role.STAFF, region=book.county.parent)
