"""Each workflow step through its service: what it changes, what it records, whom it tells,
and what it refuses."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from suggestions import services
from suggestions.calendar import WorkCalendar
from suggestions.models import (
    TRACKING_CODE_ALPHABET,
    Action,
    Assignment,
    AssignmentStatus,
    Attachment,
    Event,
    FollowUp,
    Notification,
    NotificationKind,
    Source,
    Status,
    Suggestion,
    SuggestionKind,
    Supervision,
)
from suggestions.selectors import track
from suggestions.workflow import ActionNotPermitted, InvalidTransition
from tests.factories import CategoryFactory, DeputyFactory, UnitFactory, UserFactory

S = Status


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def actions_of(suggestion) -> list[str]:
    return list(Event.objects.filter(suggestion=suggestion).order_by("created_at", "id").values_list("action", flat=True))


def notified(kind=None, **filters) -> set:
    qs = Notification.objects.filter(**filters)
    if kind:
        qs = qs.filter(kind=kind)
    return set(qs.values_list("recipient__username", flat=True))


# --- the whole path ------------------------------------------------------------------------
def test_a_voters_opinion_goes_all_the_way_from_submission_to_publication(world):
    opinion = services.suggestion_submit(
        kind=SuggestionKind.OPINION, by=None, title="菜市场周边乱停车", content="早高峰堵塞，请治理。",
        region=world.township, category=world.category, submitter_name="李四", submitter_phone="13911112222",
        deputies=[world.deputy],
    )
    assert opinion.status == S.SUBMITTED and opinion.source == Source.PUBLIC
    opinion = services.suggestion_accept(suggestion=opinion, by=world.staff, note="受理")
    opinion = services.suggestion_assign(
        suggestion=opinion, by=world.staff, route="township", lead_unit=world.unit, co_units=[world.co_unit],
        requirements="一个月内答复",
    )
    assert opinion.status == S.ASSIGNED
    lead = opinion.assignments.get(role="lead")
    co = opinion.assignments.get(role="co")
    services.assignment_sign(assignment=co, by=world.co_officer)
    assert reload(opinion).status == S.HANDLING
    services.assignment_sign(assignment=lead, by=world.officer)
    services.assignment_contact(assignment=lead, by=world.officer, kind="before", note="与代表现场查看")
    services.assignment_reply(assignment=co, by=world.co_officer, result="A", content="已施划停车位")
    assert reload(opinion).status == S.HANDLING  # a co-unit's reply goes to the lead unit
    services.assignment_reply(assignment=lead, by=world.officer, result="A", content="已设置停车区并安排巡查")
    assert reload(opinion).status == S.REPLIED
    services.assignment_contact(assignment=lead, by=world.officer, kind="after", note="回访代表")
    opinion = services.suggestion_evaluate(suggestion=opinion, by=world.deputy_user, rating="satisfied")
    assert opinion.status == S.CLOSED and opinion.closed_at
    opinion = services.suggestion_feedback(suggestion=opinion, by=world.staff, channel="phone", note="电话告知")
    assert opinion.fed_back_at is not None
    opinion = services.suggestion_publish(suggestion=opinion, by=world.staff)
    assert opinion.is_public and opinion.published_at

    assert actions_of(opinion) == [
        "submit", "accept", "assign", "sign", "sign", "contact", "reply", "reply", "contact",
        "evaluate", "feedback", "publish",
    ]
    view = track(opinion.code.lower())
    assert view.current == opinion and view.status == S.CLOSED
    assert [entry.action for entry in view.timeline] == [
        "submit", "accept", "assign", "sign", "sign", "reply", "reply", "evaluate", "feedback", "publish",
    ]
    public_text = repr(view.timeline)
    for private in ("李四", "13911112222", world.officer.username, "已设置停车区", "电话告知"):
        assert private not in public_text


# --- 提 ---------------------------------------------------------------------------------------
def test_each_submission_gets_its_own_unguessable_tracking_code(world):
    codes = {world.submit().code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert re.fullmatch(f"[{TRACKING_CODE_ALPHABET}]{{12}}", code)
        assert not set(code) & set("01IOL")


def test_the_public_cannot_submit_a_deputys_suggestion(world):
    with pytest.raises(ActionNotPermitted):
        services.suggestion_submit(kind=SuggestionKind.DEPUTY_SUGGESTION, by=None, title="t", content="c",
                                   region=world.township, deputies=[world.deputy])
    assert not Suggestion.objects.exists()


def test_staff_cannot_submit_for_another_county(world):
    with pytest.raises(ActionNotPermitted):
        world.submit(region=world.other_township)


def test_a_deputy_submits_their_own_suggestion_and_leads_it(world):
    co_signer = DeputyFactory(region=world.township)
    suggestion = world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, by=world.deputy_user, deputies=[co_signer])
    links = list(suggestion.deputy_links.order_by("order"))
    assert [(link.deputy, link.role) for link in links] == [(world.deputy, "lead"), (co_signer, "co_signer")]
    assert suggestion.source == Source.DEPUTY and suggestion.session == "interim"


def test_a_deputys_suggestion_needs_a_lead_deputy(world):
    with pytest.raises(ValidationError) as excinfo:
        world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, deputies=[])
    assert "deputies" in excinfo.value.message_dict


@pytest.mark.parametrize("field", ["title", "content"])
def test_a_blank_title_or_content_is_refused(world, field):
    with pytest.raises(ValidationError) as excinfo:
        world.submit(**{field: "   "})
    assert field in excinfo.value.message_dict


def test_an_inactive_category_is_refused(world):
    with pytest.raises(ValidationError):
        world.submit(category=CategoryFactory(name="已停用类别", is_active=False))


def test_a_new_submission_is_announced_to_the_nearest_staff_only(world):
    suggestion = world.submit()
    assert notified(suggestion=suggestion) == {world.staff.username}


# --- attachments -----------------------------------------------------------------------------
def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("现场.pdf", b"%PDF-1.7\n...", "application/pdf"),
        ("照片.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20, "image/jpeg"),
        ("照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "image/png"),
        ("说明.docx", _docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("情况.txt", "路灯不亮".encode(), "text/plain"),
    ],
)
def test_attachments_of_allowed_types_are_stored_with_their_real_type(world, name, content, content_type):
    suggestion = world.submit(attachments=[SimpleUploadedFile(name, content, content_type="application/x-anything")])
    attachment = suggestion.attachments.get()
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert name not in attachment.file.name  # the stored name is random
    assert attachment.file.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("病毒.pdf", b"MZ\x90\x00" + b"\x00" * 20),  # an executable renamed
        ("压缩包.docx", _zip()),  # a zip that is not a Word file
        ("二进制.txt", b"abc\x00def"),
        ("空.txt", b""),
    ],
)
def test_attachments_are_checked_by_content_not_by_name(world, name, content):
    with pytest.raises(ValidationError):
        world.submit(attachments=[SimpleUploadedFile(name, content, content_type="application/pdf")])
    assert not Suggestion.objects.exists() and not Attachment.objects.exists()


def test_attachments_over_the_size_limit_are_refused(world, settings):
    settings.LIAISON = {**settings.LIAISON, "ATTACHMENT_MAX_BYTES": 100}
    suggestion = world.submit()
    with pytest.raises(ValidationError):
        services.attachment_add(suggestion=suggestion, by=world.staff,
                                file=SimpleUploadedFile("大.pdf", b"%PDF-" + b"0" * 200))
    services.attachment_add(suggestion=suggestion, by=world.staff, file=SimpleUploadedFile("小.pdf", b"%PDF-1"))
    assert suggestion.attachments.count() == 1


def test_only_staff_deputies_or_the_submitter_add_attachments(world):
    suggestion = world.submit()
    with pytest.raises(ActionNotPermitted):
        services.attachment_add(suggestion=suggestion, by=world.officer, file=SimpleUploadedFile("a.txt", b"x"))
    services.attachment_add(suggestion=suggestion, by=world.deputy_user, file=SimpleUploadedFile("a.txt", b"x"))


# --- 梳理 -------------------------------------------------------------------------------------
def test_decline_needs_a_reason(world):
    suggestion = world.submit()
    with pytest.raises(ValidationError):
        services.suggestion_decline(suggestion=suggestion, by=world.staff, reason=" ")
    assert reload(suggestion).status == S.SUBMITTED


def test_resolve_on_spot_is_a_reply_awaiting_evaluation(world):
    suggestion = services.suggestion_resolve_on_spot(suggestion=world.submit(), by=world.staff, note="当场协调")
    assert (suggestion.status, suggestion.route, suggestion.result) == (S.REPLIED, "on_spot", "A")
    assert notified(NotificationKind.REPLIED, suggestion=suggestion) == {world.deputy_user.username}


def test_a_merged_suggestion_is_tracked_through_the_one_it_went_into(world):
    target = world.submit(title="主件")
    merged = services.suggestion_merge(suggestion=world.submit(), by=world.staff, into=target, note="同一路段")
    assert merged.status == S.MERGED and merged.merged_into == target
    world.drive(target, S.REPLIED)
    view = track(merged.code)
    assert view.suggestion == merged and view.current == target and view.status == S.REPLIED
    assert [e.code for e in view.timeline][:2] == [merged.code, merged.code]
    assert view.timeline[1].action == "merge"
    assert view.timeline[-1].action == "reply" and view.timeline[-1].code == target.code


def test_merge_refuses_itself_and_dead_ends(world):
    suggestion = world.submit()
    with pytest.raises(ValidationError):
        services.suggestion_merge(suggestion=suggestion, by=world.staff, into=suggestion)
    declined = world.drive(world.submit(), S.DECLINED)
    with pytest.raises(ValidationError):
        services.suggestion_merge(suggestion=suggestion, by=world.staff, into=declined)
    assert reload(suggestion).status == S.SUBMITTED


def test_a_merged_suggestions_submitter_is_fed_back_once_the_target_is_answered(world):
    target = world.submit(title="主件")
    merged = services.suggestion_merge(suggestion=world.submit(), by=world.staff, into=target)
    with pytest.raises(InvalidTransition):
        services.suggestion_feedback(suggestion=merged, by=world.staff, channel="sms")
    world.drive(target, S.REPLIED)
    merged = services.suggestion_feedback(suggestion=merged, by=world.staff, channel="sms", note="短信告知")
    assert merged.fed_back_at is not None and merged.status == S.MERGED


def test_an_opinion_becomes_a_deputys_interim_suggestion(world):
    opinion = world.submit()
    suggestion = services.suggestion_convert_to_deputy_suggestion(suggestion=opinion, by=world.deputy_user)
    opinion = reload(opinion)
    assert suggestion.kind == SuggestionKind.DEPUTY_SUGGESTION and suggestion.session == "interim"
    assert suggestion.converted_from == opinion and suggestion.status == S.SUBMITTED
    assert list(suggestion.deputies.all()) == [world.deputy]
    assert suggestion.submitter_phone == ""  # the voter's details stay on the opinion
    assert opinion.status == S.MERGED and opinion.merged_into == suggestion
    assert actions_of(opinion)[-1] == "convert" and actions_of(suggestion) == ["submit"]
    assert track(opinion.code).current == suggestion
    with pytest.raises(InvalidTransition):
        services.suggestion_convert_to_deputy_suggestion(
            suggestion=world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION), by=world.staff
        )


def test_escalation_hands_the_suggestion_to_the_upper_level(world):
    suggestion = world.drive(world.submit(), S.ACCEPTED)
    suggestion = services.suggestion_escalate(suggestion=suggestion, by=world.staff)
    assert suggestion.escalated_to == world.county and suggestion.status == S.SUBMITTED
    suggestion = services.suggestion_escalate(suggestion=suggestion, by=world.staff, note="涉及市级事权")
    assert suggestion.escalated_to == world.city
    assert notified(NotificationKind.NOTICE, suggestion=suggestion) >= {world.city_staff.username}
    # The county no longer handles it; the city does.
    with pytest.raises(ActionNotPermitted):
        services.suggestion_accept(suggestion=suggestion, by=world.staff)
    services.suggestion_accept(suggestion=suggestion, by=world.city_staff)


def test_escalation_only_goes_up(world):
    suggestion = world.submit()
    with pytest.raises(ValidationError):
        services.suggestion_escalate(suggestion=suggestion, by=world.staff, to_region=world.other_county)
    with pytest.raises(ValidationError):
        services.suggestion_escalate(suggestion=suggestion, by=world.staff, to_region=world.township)


# --- 交 ---------------------------------------------------------------------------------------
def test_assign_defaults_the_deadlines_in_working_days(world, settings):
    settings.LIAISON = {**settings.LIAISON, "DEADLINE_WORKING_DAYS": {"district": 65}, "CO_UNIT_DEADLINE_WORKING_DAYS": 22}
    suggestion = world.drive(world.submit(), S.ACCEPTED)
    suggestion = services.suggestion_assign(suggestion=suggestion, by=world.staff, route="district",
                                            lead_unit=world.unit, co_units=[world.co_unit])
    calendar, today = WorkCalendar(), timezone.localdate()
    lead = suggestion.assignments.get(role="lead")
    co = suggestion.assignments.get(role="co")
    assert lead.deadline == calendar.add_working_days(today, 65)
    assert co.deadline == calendar.add_working_days(today, 22)
    assert notified(NotificationKind.ASSIGNED, assignment=lead) == {world.officer.username}
    assert notified(NotificationKind.ASSIGNED, assignment=co) == {world.co_officer.username}


def test_a_co_unit_is_never_due_after_the_lead(world):
    suggestion = world.drive(world.submit(), S.ACCEPTED)
    soon = timezone.localdate() + datetime.timedelta(days=3)
    suggestion = services.suggestion_assign(suggestion=suggestion, by=world.staff, route="grassroots",
                                            lead_unit=world.unit, co_units=[world.co_unit], deadline=soon)
    assert set(suggestion.assignments.values_list("deadline", flat=True)) == {soon}


@pytest.mark.parametrize("problem", ["past_deadline", "foreign_unit", "inactive_unit", "lead_is_co", "bad_route"])
def test_assign_refuses_bad_input_and_changes_nothing(world, problem):
    suggestion = world.drive(world.submit(), S.ACCEPTED)
    kwargs = {"route": "district", "lead_unit": world.unit, "co_units": [world.co_unit]}
    if problem == "past_deadline":
        kwargs["deadline"] = timezone.localdate() - datetime.timedelta(days=1)
    elif problem == "foreign_unit":
        kwargs["co_units"] = [world.foreign_unit]
    elif problem == "inactive_unit":
        kwargs["lead_unit"] = UnitFactory(region=world.county, is_active=False)
    elif problem == "lead_is_co":
        kwargs["co_units"] = [world.unit]
    else:
        kwargs["route"] = "teleport"
    with pytest.raises(ValidationError):
        services.suggestion_assign(suggestion=suggestion, by=world.staff, **kwargs)
    assert reload(suggestion).status == S.ACCEPTED
    assert not Assignment.objects.filter(suggestion=suggestion).exists()


# --- 办 ---------------------------------------------------------------------------------------
def test_a_returned_lead_sends_the_suggestion_back_for_reassignment(world):
    suggestion = world.drive(world.submit(), S.ASSIGNED)
    lead = suggestion.assignments.get(role="lead")
    services.assignment_return(assignment=lead, by=world.officer, reason="属于城管职责")
    suggestion = reload(suggestion)
    assert suggestion.status == S.ACCEPTED
    assert reload(lead).status == AssignmentStatus.RETURNED and reload(lead).return_reason == "属于城管职责"
    assert notified(NotificationKind.RETURNED, suggestion=suggestion) == {world.staff.username}
    # Reassigned to another lead; the co-unit keeps its part; the returning unit may be given it again later.
    new_lead = UnitFactory(region=world.county, name="潞州区市政公司")
    suggestion = services.suggestion_assign(suggestion=suggestion, by=world.staff, route="district", lead_unit=new_lead)
    assert suggestion.status == S.ASSIGNED
    assert set(suggestion.assignments.active().values_list("unit__name", "role")) == {
        ("潞州区市政公司", "lead"), ("潞州区城管局", "co"),
    }


def test_a_returned_co_unit_changes_nothing_else(world):
    suggestion = world.drive(world.submit(), S.ASSIGNED)
    services.assignment_return(assignment=suggestion.assignments.get(role="co"), by=world.co_officer, reason="无关")
    assert reload(suggestion).status == S.ASSIGNED


def test_reassigning_a_co_unit_that_signed_goes_straight_to_handling(world):
    suggestion = world.drive(world.submit(), S.ASSIGNED)
    services.assignment_sign(assignment=suggestion.assignments.get(role="co"), by=world.co_officer)
    services.assignment_return(assignment=suggestion.assignments.get(role="lead"), by=world.officer, reason="非本单位")
    suggestion = services.suggestion_assign(suggestion=reload(suggestion), by=world.staff, route="district",
                                            lead_unit=UnitFactory(region=world.county))
    assert suggestion.status == S.HANDLING


def test_a_unit_that_still_holds_it_cannot_be_assigned_it_twice(world):
    suggestion = world.drive(world.submit(), S.ASSIGNED)
    services.assignment_return(assignment=suggestion.assignments.get(role="lead"), by=world.officer, reason="非本单位")
    with pytest.raises(ValidationError):
        services.suggestion_assign(suggestion=reload(suggestion), by=world.staff, route="district", lead_unit=world.co_unit)


def test_return_is_refused_after_the_return_window(world, settings):
    settings.LIAISON = {**settings.LIAISON, "RETURN_WITHIN_WORKING_DAYS": 10}
    suggestion = world.drive(world.submit(), S.ASSIGNED)
    lead = suggestion.assignments.get(role="lead")
    Assignment.objects.filter(pk=lead.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    with pytest.raises(InvalidTransition):
        services.assignment_return(assignment=lead, by=world.officer, reason="太晚了")
    assert reload(lead).status == AssignmentStatus.PENDING


def test_reply_and_contact_validate_their_input(world):
    suggestion = world.drive(world.submit(), S.HANDLING)
    lead = suggestion.assignments.get(role="lead")
    with pytest.raises(ValidationError):
        services.assignment_reply(assignment=lead, by=world.officer, result="E", content="x")
    with pytest.raises(ValidationError):
        services.assignment_reply(assignment=lead, by=world.officer, result="A", content="")
    with pytest.raises(ValidationError):
        services.assignment_contact(assignment=lead, by=world.officer, kind="someday", note="x")
    assert reload(lead).status == AssignmentStatus.SIGNED


def test_a_result_b_reply_goes_on_the_follow_up_list(world, settings):
    settings.LIAISON = {**settings.LIAISON, "FOLLOW_UP_WORKING_DAYS": 40}
    suggestion = world.drive(world.submit(), S.HANDLING)
    lead = suggestion.assignments.get(role="lead")
    services.assignment_reply(assignment=lead, by=world.officer, result="B", content="已列入明年计划")
    follow_up = FollowUp.objects.get(suggestion=suggestion)
    assert follow_up.review_on == WorkCalendar().add_working_days(timezone.localdate(), 40)
    suggestion = services.suggestion_evaluate(suggestion=suggestion, by=world.deputy_user, rating="basically_satisfied")
    assert suggestion.status == S.CLOSED
    services.follow_up_complete(follow_up=follow_up, by=world.staff, note="已完工")
    assert reload(follow_up).done_at is not None
    with pytest.raises(InvalidTransition):
        services.follow_up_complete(follow_up=follow_up, by=world.staff, note="再次")


# --- 督 ---------------------------------------------------------------------------------------
def test_key_supervision_needs_a_leader_and_tells_them_and_the_units(world):
    suggestion = world.drive(world.submit(), S.HANDLING)
    with pytest.raises(ValidationError):
        services.suggestion_supervise(suggestion=suggestion, by=world.staff, level="key")
    with pytest.raises(ValidationError):
        services.suggestion_supervise(suggestion=suggestion, by=world.staff, level="key", leader=world.other_leader)
    suggestion = services.suggestion_supervise(suggestion=suggestion, by=world.staff, level="key", leader=world.leader)
    assert (suggestion.supervision, suggestion.supervision_leader) == (Supervision.KEY, world.leader)
    assert notified(NotificationKind.SUPERVISED, suggestion=suggestion) == {
        world.leader.username, world.officer.username, world.co_officer.username,
    }


def test_a_leader_who_supervises_leads_it(world):
    suggestion = world.drive(world.submit(), S.ASSIGNED)
    suggestion = services.suggestion_supervise(suggestion=suggestion, by=world.leader, level="key")
    assert suggestion.supervision_leader == world.leader


def test_a_bundle_supervises_similar_suggestions_together(world):
    first = world.drive(world.submit(), S.ASSIGNED)
    second = world.drive(world.submit(), S.HANDLING)
    bundle = services.bundle_create(by=world.staff, title="路灯问题", suggestions=[first, second], leader=world.leader)
    assert bundle.region == world.township and bundle.leader == world.leader
    for suggestion in (first, second):
        suggestion = reload(suggestion)
        assert suggestion.bundle == bundle and suggestion.supervision == Supervision.KEY
        assert actions_of(suggestion)[-1] == "bundle"
    with pytest.raises(ValidationError):
        services.bundle_create(by=world.staff, title="单件", suggestions=[first], leader=world.leader)


def test_a_bundle_with_one_suggestion_in_the_wrong_state_changes_nothing(world):
    good = world.drive(world.submit(), S.ASSIGNED)
    closed = world.drive(world.submit(), S.CLOSED)
    with pytest.raises(InvalidTransition):
        services.bundle_create(by=world.staff, title="x", suggestions=[good, closed], leader=world.leader)
    assert reload(good).bundle is None and reload(good).supervision == Supervision.NONE


def test_urging_tells_only_the_units_still_working(world):
    suggestion = world.drive(world.submit(), S.HANDLING)
    services.suggestion_urge(suggestion=suggestion, by=world.leader, note="请本周答复")
    assert notified(NotificationKind.URGED, suggestion=suggestion) == {world.officer.username, world.co_officer.username}
    co = suggestion.assignments.get(role="co")
    services.assignment_sign(assignment=co, by=world.co_officer)
    services.assignment_reply(assignment=co, by=world.co_officer, result="A", content="协办意见")
    Notification.objects.all().delete()
    services.suggestion_urge(suggestion=suggestion, by=world.leader)
    assert notified(NotificationKind.URGED, suggestion=suggestion) == {world.officer.username}


# --- 评 ---------------------------------------------------------------------------------------
def test_unsatisfied_sends_it_back_to_the_lead_unit_with_a_new_deadline(world, settings):
    settings.LIAISON = {**settings.LIAISON, "REHANDLE_WORKING_DAYS": 22}
    suggestion = world.drive(world.submit(), S.REPLIED)
    suggestion = services.suggestion_evaluate(suggestion=suggestion, by=world.deputy_user, rating="unsatisfied",
                                              comment="路灯仍不亮")
    lead = suggestion.assignments.get(role="lead")
    assert suggestion.status == S.HANDLING and suggestion.rehandle_count == 1 and suggestion.result == ""
    assert lead.status == AssignmentStatus.SIGNED and lead.reply == ""
    assert lead.deadline == WorkCalendar().add_working_days(timezone.localdate(), 22)
    assert notified(NotificationKind.REHANDLE, suggestion=suggestion) == {world.officer.username}
    # The second reply is evaluated afresh (round 1).
    services.assignment_reply(assignment=lead, by=world.officer, result="A", content="已更换灯具")
    suggestion = services.suggestion_evaluate(suggestion=reload(suggestion), by=world.deputy_user, rating="satisfied")
    assert suggestion.status == S.CLOSED
    assert list(suggestion.evaluations.values_list("round", "rating")) == [(0, "unsatisfied"), (1, "satisfied")]
    reply_events = Event.objects.filter(suggestion=suggestion, action=Action.REPLY)
    assert [e.note for e in reply_events] == ["已修复全部路灯。", "已更换灯具"]  # the old reply stays on record


def test_unsatisfied_after_an_on_the_spot_resolution_goes_back_to_staff(world):
    suggestion = services.suggestion_resolve_on_spot(suggestion=world.submit(), by=world.staff, note="当场答复")
    suggestion = services.suggestion_evaluate(suggestion=suggestion, by=world.deputy_user, rating="unsatisfied")
    assert suggestion.status == S.ACCEPTED and suggestion.rehandle_count == 1


def test_staff_record_a_voters_evaluation_but_not_for_a_deputys_suggestion(world):
    opinion = world.drive(world.submit(), S.REPLIED)
    services.suggestion_evaluate(suggestion=opinion, by=world.staff, rating="satisfied")
    assert opinion.evaluations.get().deputy is None
    suggestion = world.drive(world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION), S.REPLIED)
    with pytest.raises(ValidationError):
        services.suggestion_evaluate(suggestion=suggestion, by=world.staff, rating="satisfied")
    services.suggestion_evaluate(suggestion=suggestion, by=world.staff, rating="satisfied", deputy=world.deputy)
    assert suggestion.evaluations.get().deputy == world.deputy


def test_a_deputy_cannot_evaluate_in_someone_elses_name(world):
    suggestion = world.drive(world.submit(), S.REPLIED)
    someone = DeputyFactory(region=world.township)
    with pytest.raises(ActionNotPermitted):
        services.suggestion_evaluate(suggestion=suggestion, by=world.deputy_user, rating="satisfied", deputy=someone)
    with pytest.raises(ValidationError):
        services.suggestion_evaluate(suggestion=suggestion, by=world.staff, rating="satisfied", deputy=someone)
    with pytest.raises(ValidationError):
        services.suggestion_evaluate(suggestion=suggestion, by=world.deputy_user, rating="so-so")
    assert reload(suggestion).status == S.REPLIED


def test_publish_happens_once(world):
    suggestion = world.drive(world.submit(), S.CLOSED)
    services.suggestion_publish(suggestion=suggestion, by=world.staff)
    with pytest.raises(InvalidTransition):
        services.suggestion_publish(suggestion=suggestion, by=world.staff)
    assert actions_of(suggestion).count("publish") == 1


def test_feedback_counts_the_first_time_and_records_every_time(world):
    suggestion = world.drive(world.submit(), S.REPLIED)
    first = services.suggestion_feedback(suggestion=suggestion, by=world.staff, channel="phone").fed_back_at
    again = services.suggestion_feedback(suggestion=suggestion, by=world.staff, channel="in_person").fed_back_at
    assert first == again and suggestion.feedbacks.count() == 2
    with pytest.raises(ValidationError):
        services.suggestion_feedback(suggestion=suggestion, by=world.staff, channel="pigeon")


# --- notices ----------------------------------------------------------------------------------
def test_notices_are_delivered_after_commit_only(world, django_capture_on_commit_callbacks, monkeypatch):
    calls = []
    monkeypatch.setattr("suggestions.tasks.deliver_notifications.delay", lambda: calls.append(1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        world.submit()
    assert len(callbacks) == 1 and calls == [1]
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ActionNotPermitted):
        world.submit(region=world.other_township)
    assert calls == [1]  # a refused step enqueues nothing


def test_a_broker_that_is_down_does_not_break_a_committed_step(world, django_capture_on_commit_callbacks, monkeypatch):
    def down():
        raise ConnectionError("broker down")

    monkeypatch.setattr("suggestions.tasks.deliver_notifications.delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = world.submit()
    assert Notification.objects.filter(suggestion=suggestion, emailed_at__isnull=True).exists()  # the outbox keeps it


def test_mark_read_only_ones_own(world):
    suggestion = world.submit()
    notice = Notification.objects.get(suggestion=suggestion, recipient=world.staff)
    with pytest.raises(ActionNotPermitted):
        services.notification_mark_read(notification=notice, by=world.city_staff)
    read = services.notification_mark_read(notification=notice, by=world.staff)
    assert read.read_at is not None
    assert services.notification_mark_read(notification=notice, by=world.staff).read_at == read.read_at


def test_inactive_users_get_no_notices(world):
    world.staff.is_active = False
    world.staff.save(update_fields=["is_active"])
    other = UserFactory(role="staff", region=world.county)
    suggestion = world.submit(by=other)
    assert notified(suggestion=suggestion) == {other.username}
