import datetime

import pytest
from django.db import IntegrityError

from tests.factories import (
    DeputyFactory,
    MandateFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
)


def test_one_person_may_hold_mandates_at_several_levels(changzhi):
    deputy = DeputyFactory(region=changzhi["township"])
    MandateFactory(deputy=deputy, level="county", congress="潞州区第二届人民代表大会")
    MandateFactory(deputy=deputy, level="city", congress="长治市第十五届人民代表大会")
    assert sorted(deputy.mandates.values_list("level", flat=True)) == ["city", "county"]


def test_the_same_mandate_twice_is_refused(changzhi):
    deputy = DeputyFactory(region=changzhi["township"])
    MandateFactory(deputy=deputy, level="city", congress="长治市第十五届人民代表大会")
    with pytest.raises(IntegrityError):
        MandateFactory(deputy=deputy, level="city", congress="长治市第十五届人民代表大会")


def test_mandate_ending_before_it_starts_is_refused(changzhi):
    with pytest.raises(IntegrityError):
        MandateFactory(
            deputy=DeputyFactory(region=changzhi["township"]),
            started_on=datetime.date(2022, 1, 1),
            ended_on=datetime.date(2021, 1, 1),
        )


def test_a_deputy_is_grouped_into_a_station_only_once(changzhi):
    deputy = DeputyFactory(region=changzhi["township"])
    station = StationFactory(region=changzhi["township"])
    StationMembershipFactory(deputy=deputy, station=station)
    with pytest.raises(IntegrityError):
        StationMembershipFactory(deputy=deputy, station=station)


def test_reception_ending_before_it_starts_is_refused(changzhi):
    with pytest.raises(IntegrityError):
        ReceptionFactory(
            station=StationFactory(region=changzhi["township"]),
            starts_at=datetime.time(10, 0),
            ends_at=datetime.time(9, 0),
        )
