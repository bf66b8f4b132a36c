"""`bundles/`, `follow-ups/`, 延期 and 销号 over the API: who may, when, and what a refusal leaves."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from suggestions.models import (
    Action,
    Assignment,
    Event,
    FollowUp,
    Notification,
    NotificationKind,
    Reminder,
    Status,
    Suggestion,
    SupervisionBundle,
)
from suggestions.services.handling import assignment_reply, assignment_sign
from suggestions.services.reminders import reminders_sweep

API = "/api/v1"


def _handling(world, n):
    return [world.drive(world.submit(title=f"路灯问题{i}"), Status.HANDLING) for i in range(n)]


# --- 打捆督办 ----------------------------------------------------------------------------------
def test_staff_bundle_five_items_and_urge_them_all_in_one_action(world, api_for):
    items = _handling(world, 5)
    api = api_for(world.staff)
    created = api.post(f"{API}/bundles/", {
        "title": "老旧小区路灯打捆督办", "suggestions": [s.pk for s in items], "leader": world.leader.pk, "note": "同类问题",
    }, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert sorted(body["suggestions"]) == sorted(s.pk for s in items)
    assert body["progress"] == {"total": 5, "open": 5, "replied": 0, "closed": 0, "overdue": 0}
    assert all(s.supervision == "key" for s in Suggestion.objects.filter(pk__in=[s.pk for s in items]))

    urged = api.post(f"{API}/bundles/{body['id']}/urge/", {"note": "月底前答复"}, format="json")
    assert urged.status_code == 200, urged.content
    assert Event.objects.filter(action=Action.URGE, suggestion__in=items).count() == 5
    assert Notification.objects.filter(kind=NotificationKind.URGED, recipient=world.officer).count() == 5
    listed = api.get(f"{API}/bundles/").json()
    assert [b["id"] for b in listed["results"]] == [body["id"]]


def test_bundle_urge_leaves_answered_items_alone_and_progress_counts_them(world, api_for):
    items = _handling(world, 3)
    api = api_for(world.staff)
    bundle_id = api.post(f"{API}/bundles/", {
        "title": "打捆", "suggestions": [s.pk for s in items], "leader": world.leader.pk,
    }, format="json").json()["id"]
    lead = items[0].assignments.get(role="lead")
    assignment_reply(assignment=lead, by=world.officer, result="A", content="已修复")
    api.post(f"{API}/bundles/{bundle_id}/urge/", {}, format="json")
    assert Event.objects.filter(action=Action.URGE, suggestion=items[0]).count() == 0
    assert Event.objects.filter(action=Action.URGE, suggestion__in=items[1:]).count() == 2
    progress = api.get(f"{API}/bundles/{bundle_id}/").json()["progress"]
    assert progress == {"total": 3, "open": 2, "replied": 1, "closed": 0, "overdue": 0}


def test_a_bundle_with_nothing_open_cannot_be_urged(world, api_for):
    items = _handling(world, 2)
    api = api_for(world.staff)
    bundle_id = api.post(f"{API}/bundles/", {
        "title": "打捆", "suggestions": [s.pk for s in items], "leader": world.leader.pk,
    }, format="json").json()["id"]
    for item in items:
        assignment_reply(assignment=item.assignments.get(role="lead"), by=world.officer, result="A", content="已办")
    response = api.post(f"{API}/bundles/{bundle_id}/urge/", {}, format="json")
    assert response.status_code == 409
    assert not Event.objects.filter(action=Action.URGE).exists()


def test_bundling_refuses_a_single_item_an_unassigned_one_and_a_missing_leader(world, api_for):
    api = api_for(world.staff)
    one = _handling(world, 1)
    response = api.post(f"{API}/bundles/", {"title": "打捆", "suggestions": [one[0].pk], "leader": world.leader.pk},
                        format="json")
    assert response.status_code == 400 and "suggestions" in response.json()["errors"]
    submitted = world.submit()
    response = api.post(f"{API}/bundles/", {
        "title": "打捆", "suggestions": [one[0].pk, submitted.pk], "leader": world.leader.pk,
    }, format="json")
    assert response.status_code == 409
    response = api.post(f"{API}/bundles/", {"title": "打捆", "suggestions": [s.pk for s in _handling(world, 2)]},
                        format="json")
    assert response.status_code == 400 and "leader" in response.json()["errors"]
    assert not SupervisionBundle.objects.exists()


def test_a_leader_of_another_county_is_not_found_like_any_account_out_of_scope(world, api_for):
    items = [s.pk for s in _handling(world, 2)]
    answers = [
        api_for(world.staff).post(f"{API}/bundles/", {"title": "打捆", "suggestions": items, "leader": leader},
                                  format="json").json()["errors"]["leader"]
        for leader in (world.other_leader.pk, world.other_staff.pk, 999_999)
    ]
    assert all(answer[0].startswith("对象不存在或不在您的管辖范围内") for answer in answers)  # nothing tells them apart
    assert not SupervisionBundle.objects.exists()


def test_bundling_is_refused_to_units_deputies_and_foreign_staff(world, api_for):
    items = _handling(world, 2)
    body = {"title": "打捆", "suggestions": [s.pk for s in items], "leader": world.leader.pk}
    for user in (world.officer, world.deputy_user):
        assert api_for(user).post(f"{API}/bundles/", body, format="json").status_code == 403
    # Another county's staff cannot even name these items.
    assert api_for(world.other_staff).post(f"{API}/bundles/", body, format="json").status_code == 400
    assert not SupervisionBundle.objects.exists()


def test_another_countys_staff_neither_see_nor_urge_a_bundle(world, api_for):
    items = _handling(world, 2)
    bundle_id = api_for(world.staff).post(f"{API}/bundles/", {
        "title": "打捆", "suggestions": [s.pk for s in items], "leader": world.leader.pk,
    }, format="json").json()["id"]
    other = api_for(world.other_staff)
    assert other.get(f"{API}/bundles/").json()["results"] == []
    assert other.post(f"{API}/bundles/{bundle_id}/urge/", {}, format="json").status_code == 404
    # The unit's officer sees nothing of bundles and cannot urge.
    assert api_for(world.officer).post(f"{API}/bundles/{bundle_id}/urge/", {}, format="json").status_code == 404


# --- 延期 ----------------------------------------------------------------------------------------
def test_an_approved_extension_moves_the_deadline_and_the_reminders_follow(world, api_for):
    suggestion = world.drive(world.submit(), Status.HANDLING)
    lead = suggestion.assignments.get(role="lead")
    today = timezone.localdate()
    Assignment.objects.filter(pk=lead.pk).update(deadline=today + datetime.timedelta(days=1))
    reminders_sweep(today=today)
    old_deadline = Assignment.objects.get(pk=lead.pk).deadline
    assert Reminder.objects.filter(assignment=lead, deadline=old_deadline).exists()
    new_deadline = old_deadline + datetime.timedelta(days=20)

    asked = api_for(world.officer).post(f"{API}/assignments/{lead.pk}/request-extension/", {
        "deadline": new_deadline.isoformat(), "reason": "需协调资金",
    }, format="json")
    assert asked.status_code == 200, asked.content
    decided = api_for(world.staff).post(f"{API}/assignments/{lead.pk}/decide-extension/", {"approve": True, "note": "同意"},
                                        format="json")
    assert decided.status_code == 200, decided.content
    assert decided.json()["deadline"] == new_deadline.isoformat()
    assert decided.json()["original_deadline"] == old_deadline.isoformat() and decided.json()["extension_approved"] is True
    lead.refresh_from_db()
    assert lead.original_deadline == old_deadline and lead.extension_approved is True
    # The reminders sent for the old deadline do not stop those for the new one.
    day_before = new_deadline - datetime.timedelta(days=1)
    while not reminders_sweep(today=day_before).reminders and day_before > today:
        day_before -= datetime.timedelta(days=1)
    assert Reminder.objects.filter(assignment=lead, deadline=new_deadline).exists()


def test_an_extension_is_asked_once_before_the_deadline_by_the_units_officer(world, api_for):
    suggestion = world.drive(world.submit(), Status.HANDLING)
    lead = suggestion.assignments.get(role="lead")
    later = (lead.deadline + datetime.timedelta(days=10)).isoformat()
    url = f"{API}/assignments/{lead.pk}/request-extension/"
    assert api_for(world.staff).post(url, {"deadline": later, "reason": "x"}, format="json").status_code == 403
    assert api_for(world.co_officer).post(url, {"deadline": later, "reason": "x"}, format="json").status_code in (403, 404)
    earlier = api_for(world.officer).post(url, {"deadline": lead.deadline.isoformat(), "reason": "x"}, format="json")
    assert earlier.status_code == 400 and "deadline" in earlier.json()["errors"]
    no_reason = api_for(world.officer).post(url, {"deadline": later, "reason": ""}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    assert api_for(world.officer).post(url, {"deadline": later, "reason": "需协调"}, format="json").status_code == 200
    again = api_for(world.officer).post(url, {"deadline": later, "reason": "再次"}, format="json")
    assert again.status_code == 409


def test_no_extension_once_the_deadline_has_passed(world, api_for):
    suggestion = world.drive(world.submit(), Status.HANDLING)
    lead = suggestion.assignments.get(role="lead")
    Assignment.objects.filter(pk=lead.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    response = api_for(world.officer).post(f"{API}/assignments/{lead.pk}/request-extension/", {
        "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(), "reason": "来不及",
    }, format="json")
    assert response.status_code == 409
    assert Assignment.objects.get(pk=lead.pk).extension_requested_at is None


def test_a_refused_extension_keeps_the_deadline_and_needs_a_reason(world, api_for):
    suggestion = world.drive(world.submit(), Status.HANDLING)
    lead = suggestion.assignments.get(role="lead")
    api_for(world.officer).post(f"{API}/assignments/{lead.pk}/request-extension/", {
        "deadline": (lead.deadline + datetime.timedelta(days=10)).isoformat(), "reason": "需协调",
    }, format="json")
    url = f"{API}/assignments/{lead.pk}/decide-extension/"
    assert api_for(world.officer).post(url, {"approve": True}, format="json").status_code == 403
    assert api_for(world.other_staff).post(url, {"approve": True}, format="json").status_code == 404
    bare = api_for(world.staff).post(url, {"approve": False, "note": ""}, format="json")
    assert bare.status_code == 400 and "note" in bare.json()["errors"]
    refused = api_for(world.staff).post(url, {"approve": False, "note": "期限内可办结"}, format="json")
    assert refused.status_code == 200 and refused.json()["deadline"] == lead.deadline.isoformat()
    assert api_for(world.staff).post(url, {"approve": True}, format="json").status_code == 409


def test_deciding_with_no_request_is_a_conflict(world, api_for):
    lead = world.drive(world.submit(), Status.HANDLING).assignments.get(role="lead")
    response = api_for(world.staff).post(f"{API}/assignments/{lead.pk}/decide-extension/", {"approve": True},
                                         format="json")
    assert response.status_code == 409


# --- 回头看 and 销号 -------------------------------------------------------------------------------
def _replied_b(world):
    suggestion = world.drive(world.submit(), Status.HANDLING)
    lead = suggestion.assignments.get(role="lead")
    assignment_reply(assignment=lead, by=world.officer, result="B", content="已列入明年计划")
    return Suggestion.objects.get(pk=suggestion.pk)


def test_the_follow_up_worklist_by_state(world, api_for):
    suggestion = _replied_b(world)
    follow_up = FollowUp.objects.get(suggestion=suggestion)
    api = api_for(world.staff)
    assert [f["id"] for f in api.get(f"{API}/follow-ups/?state=due").json()["results"]] == [follow_up.pk]
    assert api.get(f"{API}/follow-ups/?state=overdue").json()["results"] == []
    FollowUp.objects.filter(pk=follow_up.pk).update(review_on=timezone.localdate() - datetime.timedelta(days=1))
    overdue = api.get(f"{API}/follow-ups/?state=overdue").json()["results"]
    assert [(f["id"], f["state"], f["suggestion"]) for f in overdue] == [(follow_up.pk, "overdue", suggestion.pk)]
    assert api.get(f"{API}/follow-ups/?state=sideways").status_code == 400
    assert api_for(world.other_staff).get(f"{API}/follow-ups/").json()["results"] == []
    assert api_for(world.officer).get(f"{API}/follow-ups/").json()["results"] == []


def test_a_follow_up_not_yet_solved_needs_a_next_date_and_puts_a_new_one_on_the_list(world, api_for):
    suggestion = _replied_b(world)
    follow_up = FollowUp.objects.get(suggestion=suggestion)
    api = api_for(world.staff)
    url = f"{API}/follow-ups/{follow_up.pk}/complete/"
    missing = api.post(url, {"note": "仍在施工", "solved": False}, format="json")
    assert missing.status_code == 400 and "next_review_on" in missing.json()["errors"]
    assert FollowUp.objects.get(pk=follow_up.pk).done_at is None
    next_on = timezone.localdate() + datetime.timedelta(days=30)
    done = api.post(url, {"note": "仍在施工", "solved": False, "next_review_on": next_on.isoformat()}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "done" and done.json()["outcome"] == "not_solved"
    assert list(FollowUp.objects.filter(suggestion=suggestion, done_at__isnull=True).values_list("review_on", flat=True)) == [
        next_on
    ]
    assert api.post(url, {"note": "再次", "solved": True}, format="json").status_code == 409


def test_follow_ups_are_completed_by_staff_in_scope_only(world, api_for):
    follow_up = FollowUp.objects.get(suggestion=_replied_b(world))
    url = f"{API}/follow-ups/{follow_up.pk}/complete/"
    assert api_for(world.other_staff).post(url, {"note": "x", "solved": True}, format="json").status_code == 404
    assert api_for(world.officer).post(url, {"note": "x", "solved": True}, format="json").status_code == 404
    assert FollowUp.objects.get(pk=follow_up.pk).done_at is None


def test_a_later_reply_of_a_supersedes_the_open_follow_up(world):
    suggestion = _replied_b(world)
    from suggestions.services.closing import suggestion_evaluate

    suggestion_evaluate(suggestion=suggestion, by=world.deputy_user, rating="unsatisfied", comment="还没修")
    lead = Assignment.objects.get(suggestion=suggestion, role="lead")
    assignment_reply(assignment=lead, by=world.officer, result="A", content="已修复")
    follow_up = FollowUp.objects.get(suggestion=suggestion)
    assert follow_up.done_at is not None and follow_up.outcome == "superseded"


def test_sign_off_needs_every_follow_up_done_then_closes(world, api_for):
    suggestion = _replied_b(world)
    api = api_for(world.staff)
    url = f"{API}/suggestions/{suggestion.pk}/sign-off/"
    refused = api.post(url, {"note": "销号"}, format="json")
    assert refused.status_code == 409 and "回头看" in refused.json()["detail"]
    assert Suggestion.objects.get(pk=suggestion.pk).status == Status.REPLIED
    follow_up = FollowUp.objects.get(suggestion=suggestion)
    api.post(f"{API}/follow-ups/{follow_up.pk}/complete/", {"note": "路灯已装好", "solved": True}, format="json")
    done = api.post(url, {"note": "销号"}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "closed" and done.json()["signed_off_at"]
    suggestion.refresh_from_db()
    assert suggestion.status == Status.CLOSED and suggestion.signed_off_at is not None
    assert api.post(url, {"note": "再销号"}, format="json").status_code == 409
    assert api_for(world.officer).post(url, {}, format="json").status_code in (403, 409)


def test_sign_off_of_a_closed_item_marks_it(world, api_for):
    suggestion = world.drive(world.submit(), Status.CLOSED)
    response = api_for(world.staff).post(f"{API}/suggestions/{suggestion.pk}/sign-off/", {}, format="json")
    assert response.status_code == 200
    assert Suggestion.objects.get(pk=suggestion.pk).signed_off_at is not None


@pytest.mark.parametrize("role", ["deputy_user", "leader", "officer"])
def test_sign_off_is_staffs(world, api_for, role):
    suggestion = world.drive(world.submit(), Status.REPLIED)
    response = api_for(getattr(world, role)).post(f"{API}/suggestions/{suggestion.pk}/sign-off/", {}, format="json")
    assert response.status_code == 403
    assert Suggestion.objects.get(pk=suggestion.pk).signed_off_at is None


# --- 反馈 by those who do it ----------------------------------------------------------------------
@pytest.mark.parametrize("role", ["officer", "co_officer", "deputy_user", "staff"])
def test_units_and_deputies_of_the_item_record_feedback(world, api_for, role):
    suggestion = world.drive(world.submit(), Status.REPLIED)
    response = api_for(getattr(world, role)).post(f"{API}/suggestions/{suggestion.pk}/feedback/", {
        "channel": "phone", "note": "已电话告知群众",
    }, format="json")
    assert response.status_code == 200, response.content
    assert Suggestion.objects.get(pk=suggestion.pk).fed_back_at is not None


@pytest.mark.parametrize("role", ["foreign_officer", "other_deputy_user", "leader"])
def test_others_cannot_record_feedback(world, api_for, role):
    suggestion = world.drive(world.submit(), Status.REPLIED)
    response = api_for(getattr(world, role)).post(f"{API}/suggestions/{suggestion.pk}/feedback/", {
        "channel": "phone", "note": "x",
    }, format="json")
    assert response.status_code in (403, 404)
    assert Suggestion.objects.get(pk=suggestion.pk).fed_back_at is None


def test_a_returned_unit_no_longer_feeds_back(world, api_for):
    suggestion = world.drive(world.submit(), Status.ASSIGNED)
    from suggestions.services.handling import assignment_return

    co = suggestion.assignments.get(role="co")
    assignment_return(assignment=co, by=world.co_officer, reason="不属于本单位")
    lead = suggestion.assignments.get(role="lead")
    assignment_sign(assignment=lead, by=world.officer)
    assignment_reply(assignment=lead, by=world.officer, result="A", content="已修复")
    response = api_for(world.co_officer).post(f"{API}/suggestions/{suggestion.pk}/feedback/", {"channel": "phone"},
                                              format="json")
    assert response.status_code == 403
