"""An officer on a phone starts a reply from the unit's answer template (static/js/
answer_templates.js): the filled text lands in the reply box, is edited and sent."""

import pytest
from playwright.sync_api import expect

from liaison.models import Role
from suggestions.models import AnswerTemplate, Route, Status, Suggestion
from suggestions.services.handling import assignment_sign, suggestion_assign
from suggestions.services.intake import suggestion_accept, suggestion_submit
from tests.factories import UnitFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_replies_from_a_template(live_server, phone, shoot, assert_accessible, changzhi):
    staff = UserFactory(username="staff", role=Role.STAFF, region=changzhi["county"])
    unit = UnitFactory(name="区住建局", region=changzhi["county"])
    officer = UserFactory(username="zhujian", role=Role.UNIT_OFFICER)
    unit.officers.add(officer)
    AnswerTemplate.objects.create(title="路面维修", unit=unit, body="您反映的{区划}“{标题}”，{单位}已安排维修，{期限}前完成。")
    item = suggestion_submit(kind="opinion", title="路面坑洼", content="雨天积水。", region=changzhi["township"])
    item = suggestion_accept(suggestion=item, by=staff)
    item = suggestion_assign(suggestion=item, by=staff, route=Route.DISTRICT, lead_unit=unit)
    lead = item.assignments.get(role="lead")
    assignment_sign(assignment=lead, by=officer)

    page = phone
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("zhujian")
    page.get_by_label("密码").fill("pass-1234-word")
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/work/assignments/{lead.pk}/")
    page.get_by_text("路面维修").click()
    page.get_by_role("button", name="使用此模板").click()
    box = page.locator("#id_reply-content")
    expect(box).to_have_value(f"您反映的太东街道“路面坑洼”，区住建局已安排维修，{lead.deadline.isoformat()}前完成。")
    assert_accessible(page)
    shoot(page, "reply-from-template")
    page.get_by_label("A 已解决或采纳").check()
    page.get_by_role("button", name="答复", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("答复")
    assert Suggestion.objects.get(pk=item.pk).status == Status.REPLIED
    assert page.errors == []
