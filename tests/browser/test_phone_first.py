"""On a phone (issue 16): a mistyped tracking code, a too-long opinion and 大字模式's sizes
(MIIT 适老化: text ≥ 18 px and line height ≥ 1.3 in 大字模式, tap targets ≥ 60 px there and
≥ 44 px in the standard size), each page axe-core clean."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import StationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAP_TARGETS = ".button, button:not(.skip-link), select, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), " \
    ".chips a, .pagination a, .site-nav a, .tiles a"
# Heights of the visible tap targets, and the smallest computed font size of visible text.
MEASURE = """(selector) => {
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const targets = [...document.querySelectorAll(selector)].filter(visible).filter(el => !el.closest('.hp-field'))
    .map(el => ({what: el.outerHTML.slice(0, 80), height: el.getBoundingClientRect().height}));
  const texts = [...document.querySelectorAll('main *, header *, footer *')].filter(visible)
    .filter(el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .filter(el => !el.closest('.visually-hidden, .hp-field, svg'))
    .map(el => ({what: el.tagName + ' ' + el.textContent.trim().slice(0, 20),
                 size: parseFloat(getComputedStyle(el).fontSize),
                 line: parseFloat(getComputedStyle(el).lineHeight) / parseFloat(getComputedStyle(el).fontSize)}));
  return {targets, texts};
}"""


@pytest.fixture
def station(changzhi):
    return StationFactory(name="太东街道代表联络站", region=changzhi["township"], address="太东大街1号",
                          phone="0355-2021234", reception_day=15)


def test_a_wrong_tracking_code_says_so_and_offers_the_box_again(live_server, phone, shoot, assert_accessible):
    page = phone
    response = page.goto(f"{live_server.url}/track/ABCDEFGHJK23/")
    assert response.status == 404
    expect(page.get_by_role("alert")).to_contain_text("没有找到查询码“ABCDEFGHJK23”")
    box = page.get_by_label("查询码")
    expect(box).to_have_value("ABCDEFGHJK23")
    assert_accessible(page)
    shoot(page, "wrong-code")
    box.fill("")
    box.fill("ABCDEFGHJK24")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("alert")).to_contain_text("ABCDEFGHJK24")


def test_a_long_opinion_is_counted_live_refused_once_in_plain_words_and_kept(live_server, phone, shoot,
                                                                             assert_accessible, station):
    page = phone
    page.goto(f"{live_server.url}/opinion/station/{station.pk}/")
    expect(page.get_by_text("最多 2,000 字").first).to_be_visible()  # said before typing
    content = "门前路灯坏了很久，" * 234  # 2,106 characters
    page.get_by_label("标题").fill("路灯不亮")
    page.get_by_label("具体内容").fill(content)
    counter = page.locator("#id_content_count")
    expect(counter).to_contain_text("超出 106 字")
    assert len(page.get_by_label("具体内容").input_value()) == len(content)  # nothing cut
    assert_accessible(page)
    shoot(page, "long-opinion-typed")
    page.get_by_role("button", name="提交").click()
    errors = page.locator("#id_content_error li")
    expect(errors).to_have_count(1)
    expect(errors).to_have_text("最多 2000 字，现在是 2106 字，请删减后再提交（您写的内容都还在）。")
    assert "变量" not in page.content()
    assert page.get_by_label("具体内容").input_value() == content
    assert_accessible(page)
    shoot(page, "long-opinion-refused")


@pytest.mark.parametrize("path", ["/", "/stations/", "station", "/opinion/station/{pk}/", "/track/"])
def test_large_text_mode_meets_the_elderly_friendly_sizes(live_server, phone, shoot, assert_accessible, station, path):
    page = phone
    url = f"{live_server.url}/stations/{station.pk}/" if path == "station" else live_server.url + path.format(pk=station.pk)
    page.goto(url)
    standard = page.evaluate(MEASURE, TAP_TARGETS)
    small = [t for t in standard["targets"] if t["height"] < 44]
    assert not small, small
    page.get_by_role("button", name="大字模式").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\blarge-text\b"))
    large = page.evaluate(MEASURE, TAP_TARGETS)
    assert len(large["targets"]) >= 3 and len(large["texts"]) >= 5  # measured something
    small = [t for t in large["targets"] if t["height"] < 60]
    assert not small, small
    tiny = [t for t in large["texts"] if t["size"] < 18 or t["line"] < 1.3]
    assert not tiny, tiny
    assert_accessible(page)
    shoot(page, "large-text")


def test_the_demo_years_statistics_are_readable_on_a_phone(live_server, phone, shoot, assert_accessible, settings):
    """The demo year's dashboard opens with figures (the seed built the snapshot), and its charts
    keep their labels at a readable size: they scroll sideways instead of shrinking."""
    import datetime

    from django.utils import timezone

    from demo.seed import seed_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo(scale=0.02, today=timezone.localdate() - datetime.timedelta(days=1))
    page = phone
    page.goto(f"{live_server.url}/accounts/login/?next=/stats/")
    page.get_by_label("用户名").fill("staff")
    page.get_by_label("密码").fill("demo12345")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_contain_text("意见建议统计")
    assert "还没有统计快照" not in page.content()
    chart = page.locator("figure.chart svg").first
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] >= 720
    label = page.locator("figure.chart svg text").first
    rendered = label.bounding_box()["height"]
    assert rendered >= 12, rendered
    assert_accessible(page)
    shoot(page, "stats-dashboard")
    for path, name in (("/stats/units/", "league"), ("/stats/stations/", "stations"), ("/stats/duty/", "duty")):
        page.goto(live_server.url + path)
        expect(page.locator("h1")).to_be_visible()
        assert "还没有统计快照" not in page.content()
        assert_accessible(page)
        shoot(page, f"stats-{name}")
