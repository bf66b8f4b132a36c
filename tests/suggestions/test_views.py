import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from deputies.models import Level, Reception, ReceptionMode, ReceptionStatus
from liaison.models import Role
from suggestions import services
from suggestions.models import (
    AssignmentStatus,
    Contact,
    DeputyRole,
    Rating,
    Route,
    Source,
    Status,
    Suggestion,
    SuggestionKind,
    SupervisionBundle,
)
from tests.factories import (
    AssignmentFactory,
    CategoryFactory,
    DeputyFactory,
    MandateFactory,
    NotificationFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
    SuggestionFactory,
    UnitFactory,
    UserFactory,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _text(response) -> str:
    return response.content.decode()


@pytest.fixture
def world(changzhi):
    """A county with a station, a deputy (with an account), staff, a unit and its officer."""
    station = StationFactory(name="太东街道代表联络站", region=changzhi["township"])
    other_station = StationFactory(name="韩店镇代表联络站", region=changzhi["other_township"])
    deputy_user = UserFactory(username="deputy", role=Role.DEPUTY)
    deputy = DeputyFactory(name="王秀英", user=deputy_user, region=changzhi["township"])
    MandateFactory(deputy=deputy, level=Level.COUNTY)
    StationMembershipFactory(deputy=deputy, station=station)
    colleague = DeputyFactory(name="李同事", region=changzhi["township"])
    StationMembershipFactory(deputy=colleague, station=station)
    staff = UserFactory(username="staff", role=Role.STAFF, region=changzhi["county"])
    unit = UnitFactory(name="区住建局", region=changzhi["county"])
    officer = UserFactory(username="officer", role=Role.UNIT_OFFICER)
    unit.officers.add(officer)
    co_unit = UnitFactory(name="区交通局", region=changzhi["county"])
    co_officer = UserFactory(username="co-officer", role=Role.UNIT_OFFICER)
    co_unit.officers.add(co_officer)
    foreign_unit = UnitFactory(name="外区单位", region=changzhi["other_county"])
    return {
        **changzhi,
        "station": station,
        "other_station": other_station,
        "deputy": deputy,
        "colleague": colleague,
        "staff": staff,
        "unit": unit,
        "officer": officer,
        "co_unit": co_unit,
        "co_officer": co_officer,
        "foreign_unit": foreign_unit,
        "category": CategoryFactory(name="城乡建设"),
    }


def _opinion(**overrides):
    data = {
        "title": "小区门前路灯不亮",
        "content": "太东大街12号门前三盏路灯坏了一个月。",
        "submitter_name": "张三",
        "submitter_phone": "13812345678",
        "website": "",
    }
    data.update(overrides)
    return data


def _submitted(world, **kwargs) -> Suggestion:
    fields = {
        "kind": SuggestionKind.OPINION,
        "title": "路面坑洼",
        "content": "雨天积水。",
        "region": world["township"],
        "station": world["station"],
        "submitter_name": "张三",
        "submitter_phone": "13812345678",
        "deputies": [world["deputy"]],
    }
    fields.update(kwargs)
    return services.suggestion_submit(**fields)


def _assigned(world, *, co_units=()) -> Suggestion:
    suggestion = _submitted(world)
    suggestion = services.suggestion_accept(suggestion=suggestion, by=world["staff"])
    return services.suggestion_assign(
        suggestion=suggestion, by=world["staff"], route=Route.DISTRICT, lead_unit=world["unit"], co_units=list(co_units)
    )


def _replied(world) -> Suggestion:
    suggestion = _assigned(world)
    assignment = suggestion.assignments.get()
    services.assignment_sign(assignment=assignment, by=world["officer"])
    services.assignment_reply(assignment=assignment, by=world["officer"], result="A", content="已修复路灯。")
    return Suggestion.objects.get(pk=suggestion.pk)


# --- the public opinion form ------------------------------------------------------------------


def test_station_opinion_form_submits_and_shows_the_tracking_code(client, world):
    url = reverse("suggestions:opinion_station", args=[world["station"].pk])
    assert "太东街道代表联络站" in _text(client.get(url))
    response = client.post(url, _opinion(category=world["category"].pk))
    assert response.status_code == 302 and response["Location"] == reverse("suggestions:opinion_done")
    suggestion = Suggestion.objects.get()
    assert (suggestion.station, suggestion.region, suggestion.source) == (world["station"], world["township"], Source.PUBLIC)
    assert suggestion.submitted_by is None and suggestion.category == world["category"]
    done = _text(client.get(reverse("suggestions:opinion_done")))
    assert suggestion.code in done and 'class="qr"' in done
    assert reverse("suggestions:track_detail", args=[suggestion.code]) in done


def test_opinion_done_without_a_submission_goes_to_tracking(client, db):
    assert client.get(reverse("suggestions:opinion_done"))["Location"] == reverse("suggestions:track")


def test_deputy_opinion_form_links_the_deputy_and_uses_the_station_region(client, world):
    url = reverse("suggestions:opinion_deputy", args=[world["deputy"].pk])
    assert "王秀英代表" in _text(client.get(url))
    client.post(url, _opinion())
    suggestion = Suggestion.objects.get()
    assert list(suggestion.deputies.all()) == [world["deputy"]]
    assert suggestion.region == world["township"]


def test_opinion_targets_that_do_not_exist_are_404(client, world):
    assert client.get(reverse("suggestions:opinion_deputy", args=[world["deputy"].pk + 999])).status_code == 404
    world["station"].is_active = False
    world["station"].save(update_fields=["is_active"])
    assert client.get(reverse("suggestions:opinion_station", args=[world["station"].pk])).status_code == 404


def test_region_opinion_drills_down_then_takes_the_form(client, world):
    top = client.get(reverse("suggestions:opinion"))
    assert "区划14" in _text(top) and top.templates[0].name == "suggestions/opinion_region.html"
    city = client.get(reverse("suggestions:opinion"), {"region": world["city"].code})
    assert "潞州区" in _text(city) and "id_title" not in _text(city)
    county = client.get(reverse("suggestions:opinion"), {"region": world["county"].code})
    assert 'id="id_title"' in _text(county)
    client.post(reverse("suggestions:opinion") + f"?region={world['county'].code}", _opinion())
    assert Suggestion.objects.get().region == world["county"]


@pytest.mark.parametrize("code", ["abc", "999999", "1404030011"])
def test_region_opinion_bad_region_is_404(client, world, code):
    assert client.get(reverse("suggestions:opinion"), {"region": code}).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"content": "   "}, "content"),
        ({"title": "长" * 101}, "title"),
        ({"content": "长" * 2001}, "content"),
        ({"submitter_phone": "call me"}, "submitter_phone"),
        ({"submitter_name": "名" * 21}, "submitter_name"),
        ({"category": "999999"}, "category"),
    ],
)
def test_opinion_bad_input_is_refused(client, world, overrides, field):
    response = client.post(reverse("suggestions:opinion_station", args=[world["station"].pk]), _opinion(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Suggestion.objects.exists()


def test_opinion_empty_post_shows_the_errors(client, world):
    response = client.post(reverse("suggestions:opinion_station", args=[world["station"].pk]), {})
    assert {"title", "content"} <= set(response.context["form"].errors)
    assert "error-summary" in _text(response)


def test_opinion_honeypot_refuses_quietly(client, world):
    response = client.post(reverse("suggestions:opinion_station", args=[world["station"].pk]), _opinion(website="http://spam"))
    assert response.status_code == 400
    assert not Suggestion.objects.exists()


def test_opinion_is_throttled_per_address(client, world, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public": "2/hour"}
    url = reverse("suggestions:opinion_station", args=[world["station"].pk])
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        assert client.post(url, _opinion(title="一")).status_code == 302
        assert client.post(url, _opinion(title="二")).status_code == 302
        third = client.post(url, _opinion(title="三"))
        other_address = client.post(url, _opinion(title="四"), REMOTE_ADDR="10.0.0.9")
    assert third.status_code == 429
    assert other_address.status_code == 302
    assert Suggestion.objects.count() == 3


def test_opinion_attachment_checked_by_content(client, world):
    url = reverse("suggestions:opinion_station", args=[world["station"].pk])
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image" + b"\x00" * 10, content_type="image/png")
    refused = client.post(url, {**_opinion(), "attachments": [fake]})
    assert "attachments" in refused.context["form"].errors
    assert not Suggestion.objects.exists()
    good = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    assert client.post(url, {**_opinion(), "attachments": [good]}).status_code == 302
    assert Suggestion.objects.get().attachments.get().content_type == "image/png"


def test_opinion_refuses_too_many_files(client, world):
    files = [SimpleUploadedFile(f"p{i}.png", PNG, content_type="image/png") for i in range(4)]
    response = client.post(reverse("suggestions:opinion_station", args=[world["station"].pk]), {**_opinion(), "attachments": files})
    assert "attachments" in response.context["form"].errors


# --- tracking and published results -----------------------------------------------------------


def test_track_form_normalises_the_code_and_redirects(client, world):
    suggestion = _submitted(world)
    spaced = f"{suggestion.code[:4].lower()} {suggestion.code[4:8]}-{suggestion.code[8:]}"
    response = client.get(reverse("suggestions:track"), {"code": spaced})
    assert response["Location"] == reverse("suggestions:track_detail", args=[suggestion.code])


@pytest.mark.parametrize("code", ["", "abc", "<script>x</script>", "A" * 17])
def test_track_form_bad_codes(client, db, code):
    response = client.get(reverse("suggestions:track"), {"code": code})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert "<script>x</script>" not in _text(response)


def test_track_unknown_code_is_404(client, db):
    assert client.get(reverse("suggestions:track_detail", args=["ZZZZZZZZZZZZ"])).status_code == 404
    assert client.get("/track/ZZZZZZZZZZZZ/qr.png").status_code == 404


def test_track_page_shows_stages_and_nothing_personal(client, world):
    suggestion = _submitted(world, title="<script>alert(1)</script>路灯")
    services.suggestion_accept(suggestion=suggestion, by=world["staff"], note="内部备注：请住建局处理")
    text = _text(client.get(reverse("suggestions:track_detail", args=[suggestion.code])))
    assert "提交" in text and "受理" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;路灯" in text and "<script>alert(1)" not in text
    for secret in ("张三", "13812345678", "内部备注", "staff"):
        assert secret not in text
    assert 'class="qr"' in text
    png = client.get(reverse("suggestions:track_qr", args=[suggestion.code, "png"]))
    assert png["Content-Type"] == "image/png"


def _published(world, title="已修好的路灯") -> Suggestion:
    suggestion = _replied(world)
    suggestion = services.suggestion_evaluate(suggestion=suggestion, by=world["deputy"].user, rating=Rating.SATISFIED)
    suggestion.title = title
    suggestion.save(update_fields=["title"])
    return services.suggestion_publish(suggestion=suggestion, by=world["staff"])


def test_published_lists_only_public_results_without_the_submitter(client, world):
    _published(world)
    _submitted(world, title="还没办完的事")
    response = client.get(reverse("suggestions:published"))
    text = _text(response)
    assert "已修好的路灯" in text and "还没办完的事" not in text
    assert "区住建局" in text and "已修复路灯。" in text and "满意" in text and "王秀英" in text
    assert "张三" not in text and "13812345678" not in text
    assert [s.title for s in client.get(reverse("suggestions:published"), {"q": "没有这个"}).context["page"].object_list] == []


def test_published_query_count_is_constant(client, world, django_assert_max_num_queries):
    for i in range(3):
        _published(world, title=f"公示{i}")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("suggestions:published"))
    assert len(response.context["page"].object_list) == 3


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


@pytest.fixture
def deputy_client(client, world):
    client.force_login(world["deputy"].user)
    return client


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
    detail = _text(deputy_client.get(response["Location"]))
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
    mine = [_submitted(world, title=f"我的{i}") for i in range(3)]
    _submitted(world, title="别人的", deputies=[world["colleague"]])
    with django_assert_max_num_queries(9):
        response = deputy_client.get(reverse("suggestions:mine"))
    assert {s.pk for s in response.context["page"].object_list} == {s.pk for s in mine}
    filtered = deputy_client.get(reverse("suggestions:mine"), {"status": "closed"})
    assert list(filtered.context["page"].object_list) == []


def test_evaluate_satisfied_in_one_click(deputy_client, world):
    suggestion = _replied(world)
    mine = reverse("suggestions:mine")
    assert "满意" in _text(deputy_client.get(mine))
    response = deputy_client.post(reverse("suggestions:evaluate", args=[suggestion.pk]), {"rating": "satisfied", "next": mine})
    assert response["Location"] == mine
    suggestion.refresh_from_db()
    assert suggestion.status == Status.CLOSED
    assert suggestion.evaluations.get().rating == Rating.SATISFIED


def test_evaluate_unsatisfied_asks_for_the_reason_first(deputy_client, world):
    suggestion = _replied(world)
    url = reverse("suggestions:evaluate", args=[suggestion.pk])
    asked = deputy_client.post(url, {"rating": "unsatisfied"})
    assert asked.status_code == 400
    assert "comment" in asked.context["form"].errors
    suggestion.refresh_from_db()
    assert suggestion.status == Status.REPLIED
    deputy_client.post(url, {"rating": "unsatisfied", "comment": "路灯修了又坏。"})
    suggestion.refresh_from_db()
    assert suggestion.status == Status.HANDLING and suggestion.rehandle_count == 1


def test_evaluate_in_the_wrong_state_shows_the_refusal(deputy_client, world):
    suggestion = _submitted(world)
    response = deputy_client.post(reverse("suggestions:evaluate", args=[suggestion.pk]), {"rating": "satisfied"}, follow=True)
    assert "不能" in _text(response)
    suggestion.refresh_from_db()
    assert suggestion.status == Status.SUBMITTED


def test_evaluate_someone_elses_suggestion_is_404(deputy_client, world):
    other = _submitted(world, deputies=[world["colleague"]])
    assert deputy_client.post(reverse("suggestions:evaluate", args=[other.pk]), {"rating": "satisfied"}).status_code == 404


def test_evaluate_bad_rating(deputy_client, world):
    suggestion = _replied(world)
    response = deputy_client.post(reverse("suggestions:evaluate", args=[suggestion.pk]), {"rating": "great"})
    assert "rating" in response.context["form"].errors


# --- unit officers ----------------------------------------------------------------------------


@pytest.fixture
def officer_client(client, world):
    client.force_login(world["officer"])
    return client


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
    text = _text(response)
    assert "tier-overdue" in text and "已超期" in text and "即将到期" in text


def test_inbox_is_for_unit_officers(client, world):
    client.force_login(world["deputy"].user)
    assert client.get(reverse("suggestions:inbox")).status_code == 403
    client.force_login(world["officer"])
    assert client.get(reverse("suggestions:inbox"), {"show": "weird"}).status_code == 404


def test_officer_signs_contacts_and_replies(officer_client, world):
    suggestion = _assigned(world)
    assignment = suggestion.assignments.get()
    url = reverse("suggestions:assignment", args=[assignment.pk])
    page = _text(officer_client.get(url))
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
    assignment = _assigned(world).assignments.get()
    returned = officer_client.post(reverse("suggestions:assignment_act", args=[assignment.pk, "return"]), {"return-reason": ""})
    assert returned.status_code == 400 and "reason" in returned.context["action_forms"][1]["form"].errors
    officer_client.post(reverse("suggestions:assignment_act", args=[assignment.pk, "sign"]), {})
    bad = officer_client.post(
        reverse("suggestions:assignment_act", args=[assignment.pk, "reply"]), {"reply-result": "Z", "reply-content": "<script>x</script>"}
    )
    assert bad.status_code == 400
    assert "<script>x</script>" not in _text(bad) and "&lt;script&gt;x&lt;/script&gt;" in _text(bad)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SIGNED


def test_officer_step_not_allowed_now_is_a_message(officer_client, world):
    assignment = _assigned(world).assignments.get()
    response = officer_client.post(
        reverse("suggestions:assignment_act", args=[assignment.pk, "reply"]), {"reply-result": "A", "reply-content": "答复"}, follow=True
    )
    assert "不能" in _text(response)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PENDING


def test_officer_of_another_unit_gets_404(client, world):
    assignment = _assigned(world).assignments.get()
    client.force_login(world["co_officer"])
    assert client.get(reverse("suggestions:assignment", args=[assignment.pk])).status_code == 404
    assert client.post(reverse("suggestions:assignment_act", args=[assignment.pk, "sign"]), {}).status_code == 404


def test_co_unit_sees_the_lead_units_progress(client, world):
    suggestion = _assigned(world, co_units=[world["co_unit"]])
    lead = suggestion.assignments.get(unit=world["unit"])
    services.assignment_sign(assignment=lead, by=world["officer"])
    services.assignment_reply(assignment=lead, by=world["officer"], result="B", content="列入明年计划。")
    co = suggestion.assignments.get(unit=world["co_unit"])
    client.force_login(world["co_officer"])
    text = _text(client.get(reverse("suggestions:assignment", args=[co.pk])))
    assert "区住建局" in text and "列入明年计划。" in text and "主办" in text


# --- staff ------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, world):
    client.force_login(world["staff"])
    return client


def test_review_queue_lists_submitted_items_in_my_region(staff_client, world, django_assert_max_num_queries):
    mine = [_submitted(world, title=f"待审{i}") for i in range(3)]
    SuggestionFactory(region=world["other_township"], title="外区的")
    with django_assert_max_num_queries(8):
        response = staff_client.get(reverse("suggestions:review_queue"))
    assert [s.pk for s in response.context["page"].object_list] == [s.pk for s in mine]
    assert "外区的" not in _text(response)


def test_review_queue_is_for_staff(client, world):
    client.force_login(world["officer"])
    assert client.get(reverse("suggestions:review_queue")).status_code == 403


def test_staff_accepts_from_the_queue(staff_client, world):
    suggestion = _submitted(world)
    queue = reverse("suggestions:review_queue")
    response = staff_client.post(reverse("suggestions:act", args=[suggestion.pk, "accept"]), {"next": queue})
    assert response["Location"] == queue
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ACCEPTED


def test_staff_decline_needs_a_reason(staff_client, world):
    suggestion = _submitted(world)
    url = reverse("suggestions:act", args=[suggestion.pk, "decline"])
    refused = staff_client.post(url, {"decline-reason": ""})
    assert refused.status_code == 400
    staff_client.post(url, {"decline-reason": "不属于人大工作范围"})
    suggestion.refresh_from_db()
    assert suggestion.status == Status.DECLINED


def test_staff_merge_by_tracking_code(staff_client, world):
    target = _submitted(world, title="主件")
    duplicate = _submitted(world, title="重复件")
    url = reverse("suggestions:act", args=[duplicate.pk, "merge"])
    unknown = staff_client.post(url, {"merge-into": "NOSUCHCODE22"})
    assert unknown.status_code == 400
    staff_client.post(url, {"merge-into": target.code.lower()})
    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED and duplicate.merged_into == target


def test_staff_resolves_on_the_spot(staff_client, world):
    suggestion = _submitted(world)
    staff_client.post(reverse("suggestions:act", args=[suggestion.pk, "resolve_on_spot"]), {"resolve-note": "当场解答", "resolve-result": "A"})
    suggestion.refresh_from_db()
    assert suggestion.status == Status.REPLIED


def test_unknown_action_is_404(staff_client, world):
    suggestion = _submitted(world)
    assert staff_client.post(f"/work/suggestions/{suggestion.pk}/explode/").status_code == 404


def test_staff_assigns_with_the_computed_deadline(staff_client, world):
    suggestion = services.suggestion_accept(suggestion=_submitted(world), by=world["staff"])
    url = reverse("suggestions:assign", args=[suggestion.pk])
    page = staff_client.get(url)
    assert "区级联动" in _text(page) and "外区单位" not in _text(page)
    foreign = staff_client.post(url, {"route": "district", "lead_unit": world["foreign_unit"].pk})
    assert "lead_unit" in foreign.context["form"].errors
    response = staff_client.post(url, {"route": "district", "lead_unit": world["unit"].pk, "co_units": [world["co_unit"].pk]})
    assert response["Location"] == reverse("suggestions:detail", args=[suggestion.pk])
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ASSIGNED
    lead = suggestion.assignments.get(role="lead")
    assert lead.unit == world["unit"] and lead.deadline > timezone.localdate()


def test_assign_in_the_wrong_state_is_a_message(staff_client, world):
    suggestion = _submitted(world)
    response = staff_client.post(reverse("suggestions:assign", args=[suggestion.pk]), {"route": "district", "lead_unit": world["unit"].pk}, follow=True)
    assert "不能" in _text(response)


def test_staff_of_another_region_gets_404(client, world):
    suggestion = _submitted(world)
    client.force_login(UserFactory(role=Role.STAFF, region=world["other_county"]))
    assert client.get(reverse("suggestions:detail", args=[suggestion.pk])).status_code == 404
    assert client.post(reverse("suggestions:act", args=[suggestion.pk, "accept"]), {}).status_code == 404


def test_detail_shows_the_steps_the_user_may_take(staff_client, world):
    suggestion = _submitted(world)
    response = staff_client.get(reverse("suggestions:detail", args=[suggestion.pk]))
    names = [item["name"] for item in response.context["action_forms"]]
    assert names == ["accept", "decline", "resolve_on_spot", "merge"]
    assert "13812345678" not in _text(response) and "138****5678" in _text(response)


def test_supervision_board_lists_overdue_and_urges(staff_client, world):
    suggestion = _assigned(world)
    suggestion.assignments.update(deadline=timezone.localdate() - datetime.timedelta(days=5))
    response = staff_client.get(reverse("suggestions:supervision"))
    assert [s.pk for s in response.context["page"].object_list] == [suggestion.pk]
    assert dict((k, n) for k, _label, n in response.context["tabs"])["overdue"] == 1
    staff_client.post(reverse("suggestions:act", args=[suggestion.pk, "urge"]), {"urge-note": "请抓紧"})
    assert suggestion.events.filter(action="urge").exists()
    assert staff_client.get(reverse("suggestions:supervision"), {"tab": "nope"}).status_code == 404


def test_staff_closes_feeds_back_and_publishes(staff_client, world, client):
    suggestion = _replied(world)
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
    text = _text(staff_client.get(reverse("suggestions:supervision")))
    assert "本区老旧小区改造" in text and "外区道路" not in text


def test_supervision_board_for_a_staff_account_without_region_is_empty(client, world):
    SupervisionBundle.objects.create(title="本区老旧小区改造", region=world["county"])
    client.force_login(UserFactory(role=Role.STAFF, region=None))
    response = client.get(reverse("suggestions:supervision"))
    assert list(response.context["bundles"]) == [] and response.context["page"].paginator.count == 0


def test_supervision_board_query_count_is_constant(staff_client, world, django_assert_max_num_queries):
    for _i in range(4):
        _assigned(world)
    with django_assert_max_num_queries(10):
        response = staff_client.get(reverse("suggestions:supervision"), {"tab": "all"})
    assert response.context["page"].paginator.count == 4


def test_supervision_board_labels_follow_the_language_of_the_request(staff_client, world):
    staff_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = _text(staff_client.get(reverse("suggestions:supervision")))
    assert "Overdue" in text and "Due soon" in text and "已超期" not in text


# --- notifications ------------------------------------------------------------------------------


def test_notifications_list_mine_and_mark_read(officer_client, world):
    suggestion = _assigned(world)  # the assignment notifies the unit's officer
    mine = world["officer"].notifications.get()
    NotificationFactory(recipient=world["co_officer"], title="别人的通知")
    nav = _text(officer_client.get(reverse("suggestions:inbox")))
    assert '<span class="visually-hidden">1 条未读</span>' in nav
    response = officer_client.get(reverse("suggestions:notifications"))
    text = _text(response)
    assert mine.title in text and "别人的通知" not in text
    assert reverse("suggestions:assignment", args=[suggestion.assignments.get().pk]) in text
    officer_client.post(reverse("suggestions:notification_read", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert list(officer_client.get(reverse("suggestions:notifications")).context["page"].object_list) == []
    assert officer_client.get(reverse("suggestions:notifications"), {"show": "all"}).context["page"].paginator.count == 1


def test_someone_elses_notification_is_404(officer_client, world):
    other = NotificationFactory(recipient=world["co_officer"])
    assert officer_client.post(reverse("suggestions:notification_read", args=[other.pk])).status_code == 404
    assert officer_client.get(reverse("suggestions:notifications"), {"show": "odd"}).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None
