"""Every list endpoint runs the same number of queries for 5 rows as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.models import Role
from suggestions.models import Suggestion
from tests.factories import (
    DeputyFactory,
    MandateFactory,
    ReceptionFactory,
    RegionFactory,
    StationFactory,
    StationMembershipFactory,
    UnitFactory,
    UserFactory,
)

# Authentication (token → user), then the page's own queries.
MAX_QUERIES = {"regions": 3, "stations": 3, "deputies": 5, "receptions": 5, "units": 3, "users": 4}


def _populate(changzhi, resource, n, start):
    township = changzhi["township"]
    for i in range(start, start + n):
        if resource == "regions":
            RegionFactory(code=f"140403{200 + i:03d}", name=f"乡镇{i}", parent=changzhi["county"])
        elif resource == "stations":
            parent = StationFactory(name=f"上级{i}", region=township)
            StationFactory(name=f"站点{i}", region=township, parent=parent)
        elif resource == "deputies":
            deputy = DeputyFactory(region=township)
            MandateFactory(deputy=deputy, level="county")
            MandateFactory(deputy=deputy, level="township")
            StationMembershipFactory(deputy=deputy, station=StationFactory(region=township))
        elif resource == "receptions":
            station = StationFactory(region=township)
            reception = ReceptionFactory(station=station, deputies=[DeputyFactory(region=township) for _ in range(2)])
            Suggestion.objects.create(title="t", content="c", region=township, reception=reception)
        elif resource == "units":
            UnitFactory(region=township)
        elif resource == "users":
            deputy_account = UserFactory(role=Role.DEPUTY)
            DeputyFactory(region=township, user=deputy_account)
            officer = UserFactory(role=Role.UNIT_OFFICER)
            UnitFactory(region=township).officers.add(officer)


def _count(client, resource):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/v1/{resource}/", {"page_size": 200})
    assert response.status_code == 200
    return len(captured.captured_queries), response.json()["count"]


@pytest.mark.parametrize("resource", list(MAX_QUERIES))
def test_list_query_count_does_not_grow_with_the_page(changzhi, api_for, resource):
    staff = UserFactory(username="staff", role=Role.STAFF, region=changzhi["county"])
    client = api_for(staff)
    _populate(changzhi, resource, 5, 0)
    small_queries, small_count = _count(client, resource)
    _populate(changzhi, resource, 45, 5)
    large_queries, large_count = _count(client, resource)
    assert large_count >= small_count + 45
    assert large_queries == small_queries
    assert large_queries <= MAX_QUERIES[resource]


def test_detail_of_a_deputy_is_a_handful_of_queries(changzhi, api_for, django_assert_max_num_queries):
    staff = UserFactory(username="staff", role=Role.STAFF, region=changzhi["county"])
    deputy = DeputyFactory(region=changzhi["township"])
    MandateFactory(deputy=deputy)
    client = api_for(staff)
    with django_assert_max_num_queries(4):
        assert client.get(f"/api/v1/deputies/{deputy.pk}/").status_code == 200
