"""两个联系 (deputies/contacts.py): contacts per deputy in a quarter, and who had none."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from deputies.activities import NotPermitted
from deputies.contacts import contact_frequency, contact_record, quarter_bounds
from deputies.models import ContactRecord
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


def test_a_deputy_records_their_own_contact_with_voters(client, people):
    client.force_login(people["deputy"].user)
    response = client.post(reverse("deputies:my_contacts"), {
        "date": "2026-03-02", "mode": "meeting", "people": "12", "note": "在社区座谈，听取加装电梯意见"})
    assert response.status_code == 302
    [record] = ContactRecord.objects.all()
    assert (record.kind, record.deputy, record.people, record.region_id) == (
        "deputy_voters", people["deputy"], 12, people["deputy"].region_id)


def test_a_deputy_may_not_record_a_committee_contact_or_for_another(people):
    other = DeputyFactory(region=people["township"])
    with pytest.raises(NotPermitted):
        contact_record(by=people["deputy"].user, date=D(2026, 3, 2), note="x", kind="committee_deputy",
                       member_name="李主任")
    with pytest.raises(NotPermitted):
        contact_record(by=people["deputy"].user, date=D(2026, 3, 2), note="x", deputy=other)
    assert not ContactRecord.objects.exists()


def test_staff_record_a_committee_contact_naming_the_member_in_scope_only(people):
    deputy = people["deputy"]
    with pytest.raises(ValidationError) as error:
        contact_record(by=people["staff"], deputy=deputy, date=D(2026, 3, 2), note="走访", kind="committee_deputy")
    assert "member_name" in error.value.message_dict
    with pytest.raises(NotPermitted):
        contact_record(by=people["stranger"], deputy=deputy, date=D(2026, 3, 2), note="走访",
                       kind="committee_deputy", member_name="李主任")
    record = contact_record(by=people["staff"], deputy=deputy, date=D(2026, 3, 2), note="走访",
                            kind="committee_deputy", member_name="李主任")
    assert record.member_name == "李主任" and record.recorded_by == people["staff"]
