import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies.models import Level, MembershipRole, ReceptionStatus
from tests.factories import (
    DeputyFactory,
    MandateFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
)


def _text(response) -> str:
    return response.content.decode()


# --- find -----------------------------------------------------------------------------------


def test_find_lists_active_stations_and_hides_inactive_ones(client, changzhi):
    StationFactory(name="太东街道代表联络站", region=changzhi["township"])
    StationFactory(name="已撤销联络站", region=changzhi["township"], is_active=False)
    response = client.get(reverse("stations:find"))
    assert response.status_code == 200
    assert "太东街道代表联络站" in _text(response)
    assert "已撤销联络站" not in _text(response)


def test_find_drills_down_from_city_to_county_with_counts(client, changzhi):
    StationFactory.create_batch(2, region=changzhi["township"])
    StationFactory(region=changzhi["other_township"])
    response = client.get(reverse("stations:find"), {"region": changzhi["city"].code})
    children = response.context["children"]
    assert [(r.name, n) for r, n in children] == [("潞州区", 2), ("上党区", 1)]
    assert f'?region={changzhi["county"].code}' in _text(response)
    # the breadcrumb names every level above
    assert [r.code for r in response.context["breadcrumb"]] == ["14", "1404"]


def test_find_in_a_region_lists_only_its_subtree(client, changzhi):
    StationFactory(name="潞州站", region=changzhi["township"])
    StationFactory(name="上党站", region=changzhi["other_township"])
    response = client.get(reverse("stations:find"), {"region": changzhi["county"].code})
    names = [s.name for s in response.context["page"].object_list]
    assert names == ["潞州站"]


def test_find_by_name(client, changzhi):
    StationFactory(name="太东街道代表联络站", region=changzhi["township"])
    StationFactory(name="韩店镇代表联络站", region=changzhi["other_township"])
    response = client.get(reverse("stations:find"), {"q": "  韩店  "})
    assert [s.name for s in response.context["page"].object_list] == ["韩店镇代表联络站"]


def test_find_paginates(client, changzhi):
    StationFactory.create_batch(25, region=changzhi["township"])
    first = client.get(reverse("stations:find"))
    second = client.get(reverse("stations:find"), {"page": 2})
    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 5
    assert 'rel="next"' in _text(first)
    assert client.get(reverse("stations:find"), {"page": "zzz"}).status_code == 200


def test_find_unknown_region_is_404(client, changzhi):
    assert client.get(reverse("stations:find"), {"region": "999999"}).status_code == 404


def test_find_bad_input_is_shown_not_crashing(client, changzhi):
    response = client.get(reverse("stations:find"), {"region": "abc", "q": "x" * 51})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"region", "q"}
    assert "error-summary" in _text(response)


