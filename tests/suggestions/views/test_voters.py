"""The voter's side on the web pages (issue 14): the tracking page's handling, reply and rating
form; consent and the publication notice on the opinion form; the staff's page of voters'
不满意 and failed messages; the deputy's letters; the 公示 step's preview and the public text."""

from __future__ import annotations

from django.urls import reverse

from suggestions.models import MessageState, OutboundMessage, Suggestion
from suggestions.services.closing import suggestion_feedback, suggestion_publish
from suggestions.services.voters import voter_rate
from tests.suggestions.views.pages import assigned, opinion_form, page_text, replied


def track(client, code):
    return client.get(reverse("suggestions:track_detail", args=[code]))


def post_rating(client, code, **data):
    return client.post(reverse("suggestions:track_rate", args=[code]), data)


def test_the_tracking_page_shows_the_unit_and_expected_date_while_handling(client, world):
    suggestion = assigned(world)
    deadline = suggestion.assignments.get().deadline
    page = page_text(track(client, suggestion.code))
    assert "区住建局" in page and deadline.strftime("%Y-%m-%d") in page
    assert 'name="rating"' not in page  # nothing to rate yet


def test_the_voter_reads_the_masked_reply_and_rates_it_on_the_page(client, world):
    suggestion = replied(world)
    lead = suggestion.assignments.get()
    type(lead).objects.filter(pk=lead.pk).update(reply="已联系张三（13812345678），路灯已修复。")
    page = page_text(track(client, suggestion.code))
    assert "已联系张*（***********），路灯已修复。" in page and "13812345678" not in page
    assert 'name="rating"' in page and 'name="phone_last4"' in page
    response = post_rating(client, suggestion.code, rating="unsatisfied", comment="灯又坏了", phone_last4="5678")
    assert response.status_code == 302
    page = page_text(track(client, suggestion.code))
    assert "感谢您的评价" in page and 'id="voter-rating">不满意' in page and 'name="rating"' not in page


def test_a_refused_rating_shows_why_and_saves_nothing(client, world):
    suggestion = replied(world)
    response = post_rating(client, suggestion.code, rating="satisfied", phone_last4="0000")
    assert response.status_code == 400 and "核对未通过" in page_text(response)
    response = post_rating(client, suggestion.code, rating="unsatisfied", phone_last4="5678")
    assert response.status_code == 400 and "不满意的原因" in page_text(response)
    assert not suggestion.evaluations.exists()
    voter_rate(suggestion=suggestion, rating="satisfied", phone_last4="5678")
    response = post_rating(client, suggestion.code, rating="satisfied", phone_last4="5678")
    assert response.status_code == 400 and "已评价过" in page_text(response)


def test_rating_an_unknown_code_is_404_and_get_goes_back(client, world):
    assert post_rating(client, "NOSUCHCODE22", rating="satisfied").status_code == 404
    suggestion = replied(world)
    assert client.get(reverse("suggestions:track_rate", args=[suggestion.code]))["Location"] == reverse(
        "suggestions:track_detail", args=[suggestion.code])


def test_the_opinion_form_records_consent_and_email_and_says_what_may_be_published(client, world):
    url = reverse("suggestions:opinion_station", args=[world["station"].pk])
    page = page_text(client.get(url))
    assert "办理单位可以联系我" in page and 'id="publish-notice"' in page and "隐去姓名、电话" in page
    client.post(url, opinion_form(contact_consent="on", submitter_email="v@example.cn"))
    suggestion = Suggestion.objects.get()
    assert suggestion.contact_consent is True and suggestion.submitter_email == "v@example.cn"
    client.post(url, opinion_form(title="另一件事"))
    assert Suggestion.objects.get(title="另一件事").contact_consent is False


