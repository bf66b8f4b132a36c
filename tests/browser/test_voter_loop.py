"""Issue 14, the voter's side on a phone: a voter writes with a phone number and ticks
"办理单位可以联系我", gets the tracking code (and a receipt by SMS), later reads the lead unit's
reply on the tracking page, rates it 不满意 with the last four digits of the phone, and the item
is back in front of staff, who send it back for re-handling."""

import re

import pytest
from playwright.sync_api import expect

from suggestions.models import MessageKind, OutboundMessage, Route, Status, Suggestion
from suggestions.services.handling import assignment_reply, assignment_sign, suggestion_assign
from suggestions.services.intake import suggestion_accept
from suggestions.tasks import deliver_outbox
from tests.browser.test_workflow import PASSWORD, world  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_voter_follows_a_code_from_submission_to_rating(
    live_server, chromium, phone, shoot, assert_accessible, world, settings, tmp_path  # noqa: F811
):
    sms_file = tmp_path / "sms.log"
    settings.LIAISON = {**settings.LIAISON, "SMS_BACKEND": "suggestions.sms.FileSmsBackend", "SMS_FILE_PATH": str(sms_file)}
    page = phone
    page.goto(f"{live_server.url}/opinion/station/{world['station'].pk}/")
    expect(page.locator("#publish-notice")).to_contain_text("隐去姓名、电话")
    page.get_by_label("标题").fill("小区门前路灯不亮")
    page.get_by_label("具体内容").fill("幸福小区3栋门前三盏路灯坏了一个月。")
    page.get_by_label("您的姓名").fill("张三")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("办理单位可以联系我").check()
    assert_accessible(page)
    shoot(page, "opinion-form-with-consent")
    page.get_by_role("button", name="提交").click()

    expect(page.locator("h1")).to_have_text("提交成功")
    code = page.locator("#tracking-code").inner_text().strip()
    suggestion = Suggestion.objects.get(code=code)
    assert suggestion.contact_consent is True
    # The receipt: one SMS with the code and nothing else of the voter's.
    assert deliver_outbox() == {"sent": 1, "failed": 0}
    receipt = sms_file.read_text(encoding="utf-8")
    assert code in receipt and "张三" not in receipt and "幸福小区" not in receipt

    # Behind the scenes: accepted, assigned, signed and answered by the lead unit.
    suggestion = suggestion_accept(suggestion=suggestion, by=world["staff"])
    suggestion_assign(suggestion=suggestion, by=world["staff"], route=Route.DISTRICT, lead_unit=world["unit"])
    lead = suggestion.assignments.get()
    page.goto(f"{live_server.url}/track/{code}/")
    expect(page.locator(".facts")).to_contain_text("区住建局")
    expect(page.locator(".facts")).to_contain_text("预计答复")
    shoot(page, "track-assigned")
    assignment_sign(assignment=lead, by=world["officer"])
    assignment_reply(assignment=lead, by=world["officer"], result="A", content="已联系张三（13812345678），路灯已更换。")
    assert OutboundMessage.objects.filter(suggestion=suggestion, kind=MessageKind.ANSWERED).count() == 1

    page.goto(f"{live_server.url}/track/")
    page.get_by_label("查询码").fill(code.lower())
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#reply-text")).to_have_text("已联系张*（***********），路灯已更换。")
    assert "13812345678" not in page.content()
    assert_accessible(page)
    shoot(page, "track-replied")

    page.get_by_label("不满意").check()
    page.get_by_role("button", name="提交评价").click()  # no reason, no digits: refused, nothing saved
    expect(page.locator(".error-summary")).to_be_visible()
    shoot(page, "rating-errors")
    page.get_by_label("不满意").check()
    page.get_by_label("意见").fill("只换了一盏，另外两盏还是不亮。")
    page.get_by_label("提交时所留电话的后四位").fill("5678")
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator(".messages")).to_contain_text("感谢您的评价")
    expect(page.locator("#voter-rating")).to_have_text("不满意")
    expect(page.get_by_role("button", name="提交评价")).to_have_count(0)
    assert_accessible(page)
    shoot(page, "track-rated")

    # Staff find it on their page and send it back for re-handling.
    staff = world["staff"]
    staff.set_password(PASSWORD)
    staff.save()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("staff")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/work/voters/")
    expect(page.locator(".result-list")).to_contain_text("只换了一盏")
    page.get_by_role("link", name="退回重办").click()
    page.get_by_label(re.compile("退回重办理由")).fill("核实属实，请重新办理。")
    page.get_by_role("button", name="退回重办").click()
    expect(page.locator(".messages")).to_contain_text("已完成")
    shoot(page, "rehandled")
    suggestion.refresh_from_db()
    assert suggestion.status == Status.HANDLING and suggestion.rehandle_count == 1
