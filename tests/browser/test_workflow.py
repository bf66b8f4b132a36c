"""The whole round on phones: a voter scans a station's code, writes, and follows the tracking
code; a deputy records a reception with two issues; an officer signs and replies; the deputy
evaluates; staff publish; the voter sees the published result."""

import re

import pytest
from playwright.sync_api import expect

from deputies.models import Level
from liaison.models import Role
from suggestions.models import Route, Status, Suggestion
from suggestions.services.closing import suggestion_evaluate, suggestion_publish
from suggestions.services.handling import assignment_reply, assignment_sign, suggestion_assign
from suggestions.services.intake import suggestion_accept, suggestion_submit
from tests.browser.conftest import new_phone
from tests.factories import (
    CategoryFactory,
    DeputyFactory,
    MandateFactory,
    StationFactory,
    StationMembershipFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pass-1234-word"


@pytest.fixture
def world(changzhi):
    station = StationFactory(name="太东街道代表联络站", region=changzhi["township"], address="太东大街1号")
    deputy_user = UserFactory(username="wangxy", name="王秀英", role=Role.DEPUTY)
    deputy = DeputyFactory(name="王秀英", user=deputy_user, region=changzhi["township"])
    MandateFactory(deputy=deputy, level=Level.COUNTY)
    StationMembershipFactory(deputy=deputy, station=station)
    staff = UserFactory(username="staff", role=Role.STAFF, region=changzhi["county"])
    unit = UnitFactory(name="区住建局", region=changzhi["county"])
    officer = UserFactory(username="zhujian", name="住建局联络员", role=Role.UNIT_OFFICER)
    unit.officers.add(officer)
    CategoryFactory(name="城乡建设")
    return {"station": station, "deputy": deputy, "staff": staff, "unit": unit, "officer": officer}


def _login(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _accept_and_assign(world, suggestion: Suggestion) -> None:
    suggestion = suggestion_accept(suggestion=suggestion, by=world["staff"])
    suggestion_assign(suggestion=suggestion, by=world["staff"], route=Route.DISTRICT, lead_unit=world["unit"])


def test_voter_scans_submits_and_tracks_to_the_published_result(
    live_server, chromium, phone, shoot, assert_accessible, world
):
    page = phone
    # The station's QR code (一家一码) opens its opinion form; the voter reaches it from the station page too.
    page.goto(f"{live_server.url}/stations/{world['station'].pk}/")
    page.get_by_role("link", name="向本站反映意见建议").click()
    expect(page.locator("h1")).to_have_text("反映意见建议")
    assert_accessible(page)
    shoot(page, "opinion-form")

    page.get_by_role("button", name="提交").click()  # empty: the errors are listed and linked
    expect(page.locator(".error-summary")).to_be_visible()
    shoot(page, "opinion-errors")
    page.get_by_label("标题").fill("小区门前路灯不亮")
    page.get_by_label("具体内容").fill("太东大街12号门前三盏路灯坏了一个月，晚上出行不便。")
    page.get_by_label("类别").select_option(label="城乡建设")
    page.get_by_label("您的姓名").fill("张三")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_role("button", name="提交").click()

    expect(page.locator("h1")).to_have_text("提交成功")
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{12}", code)
    expect(page.locator("svg.qr")).to_be_visible()
    assert_accessible(page)
    shoot(page, "opinion-done")

    page.get_by_role("link", name="查看办理进度").click()
    expect(page.locator(".timeline li")).to_have_count(1)
    assert "张三" not in page.content() and "13812345678" not in page.content()
    assert_accessible(page)
    shoot(page, "track-submitted")

    # The round behind the scenes: staff accept and assign, the unit replies, the deputy is
    # satisfied, staff publish (each step is the same service the pages call).
    suggestion = Suggestion.objects.get(code=code)
    assert suggestion.station == world["station"]
    _accept_and_assign(world, suggestion)
    assignment = suggestion.assignments.get()
    assignment_sign(assignment=assignment, by=world["officer"])
    assignment_reply(assignment=assignment, by=world["officer"], result="A", content="已更换路灯三盏。")
    suggestion_evaluate(suggestion=Suggestion.objects.get(pk=suggestion.pk), by=world["staff"], rating="satisfied")
    suggestion_publish(suggestion=Suggestion.objects.get(pk=suggestion.pk), by=world["staff"])

    page.goto(f"{live_server.url}/track/")
    page.get_by_label("查询码").fill(code.lower())
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".badge.status-closed")).to_have_text("已办结")
    shoot(page, "track-closed")
    page.get_by_role("link", name="查看办理结果公示").click()
    expect(page.locator("h1")).to_have_text("办理结果公示")
    page.locator("summary", has_text="问题与办理情况").click()
    expect(page.get_by_text("已更换路灯三盏。")).to_be_visible()
    assert "张三" not in page.content()
    assert_accessible(page)
    shoot(page, "published")