def test_staff_see_the_voters_unsatisfied_items_and_failed_messages(staff_client, world):
    suggestion = replied(world)
    voter_rate(suggestion=suggestion, rating="unsatisfied", comment="灯又坏了", phone_last4="5678")
    OutboundMessage.objects.filter(suggestion=suggestion).update(state=MessageState.FAILED, attempts=1)
    page = page_text(staff_client.get(reverse("suggestions:voter_feedback")))
    assert suggestion.title in page and "灯又坏了" in page
    assert reverse("suggestions:act", args=[suggestion.pk, "rehandle"]) in page
    assert "条发给群众或代表的短信、邮件发送失败" in page
    response = staff_client.post(reverse("suggestions:act", args=[suggestion.pk, "rehandle"]),
                                  {"rehandle-reason": "核实属实，退回重办"})
    assert response.status_code == 302
    assert suggestion.title not in page_text(staff_client.get(reverse("suggestions:voter_feedback")))


def test_the_voters_page_is_for_staff(officer_client, world):
    assert officer_client.get(reverse("suggestions:voter_feedback")).status_code == 403


def test_the_deputy_finds_letters_written_through_their_code(client, world, deputy_client):
    client.post(reverse("suggestions:opinion_deputy", args=[world["deputy"].pk]), opinion_form(title="写给代表的信"))
    page = page_text(deputy_client.get(reverse("suggestions:letters")))
    assert "写给代表的信" in page


def test_the_publish_step_shows_the_masked_preview(staff_client, world):
    suggestion = replied(world)
    Suggestion.objects.filter(pk=suggestion.pk).update(content="我叫张三，电话13812345678，幸福小区3栋。")
    suggestion_feedback(suggestion=suggestion, by=world["staff"], channel="phone")
    page = page_text(staff_client.get(reverse("suggestions:act", args=[suggestion.pk, "publish"])))
    assert 'id="publish-preview"' in page and "已自动隐去 3 处个人信息" in page
    assert "我叫张*，电话***********，幸福小区*栋。" in page and "13812345678" not in page
    response = staff_client.post(reverse("suggestions:act", args=[suggestion.pk, "publish"]),
                                 {"publish-public_title": "路灯问题", "publish-public_content": "某小区路灯不亮。"})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.is_public, suggestion.public_content) == (True, "某小区路灯不亮。")


def test_the_results_page_shows_only_the_public_text(client, world):
    suggestion = replied(world)
    Suggestion.objects.filter(pk=suggestion.pk).update(title="张三家门口路灯", content="电话13812345678")
    suggestion.refresh_from_db()
    suggestion_feedback(suggestion=suggestion, by=world["staff"], channel="phone")
    suggestion_publish(suggestion=suggestion, by=world["staff"], public_title="路灯不亮", public_content="某处路灯不亮。")
    page = page_text(client.get(reverse("suggestions:published")))
    assert "路灯不亮" in page and "某处路灯不亮。" in page
    assert "张三家门口路灯" not in page and "13812345678" not in page
    # The voter's own words are not searchable either.
    assert "路灯不亮" not in page_text(client.get(reverse("suggestions:published"), {"q": "13812345678"}))


def test_a_deputy_records_the_voters_consent_at_a_reception(deputy_client, world):
    from tests.suggestions.views.test_deputy import _reception_post

    issues = [
        {"title": "路灯不亮", "content": "太东大街路灯坏了。", "submitter_phone": "13812345678", "contact_consent": "on"},
        {"title": "垃圾清运不及时", "content": "小区垃圾三天没人收。"},
    ]
    deputy_client.post(reverse("suggestions:reception_new"), _reception_post(world["station"], issues))
    assert dict(Suggestion.objects.values_list("title", "contact_consent")) == {"路灯不亮": True, "垃圾清运不及时": False}


def test_the_item_page_says_whether_the_voter_agreed_to_be_contacted(staff_client, world):
    from tests.suggestions.views.pages import submitted

    agreed = submitted(world, contact_consent=True)
    not_agreed = submitted(world, title="另一件")
    assert "提出人同意办理单位联系" in page_text(staff_client.get(reverse("suggestions:detail", args=[agreed.pk])))
    assert "提出人未同意办理单位直接联系" in page_text(staff_client.get(reverse("suggestions:detail", args=[not_agreed.pk])))
