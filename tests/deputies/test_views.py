import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies.models import Level, Reception, ReceptionMode, ReceptionStatus
from liaison.models import Role
from tests.factories import (
    DeputyFactory,
    MandateFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
    UserFactory,
)


def _text(response) -> str:
    return response.content.decode()


@pytest.fixture
def station(changzhi):
    return StationFactory(name="太东街道代表联络站", region=changzhi["township"])


@pytest.fixture
def other_station(changzhi):
    return StationFactory(name="韩店镇代表联络站", region=changzhi["other_township"])


@pytest.fixture
def deputy(changzhi, station):
    user = UserFactory(username="wang", role=Role.DEPUTY, region=None)
    deputy = DeputyFactory(
        name="王秀英",
        user=user,
        region=changzhi["township"],
        phone="13912345678",
        birth_date=datetime.date(1970, 5, 6),
        employer="某某公司总经理",
        occupation="农民",
        expertise="农业技术",
    )
    MandateFactory(deputy=deputy, level=Level.COUNTY)
    MandateFactory(deputy=deputy, level=Level.CITY)
    MandateFactory(
        deputy=deputy, level=Level.TOWNSHIP, started_on=datetime.date(2016, 1, 1), ended_on=datetime.date(2021, 1, 1)
    )
    StationMembershipFactory(deputy=deputy, station=station)
    return deputy


@pytest.fixture
def deputy_client(client, deputy):
    client.force_login(deputy.user)
    return client


# --- the public contact card ------------------------------------------------------------------


def test_contact_card_shows_public_facts_only(client, deputy):
    response = client.get(reverse("deputies:detail", args=[deputy.pk]))
    text = _text(response)
    assert response.status_code == 200
    for fact in ("王秀英", "市人大代表", "县人大代表", "太东街道代表联络站", "农民", "农业技术"):
        assert fact in text
    assert "乡人大代表" not in text  # the mandate has ended
    for secret in ("13912345678", "1970", "某某公司"):
        assert secret not in text
    assert 'class="qr"' in text


def test_contact_card_of_unknown_deputy_is_404(client, deputy):
    assert client.get(reverse("deputies:detail", args=[deputy.pk + 999])).status_code == 404
    assert client.get(reverse("deputies:card", args=[deputy.pk + 999])).status_code == 404
    assert client.get(reverse("deputies:card_pdf", args=[deputy.pk + 999])).status_code == 404


