"""The pages of intake and routing (issue 13): 五分类 on the reception form, 代表即办 and 转为闭会建议
where the deputy is (the reception page, the item page), the staff's review queue after
转报上级, and the escalation target on the step form."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from deputies.models import Reception
from liaison.models import Role
from suggestions.models import Route, Status, Suggestion, SuggestionKind
from suggestions.services.intake import suggestion_submit
from suggestions.services.routing import suggestion_escalate
from tests.factories import UserFactory
from tests.suggestions.views.pages import page_text
from tests.suggestions.views.test_deputy import _reception_post


def _opinion(world, **kwargs):
    return suggestion_submit(
        kind=SuggestionKind.OPINION, title="路灯不亮", content="太东大街路灯坏了。", region=world["township"],
        by=world["staff"], station=world["station"], deputies=[world["deputy"]], **kwargs,
    )


def test_a_reception_records_each_issues_class_and_offers_on_the_spot(deputy_client, world):
    issues = [
        {"title": "路灯不亮", "content": "太东大街路灯坏了。", "route_proposal": "on_spot"},
        {"title": "道路破损", "content": "村道坑洼。", "route_proposal": "township"},
        {"title": "跨区公交", "content": "公交线路调整。", "route_proposal": "escalate"},
    ]
    response = deputy_client.post(reverse("suggestions:reception_new"), _reception_post(world["station"], issues))
    reception = Reception.objects.get()
    assert dict(reception.suggestions.values_list("title", "route_proposal")) == {
        "路灯不亮": Route.ON_SPOT, "道路破损": Route.TOWNSHIP, "跨区公交": Route.ESCALATE,
    }
    page = deputy_client.get(response["Location"])
    lamp = reception.suggestions.get(title="路灯不亮")
    on_spot_url = reverse("suggestions:act", args=[lamp.pk, "resolve_on_spot"])
    assert on_spot_url in page.content.decode()
    assert reverse("suggestions:act", args=[lamp.pk, "convert"]) in page.content.decode()
    assert "代表即办" in page_text(page)

    # the deputy takes it from there, and lands back on the reception page
    back = reverse("deputies:reception_detail", args=[reception.pk])
    response = deputy_client.post(f"{on_spot_url}?next={back}", {"resolve_on_spot-note": "当场联系物业修好", "resolve_on_spot-result": "A"})
    assert response.status_code == 302 and response["Location"] == back
    lamp.refresh_from_db()
    assert lamp.status == Status.REPLIED and lamp.route == Route.ON_SPOT


def test_the_item_page_offers_the_receiving_deputy_on_the_spot_and_convert(deputy_client, world):
    opinion = _opinion(world)
    text = page_text(deputy_client.get(reverse("suggestions:detail", args=[opinion.pk])))
    assert "代表即办" in text and "转为闭会建议" in text
    response = deputy_client.post(reverse("suggestions:act", args=[opinion.pk, "convert"]), {"convert-note": "转为闭会建议"})
    converted = Suggestion.objects.get(converted_from=opinion)
    assert response.status_code == 302 and response["Location"] == reverse("suggestions:detail", args=[converted.pk])
    assert converted.kind == SuggestionKind.DEPUTY_SUGGESTION
    assert list(converted.deputy_links.values_list("deputy", flat=True)) == [world["deputy"].pk]


def test_another_deputy_gets_neither_step(client, world):
    other = UserFactory(role=Role.DEPUTY)
    world["colleague"].user = other
    world["colleague"].save()
    opinion = _opinion(world)
    client.force_login(other)
    assert client.get(reverse("suggestions:detail", args=[opinion.pk])).status_code == 404
    client.post(reverse("suggestions:act", args=[opinion.pk, "resolve_on_spot"]), {"resolve_on_spot-note": "x"})
    opinion.refresh_from_db()
    assert opinion.status == Status.SUBMITTED


def test_staff_see_convert_escalate_with_its_target_and_the_class_at_review(staff_client, world):
    opinion = _opinion(world, route_proposal=Route.TOWNSHIP)
    page = staff_client.get(reverse("suggestions:detail", args=[opinion.pk])).content.decode()
    for label in ("转为闭会建议", "转报上级", "代表即办", "乡镇主办"):
        assert label in page, label
    assert f'value="{world["city"].code}"' in page  # 转报至: the city, above the county's staff
    assert f'value="{world["county"].code}"' not in page.split('name="escalate-to_region"')[1].split("</select>")[0]
    response = staff_client.post(reverse("suggestions:act", args=[opinion.pk, "escalate"]),
                                 {"escalate-to_region": world["city"].code, "escalate-note": "涉及市级事权"})
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.escalated_to == world["city"]


def test_the_review_queue_shows_what_reached_this_level(world):
    city_staff = UserFactory(role=Role.STAFF, region=world["city"])
    mine = _opinion(world)
    up = suggestion_escalate(suggestion=_opinion(world), by=world["staff"])
    county, city = Client(), Client()
    county.force_login(world["staff"])
    city.force_login(city_staff)
    county_queue = county.get(reverse("suggestions:review_queue")).content.decode()
    city_queue = city.get(reverse("suggestions:review_queue")).content.decode()
    assert reverse("suggestions:detail", args=[mine.pk]) in county_queue
    assert reverse("suggestions:detail", args=[up.pk]) not in county_queue
    assert reverse("suggestions:detail", args=[up.pk]) in city_queue
    assert "下级转报至" in city_queue
    # the county still reads it, with the target shown
    detail = page_text(county.get(reverse("suggestions:detail", args=[up.pk])))
    assert "转报至" in detail and world["city"].name in detail


def test_a_co_signer_confirms_on_the_item_page(client, world):
    colleague_user = UserFactory(role=Role.DEPUTY)
    world["colleague"].user = colleague_user
    world["colleague"].save()
    suggestion = suggestion_submit(
        kind=SuggestionKind.DEPUTY_SUGGESTION, title="建议", content="内容", region=world["county"],
        by=world["deputy"].user, deputies=[world["deputy"], world["colleague"]],
    )
    client.force_login(colleague_user)
    text = page_text(client.get(reverse("suggestions:detail", args=[suggestion.pk])))
    assert "附议确认" in text and "待确认" in text
    client.post(reverse("suggestions:act", args=[suggestion.pk, "cosign"]), {"cosign-agree": "on"})
    assert suggestion.deputy_links.get(deputy=world["colleague"]).consent == "confirmed"


def test_an_unticked_box_declines_to_co_sign(client, world):
    colleague_user = UserFactory(role=Role.DEPUTY)
    world["colleague"].user = colleague_user
    world["colleague"].save()
    suggestion = suggestion_submit(
        kind=SuggestionKind.DEPUTY_SUGGESTION, title="建议", content="内容", region=world["county"],
        by=world["deputy"].user, deputies=[world["deputy"], world["colleague"]],
    )
    client.force_login(colleague_user)
    client.post(reverse("suggestions:act", args=[suggestion.pk, "cosign"]), {"cosign-note": "不参与"})
    assert suggestion.deputy_links.get(deputy=world["colleague"]).consent == "declined"


def test_my_suggestions_offer_each_deputy_what_they_may_do(client, world):
    colleague_user = UserFactory(role=Role.DEPUTY)
    world["colleague"].user = colleague_user
    world["colleague"].save()
    opinion = _opinion(world)
    suggestion = suggestion_submit(
        kind=SuggestionKind.DEPUTY_SUGGESTION, title="建议", content="内容", region=world["county"],
        by=world["deputy"].user, deputies=[world["deputy"], world["colleague"]],
    )
    client.force_login(world["deputy"].user)
    page = client.get(reverse("suggestions:mine")).content.decode()
    assert reverse("suggestions:act", args=[opinion.pk, "resolve_on_spot"]) in page
    assert reverse("suggestions:act", args=[opinion.pk, "convert"]) in page
    assert reverse("suggestions:act", args=[suggestion.pk, "resolve_on_spot"]) in page  # the lead's own
    assert reverse("suggestions:act", args=[suggestion.pk, "cosign"]) not in page
    client.force_login(colleague_user)
    page = client.get(reverse("suggestions:mine")).content.decode()
    assert reverse("suggestions:act", args=[suggestion.pk, "cosign"]) in page
    assert reverse("suggestions:act", args=[suggestion.pk, "resolve_on_spot"]) not in page
