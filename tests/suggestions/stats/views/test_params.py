"""Who may see the statistics pages: staff and leaders, of their own region only (views/params.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from liaison.models import Role
from tests.factories import (
    UserFactory,
)
from tests.suggestions.stats.views.pages import get


def test_dashboard_needs_an_account(client, built):
    response = client.get(reverse("stats:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", [Role.DEPUTY, Role.UNIT_OFFICER])
def test_deputies_and_unit_officers_may_not_see_statistics(client, built, role):
    assert get(client, UserFactory(role=role), "stats:dashboard").status_code == 403


def test_staff_without_a_region_see_nothing(client, built):
    assert get(client, UserFactory(role=Role.STAFF, region=None), "stats:dashboard").status_code == 403


@pytest.mark.parametrize("name", ["stats:dashboard", "stats:units", "stats:stations", "stats:duty_list",
                                  "stats:workbook", "stats:export", "stats:books", "stats:duty_activities"])
def test_county_staff_cannot_open_another_county_or_the_city(client, built, staff, name):
    assert get(client, staff, name, region=built.other_county.code).status_code == 404
    assert get(client, staff, name, region=built.county.code[:4]).status_code == 404
    assert get(client, staff, name, region="abc").status_code == 404
