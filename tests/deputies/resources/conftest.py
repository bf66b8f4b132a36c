"""The stations a roster or a reception file refers to, and a county's staff."""

import pytest

from liaison.models import Role
from tests.factories import StationFactory, UserFactory


@pytest.fixture
def stations(changzhi):
    return {
        "taidong": StationFactory(name="太东街道人大代表联络站", region=changzhi["township"]),
        "point": StationFactory(name="英雄南路社区代表联络点", region=changzhi["township"]),
        "foreign": StationFactory(name="韩店镇人大代表联络站", region=changzhi["other_township"]),
    }


@pytest.fixture
def staff(changzhi):
    return UserFactory(role=Role.STAFF, region=changzhi["county"])

