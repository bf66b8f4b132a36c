"""两个联系 (deputies/contacts.py): contacts per deputy in a quarter, and who had none."""

import datetime

import pytest
from django.db import IntegrityError

from deputies.contacts import contact_frequency, quarter_bounds
from tests.factories import (
    ContactRecordFactory,
    DeputyFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
)

D = datetime.date


def test_quarter_bounds():
    assert quarter_bounds(D(2026, 5, 9)) == (D(2026, 4, 1), D(2026, 6, 30))
    assert quarter_bounds(D(2026, 12, 31)) == (D(2026, 10, 1), D(2026, 12, 31))


def test_contacts_per_deputy_in_the_quarter(changzhi):
    station = StationFactory(region=changzhi["township"])
    a, b, c = (DeputyFactory(region=changzhi["township"], name=n) for n in ("甲", "乙", "丙"))
    for deputy in (a, b, c):
        StationMembershipFactory(deputy=deputy, station=station)
    ContactRecordFactory(kind="committee_deputy", member_name="李主任", deputy=a, date=D(2026, 4, 3))
    ContactRecordFactory(kind="deputy_voters", deputy=a, date=D(2026, 5, 3))
    ContactRecordFactory(kind="committee_deputy", member_name="李主任", deputy=b, date=D(2026, 3, 31))  # last quarter
    ReceptionFactory(station=station, date=D(2026, 6, 1), status="recorded", deputies=[b])
    rows = {r.deputy.name: (r.by_committee, r.with_voters, r.receptions)
            for r in contact_frequency(region=changzhi["county"].code, start=D(2026, 4, 1), end=D(2026, 6, 30))}
    assert rows == {"甲": (1, 1, 0), "乙": (0, 0, 1), "丙": (0, 0, 0)}


def test_a_committee_contact_names_the_member(changzhi):
    with pytest.raises(IntegrityError):
        ContactRecordFactory(kind="committee_deputy", member_name="", deputy=DeputyFactory(region=changzhi["township"]))
