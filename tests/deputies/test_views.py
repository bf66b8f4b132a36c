import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies.models import Level, ReceptionStatus
from liaison.models import Role
from tests.factories import (
    DeputyFactory,
    MandateFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
    SuggestionFactory,
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

DEPUTY_PAGES = ["deputies:dashboard"]  # the own duty record: tests/suggestions/stats/views/test_duty.py


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


# --- a reception's page -------------------------------------------------------------------------


def test_reception_page_shows_the_record_and_its_issues(deputy_client, deputy, station):
    reception = ReceptionFactory(station=station, status=ReceptionStatus.RECORDED, summary="<script>alert(1)</script>", deputies=[deputy])
    SuggestionFactory(reception=reception, region=station.region, title="路灯不亮")
    text = _text(deputy_client.get(reverse("deputies:reception_detail", args=[reception.pk])))
    assert "路灯不亮" in text
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_foreign_reception_page_is_404(deputy_client, deputy, other_station):
    foreign = ReceptionFactory(station=other_station, status=ReceptionStatus.RECORDED)
    assert deputy_client.get(reverse("deputies:reception_detail", args=[foreign.pk])).status_code == 404
