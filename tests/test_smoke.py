from tests.factories import (
    DeputyFactory,
    MandateFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
)


def test_home_page_answers(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "人大代表联络站" in response.content.decode()


def test_factories_build_a_grouped_deputy(changzhi):
    station = StationFactory(region=changzhi["township"])
    deputy = DeputyFactory(region=changzhi["township"])
    MandateFactory(deputy=deputy)
    StationMembershipFactory(deputy=deputy, station=station)
    ReceptionFactory(station=station, deputies=[deputy])
    assert list(deputy.stations.all()) == [station]
    assert deputy.receptions.count() == 1