def test_deputy_records_a_reception_with_two_issues(live_server, phone, shoot, assert_accessible, world):
    page = phone
    _login(page, live_server.url, "wangxy")
    expect(page.locator("h1")).to_have_text("王秀英代表，您好")
    shoot(page, "dashboard")
    page.get_by_role("link", name=re.compile("记录一次接待")).click()
    page.get_by_label("接待人数").fill("9")
    page.get_by_label("接待情况").fill("周末进站接待，群众反映问题两条。")
    first = page.locator("fieldset.issue").nth(0)
    first.get_by_label(re.compile(r"^问题")).fill("路灯不亮")
    first.get_by_label("具体情况").fill("太东大街路灯坏了。")
    second = page.locator("fieldset.issue").nth(1)
    second.get_by_label(re.compile(r"^问题")).fill("垃圾清运不及时")
    second.get_by_label("具体情况").fill("小区垃圾三天没人收。")
    second.get_by_label("反映人", exact=True).fill("李四")
    assert_accessible(page)
    shoot(page, "reception-form")
    page.get_by_role("button", name="保存接待记录").click()

    expect(page.locator("h1")).to_have_text("接待记录")
    expect(page.locator(".result-list li")).to_have_count(2)
    shoot(page, "reception-saved")
    assert set(Suggestion.objects.values_list("title", flat=True)) == {"路灯不亮", "垃圾清运不及时"}


def test_officer_signs_and_replies_then_the_deputy_evaluates(live_server, chromium, phone, shoot, assert_accessible, world):
    suggestion = suggestion_submit(
        kind="opinion", title="路面坑洼", content="雨天积水。", region=world["station"].region,
        station=world["station"], deputies=[world["deputy"]],
    )
    _accept_and_assign(world, suggestion)

    page = phone
    _login(page, live_server.url, "zhujian")
    expect(page.locator("h1")).to_have_text("承办事项")
    assert_accessible(page)
    shoot(page, "inbox")
    page.get_by_role("link", name=re.compile("^通知")).click()  # the new assignment's notice
    expect(page.locator(".result-list li")).to_have_count(1)
    assert_accessible(page)
    shoot(page, "notifications")
    page.get_by_role("link", name="去办理").click()
    expect(page.locator("h1")).to_have_text("路面坑洼")
    page.goto(live_server.url + "/work/inbox/")
    page.get_by_role("link", name="路面坑洼").click()
    page.get_by_role("button", name="签收").click()
    expect(page.locator(".messages")).to_contain_text("签收")
    page.get_by_label("办前见面").check()
    page.get_by_label("见面情况").fill("与王秀英代表现场查看。")
    page.get_by_role("button", name="三见面").click()
    page.get_by_label("A 已解决或采纳").check()
    page.get_by_label("答复内容").fill("已修补路面 200 平方米。")
    assert_accessible(page)
    shoot(page, "assignment-reply")
    page.get_by_role("button", name="答复", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("答复")
    shoot(page, "assignment-replied")
    assert Suggestion.objects.get(pk=suggestion.pk).status == Status.REPLIED

    deputy_page = new_phone(chromium)
    _login(deputy_page, live_server.url, "wangxy")
    deputy_page.get_by_role("link", name="我的建议").first.click()
    expect(deputy_page.get_by_text("办理答复已到：")).to_be_visible()
    assert_accessible(deputy_page)
    shoot(deputy_page, "my-suggestions")
    deputy_page.get_by_role("link", name="查看答复并评价").click()  # the reply in view before rating
    expect(deputy_page.get_by_text("已修补路面 200 平方米。")).to_be_visible()
    deputy_page.get_by_label("不满意").check()
    deputy_page.get_by_role("button", name="评价", exact=True).click()  # asks for the reason on the same page
    expect(deputy_page.locator(".error-summary")).to_be_visible()
    expect(deputy_page.get_by_text("已修补路面 200 平方米。")).to_be_visible()
    shoot(deputy_page, "evaluate-reason")
    assert Suggestion.objects.get(pk=suggestion.pk).status == Status.REPLIED
    deputy_page.get_by_label("满意", exact=True).check()
    deputy_page.get_by_role("button", name="评价", exact=True).click()
    expect(deputy_page.locator(".messages")).to_contain_text("评价")
    assert Suggestion.objects.get(pk=suggestion.pk).status == Status.CLOSED
    assert not deputy_page.errors
    deputy_page.context.close()
