"""The suggestion pages' small world: a county with a station, a deputy (with an account),
staff, a unit and its officer; clients signed in as each."""

import pytest

from deputies.models import Level
from liaison.models import Role
from tests.factories import (
    CategoryFactory,
    DeputyFactory,
    MandateFactory,
    StationFactory,
    StationMembershipFactory,
    UnitFactory,
    UserFactory,
)


@pytest.fixture
def world(changzhi):
    """A county with a station, a deputy (with an account), staff, a unit and its officer."""
    station = StationFactory(name="太东街道代表联络站", region=changzhi["township"])
    other_station = StationFactory(name="韩店镇代表联络站", region=changzhi["other_township"])
    deputy_user = UserFactory(username="deputy", role=Role.DEPUTY)
    deputy = DeputyFactory(name="王秀英", user=deputy_user, region=changzhi["township"])
    MandateFactory(deputy=deputy, level=Level.COUNTY)
    StationMembershipFactory(deputy=deputy, station=station)
    colleague = DeputyFactory(name="李同事", region=changzhi["township"])
    StationMembershipFactory(deputy=colleague, station=station)
    staff = UserFactory(username="staff", role=Role.STAFF, region=changzhi["county"])
    unit = UnitFactory(name="区住建局", region=changzhi["county"])
    officer = UserFactory(username="officer", role=Role.UNIT_OFFICER)
    unit.officers.add(officer)
    co_unit = UnitFactory(name="区交通局", region=changzhi["county"])
    co_officer = UserFactory(username="co-officer", role=Role.UNIT_OFFICER)
    co_unit.officers.add(co_officer)
    foreign_unit = UnitFactory(name="外区单位", region=changzhi["other_county"])
    return {
        **changzhi,
        "station": station,
        "other_station": other_station,
        "deputy": deputy,
        "colleague": colleague,
        "staff": staff,
        "unit": unit,
        "officer": officer,
        "co_unit": co_unit,
        "co_officer": co_officer,
        "foreign_unit": foreign_unit,
        "category": CategoryFactory(name="城乡建设"),
    }


@pytest.fixture
def deputy_client(client, world):
    client.force_login(world["deputy"].user)
    return client


@pytest.fixture
def officer_client(client, world):
    client.force_login(world["officer"])
    return client


@pytest.fixture
def staff_client(client, world):
    client.force_login(world["staff"])
    return client
