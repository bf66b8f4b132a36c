"""The staff's workbench, 回头看 pages, 打捆督办 from the board, the 反馈单, 反馈 by the unit and
延期 on the pages."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from liaison.models import Role
from suggestions.models import Action, Event, FollowUp, Status, Suggestion, SupervisionBundle
from suggestions.services.closing import suggestion_evaluate
from suggestions.services.handling import assignment_reply, assignment_sign
from suggestions.services.intake import suggestion_accept
from tests.factories import UserFactory

from .pages import assigned, page_text, replied, submitted


def _listed(response) -> set[int]:
    return {s.pk for s in response.context["page"].object_list}


def test_every_state_has_its_list_with_a_count(staff_client, world):
    waiting = submitted(world, title="待审")
    accepted = suggestion_accept(suggestion=submitted(world, title="待交"), by=world["staff"])
    handling = assigned(world)
    answered = replied(world)
    closed = suggestion_evaluate(suggestion=replied(world), by=world["deputy"].user, rating="satisfied")
    url = reverse("suggestions:worklist")
    expected = {"review": waiting, "assign": accepted, "handling": handling, "replied": answered, "closed": closed}
    for tab, item in expected.items():
        response = staff_client.get(url, {"tab": tab})
        assert _listed(response) == {item.pk}, tab
    counts = {key: n for key, _label, n in staff_client.get(url).context["tabs"]}
    assert counts == {"review": 1, "assign": 1, "handling": 1, "replied": 1, "closed": 1, "published": 0, "all": 5}


def test_accepting_from_the_review_list_asks_first_and_the_item_stays_findable(staff_client, world):
    item = submitted(world, title="门前积水")
    review = page_text(staff_client.get(reverse("suggestions:review_queue")))
    accept_url = reverse("suggestions:act", args=[item.pk, "accept"])
    assert f'action="{accept_url}"' not in review  # no one-click form in the row
    assert accept_url in review
    confirm = staff_client.get(accept_url)
    assert confirm.status_code == 200 and "受理此事项" in page_text(confirm)
    assert Suggestion.objects.get(pk=item.pk).status == Status.SUBMITTED
    done = staff_client.post(accept_url + "?next=/work/items/%3Ftab%3Dassign", {"accept-note": ""})
    assert done.status_code == 302 and done["Location"] == "/work/items/?tab=assign"
    assert _listed(staff_client.get(reverse("suggestions:worklist"), {"tab": "assign"})) == {item.pk}


def test_search_by_code_title_and_deputy(staff_client, world):
    item = submitted(world, title="桥头路灯")
    other = submitted(world, title="菜市场噪音", deputies=[world["colleague"]])
    url = reverse("suggestions:worklist")
    assert _listed(staff_client.get(url, {"q": item.code.lower()})) == {item.pk}
    assert _listed(staff_client.get(url, {"q": "路灯"})) == {item.pk}
    assert _listed(staff_client.get(url, {"q": "李同事"})) == {other.pk}
    assert staff_client.get(url, {"q": "路灯"}).context["tab"] == "all"


def test_search_by_the_voters_phone_only_for_those_who_may_see_it(client, world):
    item = submitted(world, submitter_phone="13911112222")
    url = reverse("suggestions:worklist")
    client.force_login(world["staff"])
    assert _listed(client.get(url, {"q": "13911112222"})) == {item.pk}
    assert _listed(client.get(url, {"q": "1111"})) == {item.pk}
    # A city leader sees the item but only by other means; a foreign county's staff sees nothing.
    foreign = UserFactory(role=Role.STAFF, region=world["other_county"])
    client.force_login(foreign)
    assert _listed(client.get(url, {"q": "13911112222"})) == set()


def test_the_workbench_is_for_staff_and_leaders(client, world):
    client.force_login(world["officer"])
    assert client.get(reverse("suggestions:worklist")).status_code == 403
    client.force_login(world["deputy"].user)
    assert client.get(reverse("suggestions:worklist")).status_code == 403


def test_replied_items_offer_feedback_close_and_sign_off_through_their_step_pages(staff_client, world):
    item = replied(world)
    text = page_text(staff_client.get(reverse("suggestions:worklist"), {"tab": "replied"}))
    for action in ("feedback", "close", "sign_off"):
        assert reverse("suggestions:act", args=[item.pk, action]) in text


# --- 回头看 --------------------------------------------------------------------------------------
def _replied_b(world):
    suggestion = assigned(world)
    lead = suggestion.assignments.get()
    assignment_sign(assignment=lead, by=world["officer"])
    assignment_reply(assignment=lead, by=world["officer"], result="B", content="列入明年计划")
    return Suggestion.objects.get(pk=suggestion.pk)


def test_follow_up_worklist_and_completion_on_the_pages(staff_client, world):
    item = _replied_b(world)
    follow_up = FollowUp.objects.get(suggestion=item)
    due = staff_client.get(reverse("suggestions:follow_ups"), {"state": "due"})
    assert [f.pk for f in due.context["page"].object_list] == [follow_up.pk]
    url = reverse("suggestions:follow_up_complete", args=[follow_up.pk])
    missing = staff_client.post(url, {"follow_up-note": "仍在施工"})  # not solved, no date
    assert missing.status_code == 400 and "next_review_on" in missing.context["form"].errors
    assert FollowUp.objects.get(pk=follow_up.pk).done_at is None
    next_on = timezone.localdate() + datetime.timedelta(days=20)
    staff_client.post(url, {"follow_up-note": "仍在施工", "follow_up-next_review_on": next_on.isoformat()})
    assert FollowUp.objects.get(pk=follow_up.pk).outcome == "not_solved"
    fresh = FollowUp.objects.get(suggestion=item, done_at__isnull=True)
    assert fresh.review_on == next_on
    staff_client.post(reverse("suggestions:follow_up_complete", args=[fresh.pk]),
                      {"follow_up-note": "已装好", "follow_up-solved": "on"})
    done = staff_client.get(reverse("suggestions:follow_ups"), {"state": "done"})
    assert {f.pk for f in done.context["page"].object_list} == {follow_up.pk, fresh.pk}
    assert reverse("suggestions:act", args=[item.pk, "sign_off"]) in page_text(done)


def test_follow_up_pages_are_staffs_in_scope(client, world):
    follow_up = FollowUp.objects.get(suggestion=_replied_b(world))
    client.force_login(world["officer"])
    assert client.get(reverse("suggestions:follow_ups")).status_code == 403
    client.force_login(UserFactory(role=Role.STAFF, region=world["other_county"]))
    assert client.get(reverse("suggestions:follow_up_complete", args=[follow_up.pk])).status_code == 404


# --- 打捆督办 on the board ---------------------------------------------------------------------------
def test_bundle_from_the_board_and_urge_it(staff_client, world):
    items = [assigned(world) for _i in range(3)]
    leader = UserFactory(role=Role.LEADER, region=world["county"])
    board = staff_client.get(reverse("suggestions:supervision"), {"tab": "all"})
    assert leader in list(board.context["leaders"])
    response = staff_client.post(reverse("suggestions:bundle_new"), {
        "title": "路面问题打捆督办", "suggestions": [s.pk for s in items], "leader": leader.pk, "tab": "all",
    })
    assert response.status_code == 302
    bundle = SupervisionBundle.objects.get()
    assert set(bundle.suggestions.values_list("pk", flat=True)) == {s.pk for s in items}
    board = page_text(staff_client.get(reverse("suggestions:supervision")))
    assert "路面问题打捆督办" in board and "在办 3" in board
    staff_client.post(reverse("suggestions:bundle_urge", args=[bundle.pk]), {"note": "本周内答复"})
    assert Event.objects.filter(action=Action.URGE, suggestion__in=items).count() == 3


def test_a_bad_bundle_from_the_board_says_why_and_makes_nothing(staff_client, world):
    item = assigned(world)
    response = staff_client.post(reverse("suggestions:bundle_new"), {"title": "单件", "suggestions": [item.pk]},
                                 follow=True)
    assert "至少需要两件" in page_text(response)
    assert not SupervisionBundle.objects.exists()


def test_the_board_shows_three_colours(staff_client, world):
    assigned(world)
    board = staff_client.get(reverse("suggestions:supervision"))
    assert [tier for tier, _n in board.context["colours"]] == ["on_track", "due_soon", "overdue"]
    assert sum(n for _tier, n in board.context["colours"]) == 1


# --- 反馈单, 反馈 by the unit, 延期 --------------------------------------------------------------------
def test_the_feedback_sheet_is_addressed_to_office_deputy_and_voter(staff_client, world):
    item = replied(world)
    page = page_text(staff_client.get(reverse("suggestions:feedback_sheet", args=[item.pk])))
    assert "意见建议督办反馈单" in page and f"{world['county'].name}人大常委会" in page and "王秀英" in page
    assert "张三" in page and "13812345678" in page and "已修复路灯。" in page
    pdf = staff_client.get(reverse("suggestions:feedback_sheet_pdf", args=[item.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_unit_sees_the_voter_masked_on_the_sheet(officer_client, world):
    item = replied(world)
    page = page_text(officer_client.get(reverse("suggestions:feedback_sheet", args=[item.pk])))
    assert "13812345678" not in page and "138****5678" in page and "张三" not in page


def test_the_sheet_of_someone_elses_item_is_404(client, world):
    item = replied(world)
    client.force_login(world["co_officer"])
    assert client.get(reverse("suggestions:feedback_sheet", args=[item.pk])).status_code == 404
    assert client.get(reverse("suggestions:feedback_sheet_pdf", args=[item.pk])).status_code == 404


def test_the_unit_feeds_back_from_its_task_page(officer_client, world):
    item = replied(world)
    lead = item.assignments.get()
    page = page_text(officer_client.get(reverse("suggestions:assignment", args=[lead.pk])))
    url = reverse("suggestions:act", args=[item.pk, "feedback"])
    assert url in page
    officer_client.post(url, {"feedback-channel": "phone", "feedback-note": "已电话告知"})
    assert Suggestion.objects.get(pk=item.pk).fed_back_at is not None


def test_extension_asked_on_the_task_page_and_decided_from_the_item_page(client, world):
    item = assigned(world)
    lead = item.assignments.get()
    client.force_login(world["officer"])
    new = lead.deadline + datetime.timedelta(days=15)
    client.post(reverse("suggestions:assignment_act", args=[lead.pk, "request_extension"]), {
        "request_extension-deadline": new.isoformat(), "request_extension-reason": "需协调资金",
    })
    client.force_login(world["staff"])
    detail = page_text(client.get(reverse("suggestions:detail", args=[item.pk])))
    decide = reverse("suggestions:assignment_act", args=[lead.pk, "decide_extension"])
    assert "待审批" in detail and decide in detail
    client.post(decide, {"decide_extension-approve": "on", "decide_extension-note": "同意"})
    lead.refresh_from_db()
    assert lead.deadline == new and lead.extension_approved is True


def test_the_deputy_feeds_back_from_the_items_page(deputy_client, world):
    item = replied(world)
    page = page_text(deputy_client.get(reverse("suggestions:detail", args=[item.pk])))
    assert reverse("suggestions:act", args=[item.pk, "feedback"]) in page
    deputy_client.post(reverse("suggestions:act", args=[item.pk, "feedback"]),
                       {"feedback-channel": "in_person", "feedback-note": "当面告知"})
    assert Suggestion.objects.get(pk=item.pk).feedbacks.get().by == world["deputy"].user


def test_the_items_page_lists_its_follow_ups_with_the_way_to_complete_them(staff_client, world):
    item = _replied_b(world)
    follow_up = FollowUp.objects.get(suggestion=item)
    page = page_text(staff_client.get(reverse("suggestions:detail", args=[item.pk])))
    assert "回头看" in page and reverse("suggestions:follow_up_complete", args=[follow_up.pk]) in page


def test_the_rating_page_shows_an_on_the_spot_answer_too(deputy_client, world):
    from suggestions.services.intake import suggestion_resolve_on_spot

    item = suggestion_resolve_on_spot(suggestion=submitted(world), by=world["staff"], note="代表当场协调，已修好。")
    page = page_text(deputy_client.get(reverse("suggestions:act", args=[item.pk, "evaluate"])))
    assert "代表当场协调，已修好。" in page
