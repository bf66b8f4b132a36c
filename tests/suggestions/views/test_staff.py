"""One suggestion's page and the staff's steps, 交办, the review queue, the supervision board."""

import datetime

from django.urls import reverse
from django.utils import timezone

from liaison.models import Role
from suggestions.models import Status, SupervisionBundle, sync_lead_deadline
from suggestions.services.intake import suggestion_accept
from tests.factories import SuggestionFactory, UserFactory
from tests.suggestions.views.pages import assigned, page_text, replied, submitted


def test_review_queue_lists_submitted_items_in_my_region(staff_client, world, django_assert_max_num_queries):
    mine = [submitted(world, title=f"待审{i}") for i in range(3)]
    SuggestionFactory(region=world["other_township"], title="外区的")
    with django_assert_max_num_queries(8):
        response = staff_client.get(reverse("suggestions:review_queue"))
    assert [s.pk for s in response.context["page"].object_list] == [s.pk for s in mine]
    assert "外区的" not in page_text(response)


def test_review_queue_is_for_staff(client, world):
    client.force_login(world["officer"])
    assert client.get(reverse("suggestions:review_queue")).status_code == 403


def test_staff_accepts_from_the_queue(staff_client, world):
    suggestion = submitted(world)
    queue = reverse("suggestions:review_queue")
    response = staff_client.post(reverse("suggestions:act", args=[suggestion.pk, "accept"]), {"next": queue})
    assert response["Location"] == queue
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ACCEPTED


def test_staff_decline_needs_a_reason(staff_client, world):
    suggestion = submitted(world)
    url = reverse("suggestions:act", args=[suggestion.pk, "decline"])
    refused = staff_client.post(url, {"decline-reason": ""})
    assert refused.status_code == 400
    staff_client.post(url, {"decline-reason": "不属于人大工作范围"})
    suggestion.refresh_from_db()
    assert suggestion.status == Status.DECLINED


def test_staff_merge_by_tracking_code(staff_client, world):
    target = submitted(world, title="主件")
    duplicate = submitted(world, title="重复件")
    url = reverse("suggestions:act", args=[duplicate.pk, "merge"])
    unknown = staff_client.post(url, {"merge-into": "NOSUCHCODE22"})
    assert unknown.status_code == 400
    staff_client.post(url, {"merge-into": target.code.lower()})
    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED and duplicate.merged_into == target


def test_staff_resolves_on_the_spot(staff_client, world):
    suggestion = submitted(world)
    staff_client.post(reverse("suggestions:act", args=[suggestion.pk, "resolve_on_spot"]), {"resolve_on_spot-note": "当场解答", "resolve_on_spot-result": "A"})
    suggestion.refresh_from_db()
    assert suggestion.status == Status.REPLIED


def test_unknown_action_is_404(staff_client, world):
    suggestion = submitted(world)
    assert staff_client.post(f"/work/suggestions/{suggestion.pk}/explode/").status_code == 404


def test_staff_assigns_with_the_computed_deadline(staff_client, world):
    suggestion = suggestion_accept(suggestion=submitted(world), by=world["staff"])
    url = reverse("suggestions:act", args=[suggestion.pk, "assign"])
    page = staff_client.get(url)
    assert "区级联动" in page_text(page) and "外区单位" not in page_text(page)
    foreign = staff_client.post(url, {"assign-route": "district", "assign-lead_unit": world["foreign_unit"].pk})
    assert foreign.status_code == 400 and "lead_unit" in foreign.context["form"].errors
    response = staff_client.post(
        url, {"assign-route": "district", "assign-lead_unit": world["unit"].pk, "assign-co_units": [world["co_unit"].pk]}
    )
    assert response["Location"] == reverse("suggestions:detail", args=[suggestion.pk])
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ASSIGNED
    lead = suggestion.assignments.get(role="lead")
    assert lead.unit == world["unit"] and lead.deadline > timezone.localdate()


def test_assign_in_the_wrong_state_is_a_message(staff_client, world):
    suggestion = submitted(world)
    response = staff_client.post(
        reverse("suggestions:act", args=[suggestion.pk, "assign"]),
        {"assign-route": "district", "assign-lead_unit": world["unit"].pk}, follow=True,
    )
    assert "不能" in page_text(response)


