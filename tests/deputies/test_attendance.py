"""进站入点 (deputies/attendance.py): only receptions held at a station count — a deputy missing
a month, a leading official missing a quarter."""

import datetime

from deputies.attendance import leader_visits, missed_month
from tests.factories import (
    DeputyFactory,
    MandateFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
)

D = datetime.date


def grouped(region, station, **kwargs):
    deputy = DeputyFactory(region=region, **kwargs)
    StationMembershipFactory(deputy=deputy, station=station)
    return deputy


def test_a_month_without_a_reception_at_the_station_is_missed(changzhi):
    station = StationFactory(region=changzhi["township"])
    came, online, visited, absent = (grouped(changzhi["township"], station, name=n) for n in ("甲", "乙", "丙", "丁"))
    ReceptionFactory(station=station, date=D(2026, 5, 15), status="recorded", mode="station", deputies=[came])
    ReceptionFactory(station=station, date=D(2026, 5, 15), status="recorded", mode="online", deputies=[online])
    ReceptionFactory(station=station, date=D(2026, 5, 16), status="recorded", mode="visit", deputies=[visited])
    ReceptionFactory(station=station, date=D(2026, 5, 20), status="scheduled", mode="station", deputies=[absent])
    ReceptionFactory(station=station, date=D(2026, 4, 20), status="recorded", mode="station", deputies=[absent])
    assert {d.name for d in missed_month(region=changzhi["county"].code, month=D(2026, 5, 3))} == {"乙", "丙", "丁"}


def test_deputies_in_no_station_or_out_of_office_are_not_listed(changzhi):
    station = StationFactory(region=changzhi["township"])
    DeputyFactory(region=changzhi["township"], name="未编组")
    retired = grouped(changzhi["township"], station, name="已卸任")
    MandateFactory(deputy=retired, started_on=D(2016, 1, 1), ended_on=D(2021, 1, 1))
    serving = grouped(changzhi["township"], station, name="在任")
    MandateFactory(deputy=serving, started_on=D(2021, 1, 1), ended_on=None)
    assert [d.name for d in missed_month(region="", month=D(2026, 5, 1))] == ["在任"]


def test_a_leader_whose_only_reception_was_online_missed_the_quarter(changzhi):
    station = StationFactory(region=changzhi["township"])
    leader = grouped(changzhi["township"], station, name="领导", is_leading_official=True)
    ReceptionFactory(station=station, date=D(2026, 2, 1), status="recorded", mode="online", deputies=[leader])
    ReceptionFactory(station=station, date=D(2026, 5, 1), status="recorded", mode="station", deputies=[leader])
    [visits] = leader_visits(region=changzhi["county"].code, year=2026, today=D(2026, 7, 2), required=1)
    assert visits.per_quarter == [0, 1, 0, 0]
    assert visits.missed == [1]  # the second quarter was met, the third has not ended
