"""Answer templates: a unit's own and its regions' shared ones, filled from the item, kept on
the web pages (officers their unit's, staff their region's) and in the admin."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from suggestions.models import AnswerTemplate, Status
from suggestions.similar.templates import fill, templates_for

BODY = "您反映的{区划}“{标题}”问题，{单位}已受理，将于{期限}前办结。查询码：{查询码}。"


@pytest.fixture
def assignment(world):
    item = world.drive(world.submit(), Status.ASSIGNED)
    return item.assignments.get(role="lead")


def test_a_template_is_the_units_or_a_regions_never_both_or_neither(world):
    with pytest.raises(IntegrityError):
        AnswerTemplate.objects.create(title="x", body="y")


def test_the_unit_gets_its_own_and_the_shared_templates_of_its_regions_only(world, assignment):
    own = AnswerTemplate.objects.create(title="路灯", body=BODY, unit=world.unit)
    shared = AnswerTemplate.objects.create(title="通用", body="已收悉。", region=world.city)
    AnswerTemplate.objects.create(title="别的单位", body="x", unit=world.co_unit)
    AnswerTemplate.objects.create(title="别的县", body="x", region=world.other_county)
    AnswerTemplate.objects.create(title="停用", body="x", unit=world.unit, is_active=False)
    assert set(templates_for(assignment)) == {own, shared}


def test_placeholders_are_filled_from_the_item(world, assignment):
    template = AnswerTemplate.objects.create(title="路灯", body=BODY, unit=world.unit)
    text = fill(template, assignment)
    assert world.township.name in text and assignment.suggestion.title in text
    assert assignment.deadline.isoformat() in text and assignment.suggestion.code in text
    assert world.unit.name in text and "{" not in text


def test_the_reply_step_page_offers_the_filled_templates(client, world):
    assignment = world.drive(world.submit(), Status.HANDLING).assignments.get(role="lead")
    AnswerTemplate.objects.create(title="路灯答复", body=BODY, unit=world.unit)
    client.force_login(world.officer)
    page = client.get(reverse("suggestions:assignment_act", args=[assignment.pk, "reply"])).content.decode()
    assert "从答复模板开始" in page and "路灯答复" in page and assignment.suggestion.code in page
    assert "js/answer_templates.js" in page


def test_an_officer_keeps_their_units_templates_on_the_web_page(client, world):
    client.force_login(world.officer)
    url = reverse("suggestions:answer_templates")
    response = client.post(url, {"title": "供暖答复", "body": BODY, "unit": world.unit.pk, "is_active": "on"})
    assert response.status_code == 302
    template = AnswerTemplate.objects.get(title="供暖答复")
    assert template.unit == world.unit and template.created_by == world.officer
    assert client.post(url, {"title": "别人的", "body": "x", "unit": world.foreign_unit.pk}).status_code == 400
    foreign = AnswerTemplate.objects.create(title="外单位", body="x", unit=world.foreign_unit)
    assert client.get(reverse("suggestions:answer_template_edit", args=[foreign.pk])).status_code == 404
    assert "外单位" not in client.get(url).content.decode()


def test_staff_keep_shared_templates_of_their_region(client, world):
    client.force_login(world.staff)
    url = reverse("suggestions:answer_templates")
    assert client.post(url, {"title": "共用", "body": "已收悉。", "region": world.county.code, "is_active": "on"}).status_code == 302
    assert client.post(url, {"title": "两者", "body": "x", "region": world.county.code, "unit": world.unit.pk}).status_code == 400
    assert client.post(url, {"title": "外县", "body": "x", "region": world.other_county.code}).status_code == 400


def test_a_deputy_may_not_manage_templates(client, world):
    client.force_login(world.deputy_user)
    assert client.get(reverse("suggestions:answer_templates")).status_code == 403


def test_the_admin_lists_only_templates_in_the_staffs_scope(client, world):
    AnswerTemplate.objects.create(title="本县模板", body="x", unit=world.unit)
    AnswerTemplate.objects.create(title="外县模板", body="x", unit=world.foreign_unit)
    client.force_login(world.staff)
    page = client.get(reverse("admin:suggestions_answertemplate_changelist")).content.decode()
    assert "本县模板" in page and "外县模板" not in page
