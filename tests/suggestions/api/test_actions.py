"""The workflow through the API alone: every action, its 409s and 403s, attachments, notifications."""

import io
import json

from suggestions.models import AssignmentStatus, Attachment, Event, Notification, Status, Suggestion
from tests.factories import NotificationFactory

API = "/api/v1"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def post(client, path, body=None, **kwargs):
    return client.post(f"{API}/{path}", body or {}, format=kwargs.pop("format", "json"), **kwargs)


def refused(client, path, body, suggestion, *, status=409):
    """The step is refused with `status` and changes nothing."""
    before = (Suggestion.objects.get(pk=suggestion.pk).status, Event.objects.filter(suggestion=suggestion).count())
    response = post(client, path, body)
    assert response.status_code == status, response.content
    if status == 409:
        assert response.json()["code"] == "invalid_transition" and response.json()["detail"]
    assert (Suggestion.objects.get(pk=suggestion.pk).status, Event.objects.filter(suggestion=suggestion).count()) == before
    return response


def test_a_voters_opinion_goes_the_whole_way_through_the_api(world, api_for):
    public, staff, officer = api_for(), api_for(world.staff), api_for(world.officer)
    co_officer, deputy = api_for(world.co_officer), api_for(world.deputy_user)

    # 提: a voter writes to their deputy, without an account.
    response = post(public, "public/opinions/", {
        "title": "小区门口路灯不亮", "content": "晚上出行不安全，请尽快修复。", "category": world.category.pk,
        "region": world.township.code, "deputy": world.deputy.pk,
        "submitter_name": "王小明", "submitter_phone": "13900001111",
    })
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    suggestion = Suggestion.objects.get(code=code)
    sid = suggestion.pk
    assert suggestion.status == Status.SUBMITTED

    # Nothing but acceptance or its alternatives is possible yet.
    for path, body in [
        (f"suggestions/{sid}/assign/", {"route": "district", "lead_unit": world.unit.pk}),
        (f"suggestions/{sid}/evaluate/", {"rating": "satisfied"}),
        (f"suggestions/{sid}/close/", {}),
        (f"suggestions/{sid}/publish/", {}),
        (f"suggestions/{sid}/feedback/", {"channel": "phone"}),
        (f"suggestions/{sid}/supervise/", {"level": "normal"}),
        (f"suggestions/{sid}/urge/", {}),
    ]:
        refused(staff, path, body, suggestion)

    # 梳理 → 交: staff accept it and assign a lead and a co-unit.
    response = post(staff, f"suggestions/{sid}/accept/", {"note": "符合受理条件"})
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    refused(staff, f"suggestions/{sid}/accept/", {}, suggestion)
    response = post(staff, f"suggestions/{sid}/assign/", {
        "route": "district", "lead_unit": world.unit.pk, "co_units": [world.co_unit.pk], "requirements": "请与代表见面沟通",
    })
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "assigned" and body["route"] == "district" and body["deadline"]
    assignments = {a["role"]: a for a in body["assignments"]}
    lead, co = assignments["lead"]["id"], assignments["co"]["id"]
    assert assignments["lead"]["unit"] == world.unit.pk and assignments["co"]["unit"] == world.co_unit.pk
    refused(staff, f"suggestions/{sid}/assign/", {"route": "district", "lead_unit": world.unit.pk}, suggestion)

    # 办: the units sign, meet the deputy and reply.
    refused(officer, f"assignments/{lead}/reply/", {"result": "A", "content": "已修复"}, suggestion)
    refused(officer, f"assignments/{lead}/contact/", {"kind": "before", "note": "见面"}, suggestion)
    response = post(officer, f"assignments/{lead}/sign/")
    assert response.status_code == 200 and response.json()["status"] == "signed"
    assert Suggestion.objects.get(pk=sid).status == Status.HANDLING
    refused(officer, f"assignments/{lead}/sign/", {}, suggestion)
    assert post(co_officer, f"assignments/{co}/sign/").status_code == 200
    response = post(officer, f"assignments/{lead}/contact/", {"kind": "before", "note": "与代表现场查看"})
    assert response.status_code == 200
    assert [c["kind"] for c in response.json()["contacts"]] == ["before"]
    assert post(co_officer, f"assignments/{co}/reply/", {"result": "A", "content": "配合完成线路检修"}).status_code == 200
    assert Suggestion.objects.get(pk=sid).status == Status.HANDLING
    refused(staff, f"suggestions/{sid}/publish/", {}, suggestion)
    response = post(officer, f"assignments/{lead}/reply/", {"result": "A", "content": "已更换全部路灯。"})
    assert response.status_code == 200 and response.json()["status"] == "replied"
    assert Suggestion.objects.get(pk=sid).status == Status.REPLIED
    refused(officer, f"assignments/{lead}/reply/", {"result": "A", "content": "再答复"}, suggestion)

    # 评: the deputy is satisfied, which closes it.
    refused(staff, f"suggestions/{sid}/publish/", {}, suggestion)
    response = post(deputy, f"suggestions/{sid}/evaluate/", {"rating": "satisfied", "comment": "群众满意"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "closed"
    assert body["evaluation"]["rating"] == "satisfied" and body["evaluation"]["deputy"] == world.deputy.pk
    refused(deputy, f"suggestions/{sid}/evaluate/", {"rating": "satisfied"}, suggestion)
    refused(staff, f"suggestions/{sid}/close/", {}, suggestion)

    # 反馈 and 公示.
    response = post(staff, f"suggestions/{sid}/feedback/", {"channel": "phone", "note": "电话告知王小明"})
    assert response.status_code == 200 and response.json()["fed_back_at"]
    response = post(staff, f"suggestions/{sid}/publish/")
    assert response.status_code == 200 and response.json()["is_public"] is True
    refused(staff, f"suggestions/{sid}/publish/", {}, suggestion)

    # The whole timeline is public by the code, with no personal data.
    response = public.get(f"{API}/public/track/{code}/")
    assert response.status_code == 200
    track = response.json()
    assert track["status"] == "closed" and track["result"] == "A"
    assert track["submitter"] == "王**"
    actions = [entry["action"] for entry in track["timeline"]]
    assert actions == ["submit", "accept", "assign", "sign", "sign", "reply", "reply", "evaluate", "feedback", "publish"]
    text = json.dumps(track, ensure_ascii=False)
    for secret in ("13900001111", "王小明", "电话告知", "与代表现场查看", world.officer.name, world.staff.name):
        assert secret not in text


def test_detail_lists_the_actions_the_caller_may_take_now(world, api_for):
    suggestion = world.submit()
    body = api_for(world.staff).get(f"{API}/suggestions/{suggestion.pk}/").json()
    assert {"accept", "decline", "resolve_on_spot", "merge"} <= set(body["allowed_actions"])
    assert api_for(world.deputy_user).get(f"{API}/suggestions/{suggestion.pk}/").json()["allowed_actions"] == ["resolve_on_spot", "convert"]  # the receiving deputy (接待代表)


def test_a_role_that_may_never_take_the_step_gets_403_and_nothing_changes(world, api_for):
    suggestion = world.drive(world.submit(), Status.ASSIGNED)
    response = refused(api_for(world.officer), f"suggestions/{suggestion.pk}/urge/", {}, suggestion, status=403)
    assert response.json()["code"] == "permission_denied"
    lead = suggestion.assignments.get(role="lead")
    # The deputy sees the assignments of their suggestion but does not handle them.
    refused(api_for(world.deputy_user), f"assignments/{lead.pk}/sign/", {}, suggestion, status=403)
    # Another unit's officer does not even see this unit's part.
    refused(api_for(world.co_officer), f"assignments/{lead.pk}/sign/", {}, suggestion, status=404)


def test_objects_outside_the_callers_sight_are_404(world, api_for):
    suggestion = world.drive(world.submit(), Status.ASSIGNED)
    lead = suggestion.assignments.get(role="lead")
    for user in (world.other_staff, world.foreign_officer, world.other_deputy_user):
        client = api_for(user)
        assert post(client, f"suggestions/{suggestion.pk}/urge/").status_code == 404
        assert post(client, f"assignments/{lead.pk}/sign/").status_code == 404
    assert Suggestion.objects.get(pk=suggestion.pk).status == Status.ASSIGNED


def test_bad_bodies_are_400_with_field_errors(world, api_for):
    staff = api_for(world.staff)
    suggestion = world.submit()
    response = post(staff, f"suggestions/{suggestion.pk}/decline/", {"reason": ""})
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    accepted = world.drive(world.submit(), Status.ACCEPTED)
    for body, field in [
        ({"route": "nowhere", "lead_unit": world.unit.pk}, "route"),
        ({"route": "district"}, "lead_unit"),
        ({"route": "district", "lead_unit": world.foreign_unit.pk}, "lead_unit"),
        ({"route": "district", "lead_unit": 2**70}, "lead_unit"),
        ({"route": "district", "lead_unit": "abc"}, "lead_unit"),
        ({"route": "district", "lead_unit": world.unit.pk, "co_units": [world.unit.pk]}, "co_units"),
        ({"route": "district", "lead_unit": world.unit.pk, "deadline": "2020-01-01"}, "deadline"),
        ({"route": "district", "lead_unit": world.unit.pk, "deadline": "tomorrow"}, "deadline"),
    ]:
        response = post(staff, f"suggestions/{accepted.pk}/assign/", body)
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()["errors"], (body, response.json())
    assert Suggestion.objects.get(pk=accepted.pk).status == Status.ACCEPTED
    # The state is checked before the body: the same refusal whatever was posted.
    response = post(api_for(world.deputy_user), f"suggestions/{accepted.pk}/evaluate/", {"rating": "great"})
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    replied = world.drive(world.submit(), Status.REPLIED)
    response = post(api_for(world.deputy_user), f"suggestions/{replied.pk}/evaluate/", {"rating": "great"})
    assert response.status_code == 400 and "rating" in response.json()["errors"]
    response = post(api_for(world.deputy_user), f"suggestions/{replied.pk}/evaluate/", {"rating": "unsatisfied"})
    assert response.status_code == 400 and "comment" in response.json()["errors"]
    assert Suggestion.objects.get(pk=replied.pk).status == Status.REPLIED
    response = staff.post(f"{API}/suggestions/{accepted.pk}/accept/", "not json", content_type="application/json")
    assert response.status_code == 400


def test_decline_resolve_on_the_spot_and_rehandling(world, api_for):
    staff, deputy = api_for(world.staff), api_for(world.deputy_user)
    declined = world.submit()
    response = post(staff, f"suggestions/{declined.pk}/decline/", {"reason": "属于诉讼程序"})
    assert response.status_code == 200 and response.json()["status"] == "declined"
    refused(staff, f"suggestions/{declined.pk}/accept/", {}, declined)

    on_spot = world.submit()
    response = post(staff, f"suggestions/{on_spot.pk}/resolve-on-spot/", {"note": "代表当场协调解决"})
    assert response.status_code == 200 and response.json()["status"] == "replied"
    assert response.json()["route"] == "on_spot" and response.json()["result"] == "A"
    response = post(deputy, f"suggestions/{on_spot.pk}/evaluate/", {"rating": "unsatisfied", "comment": "没解决"})
    assert response.status_code == 200 and response.json()["status"] == "accepted"

    handled = world.drive(world.submit(), Status.REPLIED)
    response = post(deputy, f"suggestions/{handled.pk}/evaluate/", {"rating": "unsatisfied", "comment": "路灯仍不亮"})
    body = response.json()
    assert body["status"] == "handling" and body["rehandle_count"] == 1
    lead = next(a for a in body["assignments"] if a["role"] == "lead")
    assert lead["status"] == "signed"


def test_close_without_evaluation_is_for_staff(world, api_for):
    suggestion = world.drive(world.submit(), Status.REPLIED)
    refused(api_for(world.deputy_user), f"suggestions/{suggestion.pk}/close/", {}, suggestion, status=403)
    response = post(api_for(world.staff), f"suggestions/{suggestion.pk}/close/", {"note": "代表逾期未评价"})
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_merge_then_the_merged_code_follows_the_target(world, api_for):
    staff = api_for(world.staff)
    target, merged = world.submit(title="同一路段路灯问题"), world.submit()
    foreign = world.submit(region=world.other_township, by=world.other_staff)
    response = post(staff, f"suggestions/{merged.pk}/merge/", {"into": foreign.pk})
    assert response.status_code == 400 and "into" in response.json()["errors"]
    response = post(staff, f"suggestions/{merged.pk}/merge/", {"into": target.pk, "note": "同一问题"})
    assert response.status_code == 200
    assert response.json()["status"] == "merged" and response.json()["merged_into_code"] == target.code
    post(staff, f"suggestions/{target.pk}/accept/")
    track = api_for().get(f"{API}/public/track/{merged.code}/").json()
    assert track["status"] == "accepted" and track["merged_into_code"] == target.code
    assert [e["action"] for e in track["timeline"]] == ["submit", "merge", "submit", "accept"]


def test_supervise_urge_and_notifications(world, api_for):
    staff, officer = api_for(world.staff), api_for(world.officer)
    suggestion = world.drive(world.submit(), Status.ASSIGNED)
    response = post(staff, f"suggestions/{suggestion.pk}/supervise/", {"level": "key"})
    assert response.status_code == 400 and "leader" in response.json()["errors"]
    response = post(staff, f"suggestions/{suggestion.pk}/supervise/", {"level": "key", "leader": world.leader.pk, "note": "重点督办"})
    assert response.status_code == 200 and response.json()["supervision"] == "key"
    assert response.json()["supervision_leader"] == world.leader.pk
    assert post(api_for(world.leader), f"suggestions/{suggestion.pk}/urge/", {"note": "请加快办理"}).status_code == 200

    inbox = officer.get(f"{API}/notifications/", {"kind": "urged"}).json()
    assert inbox["count"] == 1 and inbox["results"][0]["suggestion_code"] == suggestion.code
    notice = inbox["results"][0]["id"]
    response = post(officer, f"notifications/{notice}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert officer.get(f"{API}/notifications/", {"unread": "true", "kind": "urged"}).json()["count"] == 0
    assert post(api_for(world.co_officer), f"notifications/{notice}/read/").status_code == 404
    other = NotificationFactory(recipient=world.staff)
    assert officer.get(f"{API}/notifications/{other.pk}/").status_code == 404


def test_return_sends_a_lead_back_to_staff(world, api_for):
    suggestion = world.drive(world.submit(), Status.ASSIGNED)
    lead = suggestion.assignments.get(role="lead")
    response = post(api_for(world.officer), f"assignments/{lead.pk}/return/", {"reason": ""})
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    response = post(api_for(world.officer), f"assignments/{lead.pk}/return/", {"reason": "不属于本单位职责"})
    assert response.status_code == 200
    assert response.json()["status"] == AssignmentStatus.RETURNED and response.json()["return_reason"] == "不属于本单位职责"
    assert Suggestion.objects.get(pk=suggestion.pk).status == Status.ACCEPTED


def test_convert_and_escalate(world, api_for):
    opinion = world.submit()
    response = post(api_for(world.deputy_user), f"suggestions/{opinion.pk}/convert/", {"note": "转为闭会建议"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "deputy_suggestion" and body["status"] == "submitted"
    assert body["deputies"][0] == {"id": world.deputy.pk, "name": world.deputy.name, "role": "lead", "consent": "confirmed"}
    assert Suggestion.objects.get(pk=opinion.pk).merged_into_id == body["id"]

    other = world.submit()
    response = post(api_for(world.staff), f"suggestions/{other.pk}/escalate/", {"note": "涉及市级事权"})
    # the county's staff: to the city, one level above their own (not the county itself)
    assert response.status_code == 200 and response.json()["escalated_to"] == world.city.code
    response = post(api_for(world.staff), f"suggestions/{world.submit().pk}/escalate/", {"to_region": world.township.code})
    assert response.status_code == 400 and "to_region" in response.json()["errors"]


def test_attachments_are_checked_by_content_and_downloaded_by_those_who_see_the_suggestion(world, api_for):
    staff = api_for(world.staff)
    suggestion = world.submit()
    upload = io.BytesIO(PNG)
    upload.name = "现场照片.png"
    response = staff.post(f"{API}/suggestions/{suggestion.pk}/attachments/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    attachment = response.json()
    assert attachment["content_type"] == "image/png" and attachment["original_name"] == "现场照片.png"

    fake = io.BytesIO(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00")
    fake.name = "照片.png"
    response = staff.post(f"{API}/suggestions/{suggestion.pk}/attachments/", {"file": fake}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["errors"]
    response = staff.post(f"{API}/suggestions/{suggestion.pk}/attachments/", {}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["errors"]

    response = staff.get(f"{API}/suggestions/{suggestion.pk}/attachments/{attachment['id']}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert api_for(world.other_staff).get(f"{API}/suggestions/{suggestion.pk}/attachments/{attachment['id']}/").status_code == 404
    detail = staff.get(f"{API}/suggestions/{suggestion.pk}/").json()
    assert [a["id"] for a in detail["attachments"]] == [attachment["id"]]
    stored = Attachment.objects.get(pk=attachment["id"])
    stored.file.storage.delete(stored.file.name)
    assert staff.get(f"{API}/suggestions/{suggestion.pk}/attachments/{attachment['id']}/").status_code == 404

    closed = world.drive(world.submit(), Status.CLOSED)
    upload.seek(0)
    response = staff.post(f"{API}/suggestions/{closed.pk}/attachments/", {"file": upload}, format="multipart")
    assert response.status_code == 409


def test_notifications_are_the_callers_own(world, api_for):
    world.drive(world.submit(), Status.ASSIGNED)
    mine = Notification.objects.filter(recipient=world.officer).count()
    assert mine > 0
    body = api_for(world.officer).get(f"{API}/notifications/").json()
    assert body["count"] == mine
    assert api_for(world.foreign_officer).get(f"{API}/notifications/").json()["count"] == 0


def test_query_parameters_on_an_action_are_ignored(world, api_for):
    suggestion = world.submit()
    response = api_for(world.staff).post(
        f"{API}/suggestions/{suggestion.pk}/accept/?ordering=deadline&overdue=true&status=closed", {}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "accepted"
