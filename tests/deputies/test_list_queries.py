"""A deputy's own lists (deputies/, receptions/, stations/) run a fixed number of queries
whatever their length, and read no more than the deputy may see."""

import pytest

from deputies.selectors import reception_list
from liaison.models import Role
from stations.selectors import station_list
from tests.factories import (
    DeputyFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
    UserFactory,
)

# Token authentication (2), then the list's own: count and page, plus what the rows carry
# (deputies: mandates and memberships; receptions: their deputies and suggestions, after the
# deputy's stations and attended receptions were read).
QUERIES = {"deputies": 5, "receptions": 7, "stations": 3}


@pytest.fixture
def deputy_account(changzhi):
    account = UserFactory(role=Role.DEPUTY)
    deputy = DeputyFactory(region=changzhi["township"], user=account)
    home = StationFactory(region=changzhi["township"])
    StationMembershipFactory(deputy=deputy, station=home)
    return account, deputy, home


def _populate(changzhi, deputy, home, n):
    elsewhere = StationFactory(region=changzhi["other_township"])
    for _ in range(n):
        ReceptionFactory(station=home, deputies=[DeputyFactory(region=changzhi["township"])])
        ReceptionFactory(station=elsewhere, deputies=[deputy])
        ReceptionFactory(station=elsewhere)  # neither at their station nor attended


@pytest.mark.parametrize("resource", list(QUERIES))
def test_a_deputys_list_runs_a_fixed_number_of_queries(changzhi, api_for, deputy_account, django_assert_num_queries,
                                                         resource):
    account, deputy, home = deputy_account
    client = api_for(account)
    _populate(changzhi, deputy, home, 3)
    with django_assert_num_queries(QUERIES[resource]):
        few = client.get(f"/api/v1/{resource}/", {"page_size": 200}).json()["count"]
    _populate(changzhi, deputy, home, 30)
    with django_assert_num_queries(QUERIES[resource]):
        many = client.get(f"/api/v1/{resource}/", {"page_size": 200}).json()["count"]
    if resource == "receptions":
        assert (few, many) == (6, 66)  # at their station or attended, each once
    else:
        assert few == many == 1


def test_a_deputy_account_without_a_record_sees_no_receptions_or_stations(changzhi, deputy_account):
    account, _deputy, home = deputy_account
    ReceptionFactory(station=home)
    stranger = UserFactory(role=Role.DEPUTY)
    assert list(reception_list(user=stranger)) == []
    assert list(station_list(user=stranger)) == []
    assert list(station_list(user=account)) == [home]
    assert len(reception_list(user=account)) == 1
