from deputies.selectors import deputy_list, reception_list
from liaison.models import Role
from tests.factories import (
    DeputyFactory,
    MandateFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
    UnitFactory,
    UserFactory,
)


def test_deputy_list_scopes_by_region_and_own_record(changzhi):
    own = DeputyFactory(region=changzhi["township"])
    foreign = DeputyFactory(region=changzhi["other_township"])
    staff = UserFactory(role=Role.STAFF, region=changzhi["county"])
    assert list(deputy_list(user=staff)) == [own]
    city = UserFactory(role=Role.LEADER, region=changzhi["city"])
    assert set(deputy_list(user=city)) == {own, foreign}
    account = UserFactory(role=Role.DEPUTY)
    foreign.user = account
    foreign.save()
    assert list(deputy_list(user=account)) == [foreign]
    officer = UserFactory(role=Role.UNIT_OFFICER)
    UnitFactory(region=changzhi["county"]).officers.add(officer)
    assert list(deputy_list(user=officer)) == []


def test_deputy_list_fetches_mandates_and_stations_once(changzhi, django_assert_num_queries):
    for _ in range(5):
        deputy = DeputyFactory(region=changzhi["township"])
        MandateFactory(deputy=deputy)
        StationMembershipFactory(deputy=deputy, station=StationFactory(region=changzhi["township"]))
    staff = UserFactory(role=Role.STAFF, region=changzhi["county"])
    with django_assert_num_queries(3):
        rows = [
            (deputy.region.name, len(deputy.mandates.all()), [m.station.name for m in deputy.memberships.all()])
            for deputy in deputy_list(user=staff)
        ]
    assert len(rows) == 5
    assert all(mandates == 1 and len(stations) == 1 for _region, mandates, stations in rows)


def test_reception_list_for_staff_and_deputies(changzhi):
    station = StationFactory(region=changzhi["township"])
    other_station = StationFactory(region=changzhi["township"])
    foreign_station = StationFactory(region=changzhi["other_township"])
    account = UserFactory(role=Role.DEPUTY)
    deputy = DeputyFactory(region=changzhi["township"], user=account)
    StationMembershipFactory(deputy=deputy, station=station)
    at_my_station = ReceptionFactory(station=station)
    attended_elsewhere = ReceptionFactory(station=foreign_station, deputies=[deputy])
    ReceptionFactory(station=other_station)
    assert set(reception_list(user=account)) == {at_my_station, attended_elsewhere}
    staff = UserFactory(role=Role.STAFF, region=changzhi["county"])
    assert attended_elsewhere not in set(reception_list(user=staff))
    assert reception_list(user=staff).count() == 2
    # Attended at own station: listed once.
    both = ReceptionFactory(station=station, deputies=[deputy])
    assert list(reception_list(user=account)).count(both) == 1
