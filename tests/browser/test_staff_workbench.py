"""Staff take an item from review to publication on the web pages only (no admin): accept from
the review list (after confirming), assign, the unit replies, staff feed back, close and
publish; at every step the item is in one of the workbench's lists."""

import re

import pytest
from playwright.sync_api import expect

from liaison.models import Role
from suggestions.models import Status, Suggestion
from suggestions.services.intake import suggestion_submit
from tests.browser.conftest import new_phone
from tests.factories import DeputyFactory, StationFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pass-1234-word"


@pytest.fixture
def world(changzhi):
    station = StationFactory(name="太东街道代表联络站", region=changzhi["township"])
    deputy = DeputyFactory(name="王秀英", region=changzhi["township"])
    staff = UserFactory(username="staff", role=Role.STAFF, region=changzhi["county"])
    unit = UnitFactory(name="区住建局", region=changzhi["county"])
    officer = UserFactory(username="zhujian", name="住建局联络员", role=Role.UNIT_OFFICER)
    unit.officers.add(officer)
    return {"station": station, "deputy": deputy, "staff": staff, "unit": unit, "officer": officer}


def _login(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _in_tab(page, base_url: str, tab: str, title: str) -> None:
    page.goto(f"{base_url}/work/items/?tab={tab}")
    expect(page.locator(".result-list li", has_text=title)).to_have_count(1)


def test_staff_take_an_item_from_review_to_publication_on_the_pages(
    live_server, chromium, phone, shoot, assert_accessible, world
):
    suggestion = suggestion_submit(
        kind="opinion", title="桥头路灯不亮", content="桥头三盏路灯坏了一个月。", region=world["station"].region,
        station=world["station"], deputies=[world["deputy"]], submitter_name="张三", submitter_phone="13812345678",
    )
    title, base = suggestion.title, live_server.url
    page = phone
    _login(page, base, "staff")

    # 审核: accepting from the list row asks first, then the item waits in "待交办".
    page.goto(base + "/work/review/")
    page.locator(".result-list li", has_text=title).get_by_role("link", name="受理…").click()
    expect(page.locator("h1")).to_have_text("受理")
    expect(page.get_by_text("受理此事项，进入交办？")).to_be_visible()
    shoot(page, "accept-confirm")
    assert Suggestion.objects.get(pk=suggestion.pk).status == Status.SUBMITTED
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("受理")
    expect(page.locator(".result-list li", has_text=title)).to_have_count(1)  # back on 待交办
    assert_accessible(page)
    shoot(page, "worklist-assign")

    # 交办 from the row.
    page.locator(".result-list li", has_text=title).get_by_role("link", name="交办…").click()
    page.get_by_label("办理方式（五分类）").select_option(label="区级联动")
    page.get_by_role("combobox", name="主办单位").select_option(label="区住建局")
    page.get_by_role("button", name="交办", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("交办")
    _in_tab(page, base, "handling", title)

    # The unit signs and replies on its own pages.
    officer = new_phone(chromium)
    _login(officer, base, "zhujian")
    officer.get_by_role("link", name=title).click()
    officer.get_by_role("button", name="签收").click()
    officer.get_by_label("A 已解决或采纳").check()
    officer.get_by_label("答复内容").fill("已更换路灯三盏。")
    officer.get_by_role("button", name="答复", exact=True).click()
    expect(officer.locator(".messages")).to_contain_text("答复")
    officer.context.close()

    # 已答复: feed back to the voter, then close (办结).
    _in_tab(page, base, "replied", title)
    shoot(page, "worklist-replied")
    page.locator(".result-list li", has_text=title).get_by_role("link", name="反馈…").click()
    page.get_by_label("电话").check()
    page.get_by_label("反馈情况").fill("已电话告知张三。")
    page.get_by_role("button", name="反馈", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("反馈")
    expect(page.locator(".result-list li", has_text=title)).to_contain_text("已反馈")
    page.locator(".result-list li", has_text=title).get_by_role("link", name="办结…").click()
    page.get_by_role("button", name="办结", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("办结")

    # 已办结（待公示）: publish.
    _in_tab(page, base, "closed", title)
    page.locator(".result-list li", has_text=title).get_by_role("link", name="公示…").click()
    page.get_by_role("button", name="公示", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("公示")
    _in_tab(page, base, "published", title)
    assert_accessible(page)
    shoot(page, "worklist-published")

    # Found again by its code, and its 反馈单 prints.
    page.goto(base + "/work/items/")
    page.get_by_label(re.compile("查找")).fill(suggestion.code)
    page.get_by_role("button", name="查找").click()
    expect(page.locator(".result-list li", has_text=title)).to_have_count(1)
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name=re.compile("意见建议督办反馈单")).click()
    expect(page.locator("h1")).to_have_text("意见建议督办反馈单")
    expect(page.get_by_text("已更换路灯三盏。")).to_be_visible()
    shoot(page, "feedback-sheet")
    final = Suggestion.objects.get(pk=suggestion.pk)
    assert final.status == Status.CLOSED and final.is_public and final.fed_back_at is not None
