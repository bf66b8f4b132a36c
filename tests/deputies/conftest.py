"""Fixtures of the deputies tests."""

from tests.deputies.activity_fixtures import people  # noqa: F401 (a fixture)
