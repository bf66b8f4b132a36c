"""Intake and routing on a phone (issue 13): a deputy records a reception with three issues
classed 代表即办, 乡镇主办 and 上报处办, settles the first on the spot from the reception page (the
voter sees the result by code), and turns a voter's opinion into their own suggestion
(转为闭会建议) from its page."""

import re

import pytest
from playwright.sync_api import expect

from deputies.models import Level
from liaison.models import Role
from suggestions.models import Route, Status, Suggestion, SuggestionKind
from suggestions.services.intake import suggestion_submit
from tests.factories import (
    CategoryFactory,
    DeputyFactory,
    MandateFactory,
    StationFactory,
    StationMembershipFactory,
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
    UserFactory(username="staff", role=Role.STAFF, region=changzhi["county"])
    CategoryFactory(name="城乡建设")
    return {"station": station, "deputy": deputy}


def _login(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_deputy_classes_three_issues_and_settles_one_on_the_spot(live_server, phone, shoot, assert_accessible, world):
    page = phone
    _login(page, live_server.url, "wangxy")
    page.get_by_role("link", name=re.compile("记录一次接待")).click()
    page.get_by_label("接待人数").fill("5")
    page.get_by_label("接待情况").fill("进站接待，群众反映问题三条。")
    page.get_by_role("button", name="再加一条问题").click()
    issues = [("路灯不亮", "代表即办"), ("村道坑洼", "乡镇主办"), ("跨区公交线路", "上报处办")]
    for n, (title, route) in enumerate(issues):
        issue = page.locator("fieldset.issue").nth(n)
        issue.get_by_label(re.compile(r"^问题")).fill(title)
        issue.get_by_label("具体情况").fill(f"{title}，请尽快解决。")
        issue.get_by_label(route, exact=True).check()
    page.locator("fieldset.issue").nth(0).get_by_label("反映人", exact=True).fill("张三")
    assert_accessible(page)
    shoot(page, "reception-three-classes")
    page.get_by_role("button", name="保存接待记录").click()

    expect(page.locator("h1")).to_have_text("接待记录")
    expect(page.locator(".result-list > li")).to_have_count(3)
    assert dict(Suggestion.objects.values_list("title", "route_proposal")) == {
        "路灯不亮": Route.ON_SPOT, "村道坑洼": Route.TOWNSHIP, "跨区公交线路": Route.ESCALATE,
    }
    shoot(page, "reception-with-on-spot")
    page.locator(".result-list > li", has_text="路灯不亮").get_by_role("link", name="代表即办").click()
    expect(page.locator("h1")).to_have_text("代表即办")
    page.get_by_label("即办情况（即答复内容）").fill("当场联系物业，路灯已修好。")
    assert_accessible(page)
    shoot(page, "on-spot-form")
    page.get_by_role("button", name="代表即办").click()
    expect(page.locator(".messages")).to_contain_text("代表即办")
    expect(page.locator("h1")).to_have_text("接待记录")  # back where the deputy was
    lamp = Suggestion.objects.get(title="路灯不亮")
    assert lamp.status == Status.REPLIED and lamp.route == Route.ON_SPOT

    # the voter follows it by code
    page.goto(f"{live_server.url}/track/{lamp.code}/")
    expect(page.get_by_text("代表即办").first).to_be_visible()
    assert "张三" not in page.content()
    shoot(page, "track-on-spot")


def test_deputy_converts_a_voters_opinion_into_a_suggestion(live_server, phone, shoot, assert_accessible, world):
    opinion = suggestion_submit(
        kind=SuggestionKind.OPINION, title="学校门口交通拥堵", content="上下学时段拥堵严重。",
        region=world["station"].region, station=world["station"], deputies=[world["deputy"]],
    )
    page = phone
    _login(page, live_server.url, "wangxy")
    page.goto(f"{live_server.url}/work/suggestions/{opinion.pk}/")
    expect(page.locator("h1")).to_have_text("学校门口交通拥堵")
    page.locator("summary", has_text="转为闭会建议").click()
    form = page.locator("details", has_text="转为闭会建议")
    form.get_by_label("建议标题").fill("关于缓解学校周边交通拥堵的建议")
    assert_accessible(page)
    shoot(page, "convert-form")
    form.get_by_role("button", name="转为闭会建议").click()
    expect(page.locator(".messages")).to_contain_text("转为闭会建议")
    expect(page.locator("h1")).to_have_text("关于缓解学校周边交通拥堵的建议")
    converted = Suggestion.objects.get(converted_from=opinion)
    assert converted.kind == SuggestionKind.DEPUTY_SUGGESTION and converted.session == "interim"
    assert Suggestion.objects.get(pk=opinion.pk).status == Status.MERGED
    shoot(page, "converted")
