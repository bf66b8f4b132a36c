"""The unit officers' pages: the inbox and one assignment with its steps."""

import datetime

from django.urls import reverse
from django.utils import timezone

from suggestions.models import AssignmentStatus, Contact, Status
from suggestions.services.handling import assignment_reply, assignment_sign
from tests.factories import AssignmentFactory
from tests.suggestions.views.pages import assigned, page_text


def test_inbox_orders_by_deadline_with_tiers(officer_client, world, django_assert_max_num_queries):
    today = timezone.localdate()
    late = AssignmentFactory(unit=world["unit"], deadline=today - datetime.timedelta(days=3), suggestion__region=world["township"])
    soon = AssignmentFactory(unit=world["unit"], deadline=today + datetime.timedelta(days=1), suggestion__region=world["township"])
    later = AssignmentFactory(unit=world["unit"], deadline=today + datetime.timedelta(days=90), suggestion__region=world["township"])
    AssignmentFactory(unit=world["co_unit"], suggestion__region=world["township"])  # another unit's
    with django_assert_max_num_queries(7):
        response = officer_client.get(reverse("suggestions:inbox"))
    rows = list(response.context["page"].object_list)
    assert rows == [late, soon, later]
    assert [a.overdue_tier for a in rows] == ["overdue", "due_soon", "on_track"]
    text = page_text(response)
    assert "tier-overdue" in text and "已超期" in text and "即将到期" in text


def test_inbox_is_for_unit_officers(client, world):
    client.force_login(world["deputy"].user)
    assert client.get(reverse("suggestions:inbox")).status_code == 403
    client.force_login(world["officer"])
    assert client.get(reverse("suggestions:inbox"), {"show": "weird"}).status_code == 404


def test_officer_signs_contacts_and_replies(officer_client, world):
    suggestion = assigned(world)
    assignment = suggestion.assignments.get()
    url = reverse("suggestions:assignment", args=[assignment.pk])
    page = page_text(officer_client.get(url))
    assert "路面坑洼" in page and "签收" in page and "张三" not in page

    officer_client.post(reverse("suggestions:assignment_act", args=[assignment.pk, "sign"]), {})
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SIGNED

    officer_client.post(reverse("suggestions:assignment_act", args=[assignment.pk, "contact"]), {"contact-kind": "before", "contact-note": "与王代表电话沟通"})
    assert Contact.objects.get().note == "与王代表电话沟通"

    response = officer_client.post(
        reverse("suggestions:assignment_act", args=[assignment.pk, "reply"]), {"reply-result": "A", "reply-content": "已修复。"}
    )
    assert response["Location"] == url
    assignment.refresh_from_db()
    suggestion.refresh_from_db()
    assert assignment.status == AssignmentStatus.REPLIED and suggestion.status == Status.REPLIED


def test_officer_bad_input_is_shown_with_the_form(officer_client, world):
    assignment = assigned(world).assignments.get()
    returned = officer_client.post(reverse("suggestions:assignment_act", args=[assignment.pk, "return"]), {"return-reason": ""})
    assert returned.status_code == 400 and "reason" in returned.context["form"].errors
    officer_client.post(reverse("suggestions:assignment_act", args=[assignment.pk, "sign"]), {})
    bad = officer_client.post(
        reverse("suggestions:assignment_act", args=[assignment.pk, "reply"]), {"reply-result": "Z", "reply-content": "<script>x</script>"}
    )
    assert bad.status_code == 400
    assert "<script>x</script>" not in page_text(bad) and "&lt;script&gt;x&lt;/script&gt;" in page_text(bad)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SIGNED


def test_officer_step_not_allowed_now_is_a_message(officer_client, world):
    assignment = assigned(world).assignments.get()
    response = officer_client.post(
        reverse("suggestions:assignment_act", args=[assignment.pk, "reply"]), {"reply-result": "A", "reply-content": "答复"}, follow=True
    )
    assert "不能" in page_text(response)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PENDING


def test_officer_of_another_unit_gets_404(client, world):
    assignment = assigned(world).assignments.get()
    client.force_login(world["co_officer"])
    assert client.get(reverse("suggestions:assignment", args=[assignment.pk])).status_code == 404
    assert client.post(reverse("suggestions:assignment_act", args=[assignment.pk, "sign"]), {}).status_code == 404


def test_co_unit_sees_the_lead_units_progress(client, world):
    suggestion = assigned(world, co_units=[world["co_unit"]])
    lead = suggestion.assignments.get(unit=world["unit"])
    assignment_sign(assignment=lead, by=world["officer"])
    assignment_reply(assignment=lead, by=world["officer"], result="B", content="列入明年计划。")
    co = suggestion.assignments.get(unit=world["co_unit"])
    client.force_login(world["co_officer"])
    text = page_text(client.get(reverse("suggestions:assignment", args=[co.pk])))
    assert "区住建局" in text and "列入明年计划。" in text and "主办" in text


def test_a_reply_with_the_file_box_left_empty_is_taken(officer_client, world):
    """A browser posts an empty file box as an empty value: it means no files, not a bad file."""
    assignment = assigned(world).assignments.get()
    assignment_sign(assignment=assignment, by=world["officer"])
    response = officer_client.post(
        reverse("suggestions:assignment_act", args=[assignment.pk, "reply"]),
        {"reply-result": "A", "reply-content": "已修复。", "reply-attachments": ""},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REPLIED
