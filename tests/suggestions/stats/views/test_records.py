"""Staff pages of issue 15: attendance alerts on the dashboard and in the workbook, 两个联系,
station standards and star overrides, the duty ranking's export, and the contact card's public
duty summary."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from liaison.models import Role
from stations.models import EIGHT_HAVES
from suggestions.stats.workbook import build_workbook
from tests.factories import (
    ContactRecordFactory,
    DeputyFactory,
    DutyReportFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
    UserFactory,
)
from tests.suggestions.stats.views.pages import get


@pytest.fixture
def place(changzhi):
    station = StationFactory(region=changzhi["township"], name="太东街道代表联络站",
                             **{name: True for name, _label in EIGHT_HAVES})
    came = DeputyFactory(region=changzhi["township"], name="来过的代表")
    online = DeputyFactory(region=changzhi["township"], name="只在线上的代表")
    for deputy in (came, online):
        StationMembershipFactory(deputy=deputy, station=station)
    today = timezone.localdate()
    ReceptionFactory(station=station, date=today, status="recorded", mode="station", deputies=[came])
    ReceptionFactory(station=station, date=today, status="recorded", mode="online", deputies=[online])
    return {**changzhi, "station": station, "came": came, "online": online,
            "staff": UserFactory(role=Role.STAFF, region=changzhi["county"])}


def test_the_dashboard_lists_who_has_not_been_to_a_station_this_month(client, place):
    response = get(client, place["staff"], "stats:dashboard")
    names = [d.name for d in response.context["alerts"]["not_yet"]]
    assert names == ["只在线上的代表"]
    assert "只在线上的代表" in response.content.decode()


def test_the_nightly_workbook_has_the_attendance_alerts(place):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    sheet = load_workbook(io.BytesIO(build_workbook(region=place["county"].code, date=yesterday)))["进站入点提醒"]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert ("只在线上的代表" in [r[1] for r in rows]) and ("来过的代表" not in [r[1] for r in rows if "尚未" in r[0]])


def test_the_contacts_page_lists_who_was_not_contacted_this_quarter(client, place):
    ContactRecordFactory(kind="committee_deputy", member_name="李主任", deputy=place["came"],
                         date=timezone.localdate())
    response = get(client, place["staff"], "stats:contacts")
    assert [r.deputy.name for r in response.context["not_by_committee"]] == ["只在线上的代表"]
    assert response.context["not_with_voters"] == []  # both attended a reception
    leader = UserFactory(role=Role.UNIT_OFFICER)
    assert get(client, leader, "stats:contacts").status_code == 403


def test_staff_override_a_star_rating_with_a_reason_and_leaders_cannot(client, place):
    station = place["station"]
    page = get(client, place["staff"], "stats:standards")
    [standing] = page.context["page"].object_list
    assert (standing.ticked, standing.receptions, standing.derived) == (8, 2, 2)
    url = reverse("stats:standards")
    client.post(url, {"station": station.pk, "stars": "5", "reason": ""})
    station.refresh_from_db()
    assert station.star_rating == 0  # no reason: refused
    client.post(url, {"station": station.pk, "stars": "5", "reason": "省级示范点"})
    station.refresh_from_db()
    assert (station.star_rating, station.star_rating_reason) == (5, "省级示范点")
    client.force_login(UserFactory(role=Role.LEADER, region=place["county"]))
    client.post(url, {"station": station.pk, "stars": "", "reason": ""})
    station.refresh_from_db()
    assert station.star_rating_overridden


def test_the_contact_card_shows_the_public_duty_summary_without_private_text(client, place):
    deputy = place["came"]
    DutyReportFactory(deputy=deputy, station=place["station"], date=timezone.localdate(),
                      highlights="推动加装电梯 12 部", summary="述职报告全文（内部）")
    html = client.get(reverse("deputies:detail", args=[deputy.pk])).content.decode()
    assert "推动加装电梯 12 部" in html and "向选民述职" in html and "参加接待选民" in html
    assert "述职报告全文" not in html
