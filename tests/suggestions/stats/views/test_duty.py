"""The duty pages: scores and records for staff, weights, activities, and the deputy's own record."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from deputies.models import DutyActivity, DutyItem, DutyScoreWeight, ReceptionStatus
from liaison.models import Role
from tests.factories import (
    DeputyFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
    SuggestionDeputyFactory,
    SuggestionFactory,
    UserFactory,
)
from tests.suggestions.stats.book import D, at
from tests.suggestions.stats.views.pages import get


def test_duty_list_and_record(client, built, staff):
    ReceptionFactory(station=built.station, date=D(2025, 3, 1), status="recorded", deputies=[built.dep1])
    response = get(client, staff, "stats:duty_list", year=2025)
    assert response.status_code == 200
    top = response.context["page"].object_list[0]
    assert top.deputy == built.dep1
    # 1 reception × 2 + 3 voters' opinions received and answered (A G J: 联系选民, not 领衔) × 1
    # + 3 evaluations given (A, G twice) × 1 = 8
    assert top.total == 8

    record = get(client, staff, "stats:duty_detail", built.dep1.pk, year=2025)
    assert record.status_code == 200 and record.context["record"].score.total == 8


def test_a_deputy_reads_their_own_duty_record_only(client, built):
    own = UserFactory(role=Role.DEPUTY)
    built.dep1.user = own
    built.dep1.save(update_fields=["user"])
    assert get(client, own, "stats:duty_detail", built.dep1.pk).status_code == 200
    other = DeputyFactory(region=built.township)
    assert get(client, own, "stats:duty_detail", other.pk).status_code == 404


def test_staff_of_another_county_cannot_read_a_duty_record(client, built):
    stranger = UserFactory(role=Role.STAFF, region=built.other_county)
    assert get(client, stranger, "stats:duty_detail", built.dep1.pk).status_code == 404


def test_staff_set_their_regions_weights_and_leaders_only_read_them(client, built, staff):
    url = reverse("stats:duty_weights") + f"?region={built.county.code}"
    client.force_login(staff)
    form = client.get(url).context["form"]
    data = {name: field.initial if field.initial is not None else "" for name, field in form.fields.items()}
    data["reception_points"] = "5"
    data["reception_cap"] = "20"
    response = client.post(url, data)
    assert response.status_code == 302
    weight = DutyScoreWeight.objects.get(region=built.county, item="reception")
    assert (weight.points, weight.cap) == (5, 20)

    data["reception_points"] = "-1"
    assert client.post(url, data).status_code == 200  # the form shows the error
    assert DutyScoreWeight.objects.get(region=built.county, item="reception").points == 5

    leader = UserFactory(role=Role.LEADER, region=built.county)
    client.force_login(leader)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 403


def test_staff_record_an_activity_for_deputies_in_their_region(client, built, staff):
    client.force_login(staff)
    url = reverse("stats:duty_activities") + f"?region={built.county.code}"
    response = client.post(url, {"kind": "research", "title": "调研农村饮水", "date": "2025-04-02",
                                 "deputies": [built.dep1.pk], "note": "走访三个村"})
    assert response.status_code == 302
    activity = DutyActivity.objects.get()
    assert list(activity.deputies.all()) == [built.dep1] and activity.region == built.county

    outsider = DeputyFactory(region=built.other_county)
    response = client.post(url, {"kind": "research", "title": "越权", "date": "2025-04-02", "deputies": [outsider.pk]})
    assert response.status_code == 200 and DutyActivity.objects.count() == 1


# --- the deputy's own duty record (/deputies/me/record/) ------------------------------------------
SCORE_ROW = re.compile(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td><td>([\d.]+)</td></tr>')


def score_rows(response) -> dict[str, tuple[str, str]]:
    """The duty score table as the page shows it: item → (count, points)."""
    html = response.content.decode()
    start = html.index('class="data compact duty-score"')
    table = html[start:html.index("</table>", start)]
    return {label: (count, points) for label, count, points in SCORE_ROW.findall(table)}


@pytest.fixture
def own(built):
    """王代表 (dep1 of the book) signed up as a deputy account."""
    user = UserFactory(role=Role.DEPUTY, region=None)
    built.dep1.user = user
    built.dep1.save(update_fields=["user"])
    return user


def test_the_deputys_own_page_and_the_staffs_page_show_the_same_duty_figures(client, built, own, staff):
    dep1 = built.dep1
    # 领衔 counts only the deputy suggestions led; the opinions received (A G J in the book) are 联系选民.
    led = SuggestionFactory(region=built.township, kind="deputy_suggestion", created_at=at(2025, 3, 2))
    SuggestionDeputyFactory(suggestion=led, deputy=dep1, role="lead")
    cosigned = SuggestionFactory(region=built.township, kind="deputy_suggestion", created_at=at(2025, 3, 3))
    SuggestionDeputyFactory(suggestion=cosigned, deputy=dep1, role="co_signer")
    ReceptionFactory(station=built.station, date=D(2025, 3, 1), status="recorded", deputies=[dep1])

    mine = get(client, own, "deputies:duty_record", year=2025)
    theirs = get(client, staff, "stats:duty_detail", dep1.pk, year=2025)

    assert mine.status_code == theirs.status_code == 200
    assert score_rows(mine) == score_rows(theirs)
    assert score_rows(mine)["领衔提出意见建议"] == ("1", "3")
    assert score_rows(mine)["联系选民（接收并答复群众意见）"] == ("3", "3")
    assert score_rows(mine)["附议意见建议"] == ("1", "1")
    assert mine.context["score"].total == theirs.context["record"].score.total


@pytest.fixture
def deputy(changzhi):
    deputy = DeputyFactory(name="王秀英", user=UserFactory(username="wang", role=Role.DEPUTY, region=None),
                           region=changzhi["township"])
    station = StationFactory(name="太东街道代表联络站", region=changzhi["township"])
    StationMembershipFactory(deputy=deputy, station=station)
    deputy.station = station
    return deputy


@pytest.fixture
def deputy_client(client, deputy):
    client.force_login(deputy.user)
    return client


def test_the_own_duty_record_needs_a_login(client, db):
    response = client.get(reverse("deputies:duty_record"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.STAFF, Role.UNIT_OFFICER])
def test_the_own_duty_record_refuses_other_roles(client, changzhi, role):
    client.force_login(UserFactory(role=role, region=changzhi["city"]))
    assert client.get(reverse("deputies:duty_record")).status_code == 403


def test_the_own_duty_record_refuses_an_account_without_deputy_record(client, db):
    client.force_login(UserFactory(role=Role.DEPUTY))
    assert client.get(reverse("deputies:duty_record")).status_code == 403


def test_duty_record_counts_receptions_per_year(deputy_client, deputy):
    station = deputy.station
    ReceptionFactory(station=station, date=datetime.date(2025, 6, 1), status=ReceptionStatus.RECORDED, visitor_count=10, deputies=[deputy])
    ReceptionFactory(station=station, date=datetime.date(2025, 9, 1), status=ReceptionStatus.RECORDED, visitor_count=5, deputies=[deputy])
    ReceptionFactory(station=station, date=datetime.date(2026, 1, 9), status=ReceptionStatus.RECORDED, visitor_count=7, deputies=[deputy])
    ReceptionFactory(station=station, date=datetime.date(2026, 2, 9), status=ReceptionStatus.SCHEDULED, deputies=[deputy])
    ReceptionFactory(station=station, date=datetime.date(2026, 2, 9), status=ReceptionStatus.RECORDED, visitor_count=99)
    response = deputy_client.get(reverse("deputies:duty_record"))
    years = [(y["year"], y["receptions"], y["visitors"]) for y in response.context["years"]]
    assert years == [(2026, 1, 7), (2025, 2, 15)]
    assert response.context["page"].paginator.count == 3


def test_duty_record_query_count(deputy_client, deputy, django_assert_max_num_queries):
    for day in range(1, 26):
        ReceptionFactory(station=deputy.station, date=datetime.date(2025, 1, day), status=ReceptionStatus.RECORDED, deputies=[deputy])
    with django_assert_max_num_queries(15):  # the duty score: 7 grouped queries and the weights
        response = deputy_client.get(reverse("deputies:duty_record"), {"year": 2025})
    assert len(response.context["page"].object_list) == 20
    assert response.context["score"].counts[DutyItem.RECEPTION] == 25


def test_duty_record_counts_suggestions_as_the_staffs_duty_pages_do(deputy_client, deputy):
    SuggestionDeputyFactory(deputy=deputy, suggestion=SuggestionFactory(kind="deputy_suggestion"))
    SuggestionDeputyFactory(deputy=deputy, role="co_signer", suggestion=SuggestionFactory(kind="deputy_suggestion"))
    SuggestionDeputyFactory(deputy=deputy, suggestion=SuggestionFactory())  # an opinion received: never 领衔
    counts = deputy_client.get(reverse("deputies:duty_record")).context["score"].counts
    assert counts == {DutyItem.SUGGESTION_LEAD: 1, DutyItem.SUGGESTION_COSIGN: 1}  # and not answered yet


def test_the_activity_forms_default_date_is_one_a_date_input_shows(client, built, staff):
    """<input type="date"> takes YYYY-MM-DD only: a localised default (2025年4月2日) showed empty."""
    client.force_login(staff)
    page = client.get(reverse("stats:duty_activities") + f"?region={built.county.code}").content.decode()
    field = re.search(r'<input[^>]*name="date"[^>]*>', page).group(0)
    assert 'type="date"' in field
    assert re.search(r'value="\d{4}-\d{2}-\d{2}"', field), field
