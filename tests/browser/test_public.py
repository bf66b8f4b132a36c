"""A voter on a phone: finds a station by region, reads its page and a deputy's card, switches
to large text and to English; the printables hide the site chrome when printed."""

import re

import pytest
from playwright.sync_api import expect

from deputies.models import Level, MembershipRole
from tests.factories import DeputyFactory, MandateFactory, StationFactory, StationMembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def station(changzhi):
    station = StationFactory(
        name="太东街道代表联络站",
        region=changzhi["township"],
        address="太东大街1号",
        phone="0355-2021234",
        reception_day=15,
    )
    deputy = DeputyFactory(name="王秀英", occupation="农民", expertise="农业技术", phone="13912345678")
    MandateFactory(deputy=deputy, level=Level.CITY)
    StationMembershipFactory(deputy=deputy, station=station, role=MembershipRole.HEAD)
    StationFactory(name="韩店镇代表联络站", region=changzhi["other_township"])
    return station


def test_voter_finds_a_station_by_region_and_reads_it(live_server, phone, shoot, assert_accessible, station):
    page = phone
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_text("人大代表联络站")
    assert_accessible(page)
    shoot(page, "home")

    page.get_by_role("link", name="找联络站", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("找联络站")
    assert_accessible(page)
    shoot(page, "find-top")
    for level in ("区划14", "长治市", "潞州区", "太东街道"):
        page.locator(".chips a", has_text=level).click()
    expect(page.locator(".breadcrumb [aria-current=page]")).to_have_text("太东街道")
    shoot(page, "find-township")

    page.get_by_role("link", name="太东街道代表联络站").click()
    expect(page.locator("h1")).to_have_text("太东街道代表联络站")
    expect(page.locator("svg.qr")).to_be_visible()
    expect(page.get_by_text("太东大街1号")).to_be_visible()
    assert_accessible(page)
    shoot(page, "station")

    page.get_by_role("link", name="王秀英").click()
    expect(page.locator("h1")).to_have_text("王秀英代表")
    expect(page.get_by_text("市人大代表")).to_be_visible()
    assert "13912345678" not in page.content()
    assert_accessible(page)
    shoot(page, "deputy-card")


def test_voter_searches_by_name(live_server, phone, station):
    page = phone
    page.goto(live_server.url + "/")
    page.get_by_label("联络站名称").fill("韩店")
    page.get_by_role("button", name="查找联络站").click()
    expect(page.locator(".result-list h3")).to_have_text(["韩店镇代表联络站"])


def test_large_text_and_english(live_server, phone, shoot, assert_accessible, station):
    page = phone
    page.goto(f"{live_server.url}/stations/{station.pk}/")
    normal = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("button", name="大字模式").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\blarge-text\b"))
    large = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert large >= normal * 1.25
    assert page.url.endswith(f"/stations/{station.pk}/")  # back on the same page
    assert_accessible(page)
    shoot(page, "station-large-text")
    page.get_by_role("button", name="标准字号").click()
    expect(page.locator("body")).not_to_have_class(re.compile(r"\blarge-text\b"))

    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Large text")).to_be_visible()
    expect(page.get_by_role("link", name="Write to this station")).to_be_visible()
    assert_accessible(page)
    shoot(page, "station-english")


def test_keyboard_user_can_skip_to_the_content(live_server, phone, station):
    page = phone
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["x"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_printables_hide_the_site_chrome_when_printed(live_server, phone, shoot, station):
    page = phone
    page.goto(f"{live_server.url}/stations/{station.pk}/card/")
    expect(page.locator(".print-sheet h1")).to_have_text("联络站服务卡")
    shoot(page, "service-card-screen")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".print-toolbar")).to_be_hidden()
    expect(page.locator(".print-sheet svg.qr")).to_be_visible()
    pdf = page.context.request.get(f"{live_server.url}/stations/{station.pk}/card.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
