from django.contrib.auth.models import AnonymousUser

from liaison.models import Role
from stations.selectors import region_list, station_list
from tests.factories import DeputyFactory, StationFactory, StationMembershipFactory, UserFactory


def test_region_list_is_every_region(changzhi):
    assert set(region_list().values_list("code", flat=True)) >= {"14", "1404", "140403", "140404100"}


def test_station_list_scopes_staff_and_leaders_to_their_subtree(changzhi):
    own = StationFactory(region=changzhi["township"])
    county_level = StationFactory(region=changzhi["county"])
    foreign = StationFactory(region=changzhi["other_township"])
    for role in (Role.STAFF, Role.LEADER):
        user = UserFactory(role=role, region=changzhi["county"])
        assert set(station_list(user=user)) == {own, county_level}
    city = UserFactory(role=Role.STAFF, region=changzhi["city"])
    assert set(station_list(user=city)) == {own, county_level, foreign}


def test_station_list_for_deputies_officers_and_strangers(changzhi):
    mine = StationFactory(region=changzhi["township"])
    StationFactory(region=changzhi["township"])
    deputy_user = UserFactory(role=Role.DEPUTY)
    StationMembershipFactory(deputy=DeputyFactory(region=changzhi["township"], user=deputy_user), station=mine)
    assert list(station_list(user=deputy_user)) == [mine]
    assert list(station_list(user=UserFactory(role=Role.UNIT_OFFICER))) == []
    assert list(station_list(user=UserFactory(role=Role.STAFF, region=None))) == []
    assert list(station_list(user=AnonymousUser())) == []
    inactive = UserFactory(role=Role.STAFF, region=changzhi["county"], is_active=False)
    assert list(station_list(user=inactive)) == []


def test_station_list_is_one_query_with_region_and_parent(changzhi, django_assert_num_queries):
    parent = StationFactory(region=changzhi["township"])
    for _ in range(3):
        StationFactory(region=changzhi["township"], parent=parent)
    user = UserFactory(role=Role.STAFF, region=changzhi["county"])
    with django_assert_num_queries(1):
        names = [(s.region.name, s.parent.name if s.parent else None) for s in station_list(user=user)]
    assert len(names) == 4
