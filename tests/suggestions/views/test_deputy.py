"""The deputies' pages: a reception with its issues, my suggestions, a new suggestion, evaluation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from deputies.models import Reception, ReceptionMode, ReceptionStatus
from suggestions.models import DeputyRole, Rating, Source, Status, Suggestion, SuggestionKind
from tests.factories import DeputyFactory, ReceptionFactory, StationMembershipFactory
from tests.suggestions.views.pages import page_text, replied, submitted

# --- deputies: a reception with its issues ------------------------------------------------------


def _reception_post(station, issues=(), **overrides):
    data = {
        "station": station.pk,
        "date": timezone.localdate().isoformat(),
        "starts_at": "09:00",
        "ends_at": "11:30",
        "mode": ReceptionMode.STATION,
        "topic": "春季接待日",
        "visitor_count": "8",
        "summary": "接待群众 8 人。",
        "issues-TOTAL_FORMS": str(max(2, len(issues))),
        "issues-INITIAL_FORMS": "0",
        "issues-MIN_NUM_FORMS": "0",
        "issues-MAX_NUM_FORMS": "20",
    }
    for i, issue in enumerate(issues):
        for key, value in issue.items():
            data[f"issues-{i}-{key}"] = value
    data.update(overrides)
    return data


def test_record_a_reception_with_two_issues(deputy_client, world):
    issues = [
        {"title": "路灯不亮", "content": "太东大街路灯坏了。", "submitter_name": "张三", "submitter_phone": "13812345678"},
        {"title": "垃圾清运不及时", "content": "小区垃圾三天没人收。", "category": world["category"].pk},
    ]
    post = _reception_post(world["station"], issues, co_deputies=[world["colleague"].pk])
    response = deputy_client.post(reverse("suggestions:reception_new"), post)
    reception = Reception.objects.get()
    assert response["Location"] == reverse("deputies:reception_detail", args=[reception.pk])
    assert reception.status == ReceptionStatus.RECORDED and reception.recorded_by == world["deputy"].user
    assert set(reception.deputies.all()) == {world["deputy"], world["colleague"]}
    created = list(reception.suggestions.order_by("title"))
    assert [s.title for s in created] == ["垃圾清运不及时", "路灯不亮"]
    for suggestion in created:
        assert suggestion.source == Source.RECEPTION and suggestion.station == world["station"]
        assert suggestion.events.filter(action="submit").exists()
        lead = suggestion.deputy_links.get(role=DeputyRole.LEAD)
        assert lead.deputy == world["deputy"]
    detail = page_text(deputy_client.get(response["Location"]))
    assert "路灯不亮" in detail and "垃圾清运不及时" in detail


def test_record_a_reception_without_issues(deputy_client, world):
    response = deputy_client.post(reverse("suggestions:reception_new"), _reception_post(world["station"]))
    assert response.status_code == 302
    assert Reception.objects.get().suggestions.count() == 0


def test_add_issue_button_adds_a_row_and_saves_nothing(deputy_client, world):
    post = _reception_post(world["station"], [{"title": "路灯", "content": "坏了"}], add_issue="1")
    response = deputy_client.post(reverse("suggestions:reception_new"), post)
    assert response.status_code == 200
    assert len(response.context["issues"].forms) == 3
    assert not Reception.objects.exists()


def test_reception_with_a_bad_issue_saves_nothing(deputy_client, world):
    post = _reception_post(world["station"], [{"title": "路灯不亮", "content": ""}])
    response = deputy_client.post(reverse("suggestions:reception_new"), post)
    assert response.status_code == 200
    assert "content" in response.context["issues"].forms[0].errors
    assert not Reception.objects.exists() and not Suggestion.objects.exists()


def test_reception_with_duplicate_issues_is_refused(deputy_client, world):
    same = {"title": "路灯不亮", "content": "坏了"}
    response = deputy_client.post(reverse("suggestions:reception_new"), _reception_post(world["station"], [same, same]))
    assert response.context["issues"].non_form_errors()
    assert not Reception.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": "2999-01-01"}, "date"),
        ({"starts_at": "11:00", "ends_at": "09:00"}, "ends_at"),
        ({"visitor_count": "-1"}, "visitor_count"),
        ({"summary": "长" * 5001}, "summary"),
        ({"mode": "teleport"}, "mode"),
    ],
)
def test_reception_bad_input(deputy_client, world, overrides, field):
    response = deputy_client.post(reverse("suggestions:reception_new"), _reception_post(world["station"], **overrides))
    assert field in response.context["form"].errors
    assert not Reception.objects.exists()


def test_reception_at_a_foreign_station_or_with_a_foreign_deputy_is_refused(deputy_client, world):
    response = deputy_client.post(reverse("suggestions:reception_new"), _reception_post(world["other_station"]))
    assert "station" in response.context["form"].errors
    stranger = DeputyFactory()
    StationMembershipFactory(deputy=stranger, station=world["other_station"])
    response = deputy_client.post(reverse("suggestions:reception_new"), _reception_post(world["station"], co_deputies=[stranger.pk]))
    assert "co_deputies" in response.context["form"].errors
    assert not Reception.objects.exists()


def test_fill_in_a_scheduled_reception(deputy_client, world):
    scheduled = ReceptionFactory(station=world["station"], date=timezone.localdate(), status=ReceptionStatus.SCHEDULED)
    url = reverse("suggestions:reception_record", args=[scheduled.pk])
    assert deputy_client.get(url).status_code == 200
    response = deputy_client.post(url, _reception_post(world["station"], [{"title": "道路", "content": "坑洼"}], visitor_count="15"))
    scheduled.refresh_from_db()
    assert response.status_code == 302
    assert scheduled.status == ReceptionStatus.RECORDED and scheduled.visitor_count == 15
    assert scheduled.suggestions.count() == 1
    assert deputy_client.get(url)["Location"] == reverse("deputies:reception_detail", args=[scheduled.pk])


def test_foreign_scheduled_reception_is_404(deputy_client, world):
    foreign = ReceptionFactory(station=world["other_station"], status=ReceptionStatus.SCHEDULED)
    assert deputy_client.get(reverse("suggestions:reception_record", args=[foreign.pk])).status_code == 404


def test_reception_pages_need_a_deputy(client, world):
    assert client.get(reverse("suggestions:reception_new"))["Location"].startswith(reverse("login"))
    client.force_login(world["officer"])
    assert client.get(reverse("suggestions:reception_new")).status_code == 403


# --- deputies: suggestions and evaluation --------------------------------------------------------


def test_submit_a_deputy_suggestion_with_a_cosigner_and_an_attachment(deputy_client, world):
    response = deputy_client.post(
        reverse("suggestions:new"),
        {
            "title": "关于加快老旧小区改造的建议",
            "content": "建议分批改造。",
            "category": world["category"].pk,
            "session": "interim",
            "co_signers": [world["colleague"].pk],
            "attachments": [SimpleUploadedFile("调研报告.pdf", b"%PDF-1.4 report", content_type="application/pdf")],
        },
    )
    suggestion = Suggestion.objects.get()
    assert response["Location"] == reverse("suggestions:detail", args=[suggestion.pk])
    assert suggestion.kind == SuggestionKind.DEPUTY_SUGGESTION
    links = {(link.deputy, link.role) for link in suggestion.deputy_links.all()}
    assert links == {(world["deputy"], DeputyRole.LEAD), (world["colleague"], DeputyRole.CO_SIGNER)}
    assert suggestion.attachments.get().original_name == "调研报告.pdf"


def test_deputy_suggestion_bad_input(deputy_client, world):
    stranger = DeputyFactory()
    response = deputy_client.post(
        reverse("suggestions:new"),
        {
            "title": "",
            "content": "x",
            "session": "whenever",
            "co_signers": [stranger.pk],
            "attachments": [SimpleUploadedFile("virus.exe", b"MZ\x00\x01" * 10, content_type="application/pdf")],
        },
    )
    assert {"title", "session", "co_signers"} <= set(response.context["form"].errors)
    assert not Suggestion.objects.exists()
    wrong_type = deputy_client.post(
        reverse("suggestions:new"),
        {"title": "标题", "content": "内容", "session": "interim",
         "attachments": [SimpleUploadedFile("virus.pdf", b"MZ\x00\x01" * 10, content_type="application/pdf")]},
    )
    assert "attachments" in wrong_type.context["form"].errors
    assert not Suggestion.objects.exists()


def test_my_suggestions_lists_only_mine(deputy_client, world, django_assert_max_num_queries):
    mine = [submitted(world, title=f"我的{i}") for i in range(3)]
    submitted(world, title="别人的", deputies=[world["colleague"]])
    with django_assert_max_num_queries(9):
        response = deputy_client.get(reverse("suggestions:mine"))
    assert {s.pk for s in response.context["page"].object_list} == {s.pk for s in mine}
    filtered = deputy_client.get(reverse("suggestions:mine"), {"status": "closed"})
    assert list(filtered.context["page"].object_list) == []


def test_evaluating_from_my_list_opens_the_reply_first(deputy_client, world):
    suggestion = replied(world)
    mine = reverse("suggestions:mine")
    listed = deputy_client.get(mine).content.decode()
    url = reverse("suggestions:act", args=[suggestion.pk, "evaluate"])
    # No one-tap rating in the list: a link to the rating page, which shows the reply.
    assert 'name="evaluate-rating"' not in listed and url in listed
    page = page_text(deputy_client.get(url))
    assert "已修复路灯。" in page and "不满意" in page
    response = deputy_client.post(reverse("suggestions:act", args=[suggestion.pk, "evaluate"]), {"evaluate-rating": "satisfied", "next": mine})
    assert response["Location"] == mine
    suggestion.refresh_from_db()
    assert suggestion.status == Status.CLOSED
    assert suggestion.evaluations.get().rating == Rating.SATISFIED


def test_evaluate_unsatisfied_asks_for_the_reason_first(deputy_client, world):
    suggestion = replied(world)
    url = reverse("suggestions:act", args=[suggestion.pk, "evaluate"])
    asked = deputy_client.post(url, {"evaluate-rating": "unsatisfied"})
    assert asked.status_code == 400
    assert "comment" in asked.context["form"].errors
    # The same page, with the reply still in view, asks for the reason.
    assert "已修复路灯。" in page_text(asked) and "不满意的原因" in page_text(asked)
    suggestion.refresh_from_db()
    assert suggestion.status == Status.REPLIED
    deputy_client.post(url, {"evaluate-rating": "unsatisfied", "evaluate-comment": "路灯修了又坏。"})
    suggestion.refresh_from_db()
    assert suggestion.status == Status.HANDLING and suggestion.rehandle_count == 1


def test_evaluate_in_the_wrong_state_shows_the_refusal(deputy_client, world):
    suggestion = submitted(world)
    response = deputy_client.post(reverse("suggestions:act", args=[suggestion.pk, "evaluate"]), {"evaluate-rating": "satisfied"}, follow=True)
    assert "不能" in page_text(response)
    suggestion.refresh_from_db()
    assert suggestion.status == Status.SUBMITTED


def test_evaluate_someone_elses_suggestion_is_404(deputy_client, world):
    other = submitted(world, deputies=[world["colleague"]])
    assert deputy_client.post(reverse("suggestions:act", args=[other.pk, "evaluate"]), {"evaluate-rating": "satisfied"}).status_code == 404


def test_evaluate_bad_rating(deputy_client, world):
    suggestion = replied(world)
    response = deputy_client.post(reverse("suggestions:act", args=[suggestion.pk, "evaluate"]), {"evaluate-rating": "great"})
    assert response.status_code == 400 and "rating" in response.context["form"].errors