def test_contact_card_printable_and_pdf(client, deputy):
    page = client.get(reverse("deputies:card", args=[deputy.pk]))
    assert "代表连心卡" in _text(page) and "print-sheet a6" in _text(page)
    assert "13912345678" not in _text(page)
    pdf = client.get(reverse("deputies:card_pdf", args=[deputy.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"13912345678" not in pdf.content


def test_contact_card_qr_downloads(client, deputy):
    assert client.get(reverse("deputies:qr", args=[deputy.pk, "png"]))["Content-Type"] == "image/png"
    assert client.get(f"/deputies/{deputy.pk}/qr.jpeg").status_code == 404


# --- the signed-in deputy: permissions -----------------------------------------------------------

DEPUTY_PAGES = ["deputies:dashboard", "deputies:reception_new", "deputies:duty_record"]


@pytest.mark.parametrize("name", DEPUTY_PAGES)
def test_deputy_pages_need_a_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", DEPUTY_PAGES)
@pytest.mark.parametrize("role", [Role.STAFF, Role.UNIT_OFFICER])
def test_deputy_pages_refuse_other_roles(client, changzhi, name, role):
    client.force_login(UserFactory(role=role, region=changzhi["city"]))
    assert client.get(reverse(name)).status_code == 403


def test_deputy_pages_refuse_an_account_without_deputy_record(client, db):
    client.force_login(UserFactory(role=Role.DEPUTY))
    assert client.get(reverse("deputies:dashboard")).status_code == 403


# --- dashboard ---------------------------------------------------------------------------------


def test_dashboard_shows_my_stations_and_upcoming_receptions(deputy_client, deputy, station, other_station):
    today = timezone.localdate()
    ReceptionFactory(station=station, date=today + datetime.timedelta(days=2), status=ReceptionStatus.SCHEDULED, topic="我站接待")
    ReceptionFactory(station=other_station, date=today + datetime.timedelta(days=2), status=ReceptionStatus.SCHEDULED, topic="他站接待")
    ReceptionFactory(station=other_station, date=today + datetime.timedelta(days=4), status=ReceptionStatus.SCHEDULED, deputies=[deputy])
    response = deputy_client.get(reverse("deputies:dashboard"))
    upcoming = response.context["upcoming"]
    assert [r.station for r in upcoming] == [station, other_station]  # mine, and the one I'm listed for
    assert "太东街道代表联络站" in _text(response)


def test_dashboard_query_count(deputy_client, deputy, station, django_assert_max_num_queries):
    today = timezone.localdate()
    for i in range(12):
        ReceptionFactory(station=station, date=today + datetime.timedelta(days=i + 1), status=ReceptionStatus.SCHEDULED, deputies=[deputy, DeputyFactory()])
    with django_assert_max_num_queries(8):
        deputy_client.get(reverse("deputies:dashboard"))


# --- recording a reception ---------------------------------------------------------------------


def _reception_post(station, **overrides):
    data = {
        "station": station.pk,
        "date": timezone.localdate().isoformat(),
        "starts_at": "09:00",
        "ends_at": "11:30",
        "mode": ReceptionMode.STATION,
        "topic": "春季接待日",
        "visitor_count": "8",
        "summary": "接待群众 8 人，收集意见 3 条。",
    }
    data.update(overrides)
    return data


def test_record_a_reception(deputy_client, deputy, station):
    colleague = DeputyFactory(name="李同事")
    StationMembershipFactory(deputy=colleague, station=station)
    response = deputy_client.post(reverse("deputies:reception_new"), _reception_post(station, co_deputies=[colleague.pk]))
    reception = Reception.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("deputies:reception_detail", args=[reception.pk])
    assert reception.status == ReceptionStatus.RECORDED
    assert reception.recorded_by == deputy.user
    assert set(reception.deputies.all()) == {deputy, colleague}
    assert reception.visitor_count == 8


def test_record_a_reception_empty_form_shows_errors(deputy_client, deputy, station):
    response = deputy_client.post(reverse("deputies:reception_new"), {})
    assert response.status_code == 200
    assert {"station", "date", "mode"} <= set(response.context["form"].errors)
    assert "error-summary" in _text(response)
    assert not Reception.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": "2999-01-01"}, "date"),
        ({"starts_at": "11:00", "ends_at": "09:00"}, "ends_at"),
        ({"visitor_count": "-1"}, "visitor_count"),
        ({"visitor_count": "100001"}, "visitor_count"),
        ({"summary": "长" * 5001}, "summary"),
        ({"topic": "题" * 201}, "topic"),
        ({"mode": "teleport"}, "mode"),
    ],
)
def test_record_a_reception_bad_input(deputy_client, deputy, station, overrides, field):
    response = deputy_client.post(reverse("deputies:reception_new"), _reception_post(station, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Reception.objects.exists()


def test_record_a_reception_at_a_foreign_station_is_refused(deputy_client, deputy, other_station):
    response = deputy_client.post(reverse("deputies:reception_new"), _reception_post(other_station))
    assert "station" in response.context["form"].errors
    assert not Reception.objects.exists()


def test_record_a_reception_with_a_foreign_codeputy_is_refused(deputy_client, deputy, station, other_station):
    stranger = DeputyFactory()
    StationMembershipFactory(deputy=stranger, station=other_station)
    response = deputy_client.post(reverse("deputies:reception_new"), _reception_post(station, co_deputies=[stranger.pk]))
    assert "co_deputies" in response.context["form"].errors


def test_record_a_reception_without_a_station_sends_back(client, changzhi):
    user = UserFactory(role=Role.DEPUTY)
    DeputyFactory(user=user, region=changzhi["township"])
    client.force_login(user)
    response = client.get(reverse("deputies:reception_new"))
    assert response["Location"] == reverse("deputies:dashboard")


def test_reception_summary_with_script_is_shown_as_text(deputy_client, deputy, station):
    deputy_client.post(reverse("deputies:reception_new"), _reception_post(station, summary="<script>alert(1)</script>"))
    reception = Reception.objects.get()
    text = _text(deputy_client.get(reverse("deputies:reception_detail", args=[reception.pk])))
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_fill_in_a_scheduled_reception(deputy_client, deputy, station):
    scheduled = ReceptionFactory(station=station, date=timezone.localdate(), status=ReceptionStatus.SCHEDULED, visitor_count=0, summary="")
    url = reverse("deputies:reception_record", args=[scheduled.pk])
    assert deputy_client.get(url).status_code == 200
    response = deputy_client.post(url, _reception_post(station, visitor_count="15"))
    scheduled.refresh_from_db()
    assert response.status_code == 302
    assert scheduled.status == ReceptionStatus.RECORDED and scheduled.visitor_count == 15
    assert deputy in scheduled.deputies.all()
    # a second time it is already recorded
    again = deputy_client.get(url)
    assert again["Location"] == reverse("deputies:reception_detail", args=[scheduled.pk])


def test_foreign_receptions_are_404(deputy_client, deputy, other_station):
    foreign = ReceptionFactory(station=other_station, status=ReceptionStatus.SCHEDULED)
    assert deputy_client.get(reverse("deputies:reception_record", args=[foreign.pk])).status_code == 404
    assert deputy_client.get(reverse("deputies:reception_detail", args=[foreign.pk])).status_code == 404


# --- duty record ---------------------------------------------------------------------------------


def test_duty_record_counts_receptions_per_year(deputy_client, deputy, station):
    ReceptionFactory(station=station, date=datetime.date(2025, 6, 1), status=ReceptionStatus.RECORDED, visitor_count=10, deputies=[deputy])
    ReceptionFactory(station=station, date=datetime.date(2025, 9, 1), status=ReceptionStatus.RECORDED, visitor_count=5, deputies=[deputy])
    ReceptionFactory(station=station, date=datetime.date(2026, 1, 9), status=ReceptionStatus.RECORDED, visitor_count=7, deputies=[deputy])
    ReceptionFactory(station=station, date=datetime.date(2026, 2, 9), status=ReceptionStatus.SCHEDULED, deputies=[deputy])
    ReceptionFactory(station=station, date=datetime.date(2026, 2, 9), status=ReceptionStatus.RECORDED, visitor_count=99)
    response = deputy_client.get(reverse("deputies:duty_record"))
    years = [(y["year"], y["receptions"], y["visitors"]) for y in response.context["years"]]
    assert years == [(2026, 1, 7), (2025, 2, 15)]
    assert response.context["page"].paginator.count == 3


def test_duty_record_query_count(deputy_client, deputy, station, django_assert_max_num_queries):
    for day in range(1, 26):
        ReceptionFactory(station=station, date=datetime.date(2025, 1, day), status=ReceptionStatus.RECORDED, deputies=[deputy])
    with django_assert_max_num_queries(7):
        response = deputy_client.get(reverse("deputies:duty_record"))
    assert len(response.context["page"].object_list) == 20
