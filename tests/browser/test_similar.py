"""A voter types an opinion on a phone: items already being handled nearby appear (static/js/
similar.js), redacted; they follow one, and their code then tracks it."""

import pytest
from playwright.sync_api import expect

from suggestions.models import Status, Suggestion
from tests.factories import CategoryFactory, StationFactory, SuggestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_voter_sees_the_item_being_handled_and_follows_it(live_server, phone, shoot, assert_accessible, changzhi):
    category = CategoryFactory(name="交通出行")
    station = StationFactory(name="太东街道代表联络站", region=changzhi["township"])
    target = SuggestionFactory(
        region=changzhi["township"], category=category, status=Status.HANDLING,
        title="李建国反映幸福小区门口红绿灯不亮", content="幸福小区门口的红绿灯坏了一周，过马路很危险。",
        submitter_name="李建国",
    )
    SuggestionFactory(region=changzhi["township"], status=Status.HANDLING, title="小区流浪狗太多", content="晚上狗叫")
    page = phone
    page.goto(f"{live_server.url}/opinion/station/{station.pk}/")
    box = page.locator("#similar-items")
    expect(box).to_be_hidden()
    page.fill("#id_title", "小区门口的信号灯坏了")
    page.fill("#id_content", "幸福小区门口信号灯不亮")
    expect(box).to_be_visible()
    expect(box.locator("li")).to_have_count(1)
    expect(box.locator("li a")).to_contain_text("红绿灯不亮")
    assert "李建国" not in box.inner_text()
    assert_accessible(page)
    shoot(page, "similar-while-typing")
    box.get_by_role("button").click()
    expect(box.locator("[data-chosen]")).to_contain_text(target.code)
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_submitter_name", "赵小红")
    page.fill("#id_submitter_phone", "13912345678")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("h1")).to_be_visible()
    opinion = Suggestion.objects.get(submitter_phone="13912345678")
    assert opinion.status == Status.MERGED and opinion.merged_into_id == target.pk
    assert page.errors == []
