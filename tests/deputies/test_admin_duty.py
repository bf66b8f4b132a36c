"""The admin of issue 15: duty activities (with their files and the confirm action), 述职, 两个
联系 and the regions' station standards open for staff in scope, and the confirm action goes
through the service (staff of another county confirm nothing)."""

import datetime

import pytest
from django.urls import reverse

from deputies.activities import activity_register
from deputies.models import ActivityStatus, DutyReport
from tests.factories import ContactRecordFactory, DutyReportFactory


@pytest.mark.parametrize("name", [
    "admin:deputies_dutyactivity_changelist", "admin:deputies_dutyreport_changelist",
    "admin:deputies_contactrecord_changelist", "admin:stations_regionstandard_changelist",
    "admin:deputies_dutyreport_add", "admin:deputies_contactrecord_add", "admin:stations_regionstandard_add",
])
def test_the_pages_open_for_staff(client, people, name):
    DutyReportFactory(deputy=people["deputy"], station=people["station"])
    ContactRecordFactory(deputy=people["deputy"])
    client.force_login(people["staff"])
    assert client.get(reverse(name)).status_code == 200


def test_the_change_pages_show_an_activity_and_a_station_with_ten_haves(client, people):
    activity = activity_register(by=people["deputy"].user, kind="research", date=datetime.date(2026, 1, 5),
                                 place="太东", note="调研")
    client.force_login(people["staff"])
    assert client.get(reverse("admin:deputies_dutyactivity_change", args=[activity.pk])).status_code == 200
    html = client.get(reverse("admin:stations_station_change", args=[people["station"].pk])).content.decode()
    assert "有经费" in html and "人工评定理由" in html


def test_the_confirm_action_confirms_only_in_scope(client, people):
    activity = activity_register(by=people["deputy"].user, kind="research", date=datetime.date(2026, 1, 5),
                                 place="太东", note="调研")
    url = reverse("admin:deputies_dutyactivity_changelist")
    data = {"action": "confirm_selected", "_selected_action": [activity.pk]}
    client.force_login(people["stranger"])
    client.post(url, data)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PENDING
    client.force_login(people["staff"])
    client.post(url, data)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CONFIRMED


def test_a_report_with_more_votes_than_voters_present_is_refused(client, people):
    client.force_login(people["staff"])
    data = {"deputy": people["deputy"].pk, "station": people["station"].pk, "date": "2026-04-20",
            "attendance": "10", "satisfied": "8", "basically_satisfied": "2", "unsatisfied": "1",
            "summary": "", "highlights": "推动加装电梯"}
    response = client.post(reverse("admin:deputies_dutyreport_add"), data)
    assert response.status_code == 200 and not DutyReport.objects.exists()
    response = client.post(reverse("admin:deputies_dutyreport_add"), {**data, "unsatisfied": "0"})
    assert response.status_code == 302
    assert DutyReport.objects.get().recorded_by == people["staff"]