def test_staff_of_another_region_gets_404(client, world):
    suggestion = submitted(world)
    client.force_login(UserFactory(role=Role.STAFF, region=world["other_county"]))
    assert client.get(reverse("suggestions:detail", args=[suggestion.pk])).status_code == 404
    assert client.post(reverse("suggestions:act", args=[suggestion.pk, "accept"]), {}).status_code == 404


def test_detail_shows_the_steps_the_user_may_take(staff_client, world):
    suggestion = submitted(world)
    response = staff_client.get(reverse("suggestions:detail", args=[suggestion.pk]))
    names = [item["name"] for item in response.context["action_forms"]]
    assert names == ["accept", "decline", "resolve_on_spot", "merge", "convert", "escalate"]
    # staff in scope see the voter in full (suggestions/privacy.py; tests/suggestions/test_privacy.py)
    assert "张三" in page_text(response) and "13812345678" in page_text(response)


def test_supervision_board_lists_overdue_and_urges(staff_client, world):
    suggestion = assigned(world)
    suggestion.assignments.update(deadline=timezone.localdate() - datetime.timedelta(days=5))
    sync_lead_deadline(suggestion)
    response = staff_client.get(reverse("suggestions:supervision"))
    assert [s.pk for s in response.context["page"].object_list] == [suggestion.pk]
    assert dict((k, n) for k, _label, n in response.context["tabs"])["overdue"] == 1
    staff_client.post(reverse("suggestions:act", args=[suggestion.pk, "urge"]), {"urge-note": "请抓紧"})
    assert suggestion.events.filter(action="urge").exists()
    assert staff_client.get(reverse("suggestions:supervision"), {"tab": "nope"}).status_code == 404


def test_staff_closes_feeds_back_and_publishes(staff_client, world, client):
    suggestion = replied(world)
    staff_client.post(reverse("suggestions:act", args=[suggestion.pk, "close"]), {"close-note": "代表未评价"})
    staff_client.post(reverse("suggestions:act", args=[suggestion.pk, "feedback"]), {"feedback-channel": "phone"})
    staff_client.post(reverse("suggestions:act", args=[suggestion.pk, "publish"]), {})
    suggestion.refresh_from_db()
    assert suggestion.status == Status.CLOSED and suggestion.fed_back_at and suggestion.is_public


def test_work_pages_need_a_login(client, db):
    for name in ("suggestions:inbox", "suggestions:review_queue", "suggestions:supervision", "suggestions:mine", "suggestions:new"):
        assert client.get(reverse(name))["Location"].startswith(reverse("login"))


def test_supervision_board_shows_only_bundles_in_scope(staff_client, world):
    SupervisionBundle.objects.create(title="本区老旧小区改造", region=world["county"])
    SupervisionBundle.objects.create(title="外区道路", region=world["other_county"])
    text = page_text(staff_client.get(reverse("suggestions:supervision")))
    assert "本区老旧小区改造" in text and "外区道路" not in text


def test_supervision_board_for_a_staff_account_without_region_is_empty(client, world):
    SupervisionBundle.objects.create(title="本区老旧小区改造", region=world["county"])
    client.force_login(UserFactory(role=Role.STAFF, region=None))
    response = client.get(reverse("suggestions:supervision"))
    assert list(response.context["bundles"]) == [] and response.context["page"].paginator.count == 0


def test_supervision_board_query_count_is_constant(staff_client, world, django_assert_max_num_queries):
    for _i in range(4):
        assigned(world)
    # + the leaders a bundle may be led by, and the bundles with their progress (one query each)
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("suggestions:supervision"), {"tab": "all"})
    assert response.context["page"].paginator.count == 4
    for _i in range(4):
        assigned(world)
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("suggestions:supervision"), {"tab": "all"})
    assert response.context["page"].paginator.count == 8


def test_supervision_board_labels_follow_the_language_of_the_request(staff_client, world):
    staff_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = page_text(staff_client.get(reverse("suggestions:supervision")))
    assert "Overdue" in text and "Due soon" in text and "已超期" not in text