def test_find_shows_a_script_query_as_text(client, changzhi):
    response = client.get(reverse("stations:find"), {"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in _text(response)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in _text(response)


def test_find_runs_a_constant_number_of_queries(client, changzhi, django_assert_max_num_queries):
    for i in range(30):
        region = changzhi["township"] if i % 2 else changzhi["other_township"]
        StationFactory(region=region)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("stations:find"), {"region": changzhi["city"].code})
    assert len(response.context["page"].object_list) == 20


# --- station page ----------------------------------------------------------------------------


@pytest.fixture
def station(changzhi):
    return StationFactory(
        name="太东街道代表联络站",
        region=changzhi["township"],
        address="太东大街1号",
        phone="0355-2021234",
        opening_hours="周一至周五 9:00-17:00",
        reception_day=15,
    )


def test_station_page_shows_what_the_station_publishes(client, station):
    head = DeputyFactory(name="王站长", phone="13900001111")
    MandateFactory(deputy=head, level=Level.CITY)
    MandateFactory(deputy=head, level=Level.TOWNSHIP)
    StationMembershipFactory(deputy=head, station=station, role=MembershipRole.HEAD)
    member = DeputyFactory(name="李代表")
    StationMembershipFactory(deputy=member, station=station)
    response = client.get(reverse("stations:detail", args=[station.pk]))
    text = _text(response)
    assert response.status_code == 200
    for fact in ("太东街道代表联络站", "太东大街1号", "0355-2021234", "周一至周五 9:00-17:00", "每月 15 日"):
        assert fact in text
    assert "王站长" in text and "李代表" in text and "站长" in text
    assert "市人大代表" in text and "乡人大代表" in text
    assert "13900001111" not in text  # a deputy's phone is never public
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="qr"' in text


def test_station_page_lists_upcoming_scheduled_receptions_only(client, station):
    today = timezone.localdate()
    deputy = DeputyFactory(name="赵代表")
    ReceptionFactory(station=station, date=today + datetime.timedelta(days=3), status=ReceptionStatus.SCHEDULED, deputies=[deputy])
    ReceptionFactory(station=station, date=today - datetime.timedelta(days=3), status=ReceptionStatus.RECORDED)
    ReceptionFactory(station=station, date=today + datetime.timedelta(days=5), status=ReceptionStatus.CANCELLED)
    response = client.get(reverse("stations:detail", args=[station.pk]))
    upcoming = response.context["upcoming"]
    assert [r.date for r in upcoming] == [today + datetime.timedelta(days=3)]
    assert "赵代表" in _text(response)


def test_station_page_qr_leads_to_the_station(client, station):
    response = client.get(reverse("stations:detail", args=[station.pk]))
    assert response.context["opinion_url"].startswith("http://testserver/")


def test_station_page_of_unknown_or_inactive_station_is_404(client, station):
    assert client.get(reverse("stations:detail", args=[station.pk + 999])).status_code == 404
    station.is_active = False
    station.save(update_fields=["is_active"])
    assert client.get(reverse("stations:detail", args=[station.pk])).status_code == 404


def test_station_page_shows_a_script_name_as_text(client, changzhi):
    station = StationFactory(name="<script>x()</script>站", region=changzhi["township"])
    text = _text(client.get(reverse("stations:detail", args=[station.pk])))
    assert "<script>x()</script>" not in text
    assert "&lt;script&gt;x()&lt;/script&gt;站" in text


def test_station_page_query_count_does_not_grow_with_deputies(client, station, django_assert_max_num_queries):
    for _i in range(15):
        deputy = DeputyFactory()
        MandateFactory(deputy=deputy)
        StationMembershipFactory(deputy=deputy, station=station)
    with django_assert_max_num_queries(7):
        client.get(reverse("stations:detail", args=[station.pk]))


def test_station_qr_downloads(client, station):
    png = client.get(reverse("stations:qr", args=[station.pk, "png"]))
    svg = client.get(reverse("stations:qr", args=[station.pk, "svg"]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert client.get(f"/stations/{station.pk}/qr.gif").status_code == 404
    assert client.get(f"/stations/{station.pk + 999}/qr.png").status_code == 404


# --- printables ------------------------------------------------------------------------------


def test_service_card_is_print_ready(client, station):
    StationMembershipFactory(deputy=DeputyFactory(name="王站长"), station=station, role=MembershipRole.HEAD)
    response = client.get(reverse("stations:card", args=[station.pk]))
    text = _text(response)
    assert "联络站服务卡" in text and "print-sheet a6" in text and "王站长" in text
    assert 'class="qr"' in text


def test_service_card_pdf(client, station):
    response = client.get(reverse("stations:card_pdf", args=[station.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'filename="station-{station.pk}-card.pdf"' in response["Content-Disposition"]


def test_schedule_shows_the_months_asked_for(client, station):
    deputy = DeputyFactory(name="钱代表")
    ReceptionFactory(station=station, date=datetime.date(2026, 3, 15), topic="春耕", deputies=[deputy])
    ReceptionFactory(station=station, date=datetime.date(2026, 5, 15), topic="夏收")
    ReceptionFactory(station=station, date=datetime.date(2026, 3, 20), status=ReceptionStatus.CANCELLED, topic="取消了")
    response = client.get(reverse("stations:schedule", args=[station.pk]), {"month": "2026-03", "months": "1"})
    text = _text(response)
    assert "代表接待日公示表" in text and "春耕" in text and "钱代表" in text
    assert "夏收" not in text and "取消了" not in text
    assert response.context["last_day"] == datetime.date(2026, 3, 31)
    wide = client.get(reverse("stations:schedule", args=[station.pk]), {"month": "2026-03", "months": "3"})
    assert "夏收" in _text(wide)


def test_schedule_crossing_the_year(client, station):
    response = client.get(reverse("stations:schedule", args=[station.pk]), {"month": "2026-11", "months": "3"})
    assert response.context["last_day"] == datetime.date(2027, 1, 31)


@pytest.mark.parametrize("query", [{"month": "2026-13"}, {"month": "soon"}, {"months": "0"}, {"months": "13"}])
def test_schedule_bad_window_is_404(client, station, query):
    assert client.get(reverse("stations:schedule", args=[station.pk]), query).status_code == 404


def test_schedule_pdf(client, station):
    ReceptionFactory(station=station, date=datetime.date(2026, 3, 15), topic="<b>春耕</b>")
    response = client.get(reverse("stations:schedule_pdf", args=[station.pk]), {"month": "2026-03"})
    assert response.content.startswith(b"%PDF")
    assert f"station-{station.pk}-schedule-2026-03.pdf" in response["Content-Disposition"]


def test_printables_of_a_foreign_station_are_404(client, station):
    for name in ("stations:card", "stations:card_pdf", "stations:schedule", "stations:schedule_pdf"):
        assert client.get(reverse(name, args=[station.pk + 999])).status_code == 404

