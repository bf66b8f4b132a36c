"""On phones: a deputy registers a duty activity with a photo; staff confirm one and return
another with a reason; the deputy sees both outcomes and the confirmed one in their record."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from deputies.models import ActivityStatus, DutyActivity
from liaison.models import Role
from tests.browser.conftest import new_phone
from tests.factories import DeputyFactory, StationFactory, StationMembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pass-1234-word"


@pytest.fixture
def world(changzhi, tmp_path):
    station = StationFactory(name="太东街道代表联络站", region=changzhi["township"])
    deputy = DeputyFactory(name="王秀英", region=changzhi["township"],
                           user=UserFactory(username="wangxy", name="王秀英", role=Role.DEPUTY))
    StationMembershipFactory(deputy=deputy, station=station)
    staff = UserFactory(username="staff", name="区人大工作人员", role=Role.STAFF, region=changzhi["county"])
    photo = tmp_path / "site.png"
    stream = io.BytesIO()
    Image.new("RGB", (32, 32), "green").save(stream, "PNG")
    photo.write_bytes(stream.getvalue())
    return {"deputy": deputy, "staff": staff, "photo": photo}


def _login(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _register(page, kind: str, place: str, note: str, photo=None) -> None:
    page.get_by_label("活动类型").select_option(label=kind)
    page.get_by_label("活动地点").fill(place)
    page.get_by_label("与谁一起").fill("区住建局")
    page.get_by_label("活动情况及成效").fill(note)
    if photo is not None:
        page.get_by_label("照片或文件").set_input_files(str(photo))
    page.get_by_role("button", name="提交登记").click()
    expect(page.locator(".messages")).to_contain_text("待工作人员确认")


def test_a_deputy_registers_activities_on_a_phone_and_staff_confirm_or_return_them(
    live_server, chromium, phone, shoot, assert_accessible, world
):
    page = phone
    _login(page, live_server.url, "wangxy")
    page.goto(live_server.url + "/deputies/me/")
    page.get_by_role("link", name="登记履职活动").click()
    expect(page.locator("h1")).to_have_text("我的履职活动")
    assert_accessible(page)
    shoot(page, "register-form")
    page.get_by_role("button", name="提交登记").click()  # empty: the fields say what is missing
    expect(page.locator(".errorlist").first).to_be_visible()
    _register(page, "调研", "太东街道老旧小区", "走访三个小区，形成加装电梯调研报告。", world["photo"])
    _register(page, "视察", "城东污水处理厂", "视察运行情况。")
    expect(page.locator("#my-activities li")).to_have_count(2)
    shoot(page, "registered")

    staff_page = new_phone(chromium)
    try:
        _login(staff_page, live_server.url, "staff")
        staff_page.goto(live_server.url + "/deputies/activities/review/")
        expect(staff_page.locator("#activity-queue > li")).to_have_count(2)
        assert_accessible(staff_page)
        shoot(staff_page, "staff-queue")
        research = DutyActivity.objects.get(kind="research")
        inspection = DutyActivity.objects.get(kind="inspection")
        staff_page.locator(f"#activity-{research.pk}").get_by_role("button", name="确认").click()
        expect(staff_page.locator("#activity-queue > li")).to_have_count(1)
        staff_page.locator(f"#activity-{inspection.pk}").get_by_label("退回理由").fill("请补充现场照片")
        staff_page.locator(f"#activity-{inspection.pk}").get_by_role("button", name="退回").click()
        expect(staff_page.get_by_text("没有此状态的履职活动。")).to_be_visible()
        shoot(staff_page, "staff-done")
    finally:
        staff_page.context.close()

    assert dict(DutyActivity.objects.values_list("kind", "status")) == {
        "research": ActivityStatus.CONFIRMED, "inspection": ActivityStatus.RETURNED}
    page.goto(live_server.url + "/deputies/me/activities/")
    expect(page.locator("#my-activities li[data-status=returned]")).to_contain_text("请补充现场照片")
    expect(page.locator("#my-activities li[data-status=confirmed]")).to_contain_text("已确认")
    shoot(page, "outcomes")
    page.goto(live_server.url + "/deputies/me/record/")
    expect(page.locator("table.duty-score")).to_contain_text("调研")
    row = page.locator("table.duty-score tr", has_text="调研")
    expect(row.locator("td").first).to_have_text("1")
