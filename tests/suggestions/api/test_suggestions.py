"""suggestions/ and assignments/: who sees what, what a row shows, create, filters, query counts."""

import datetime

import pytest
from django.utils import timezone

from liaison.models import Role
from suggestions.models import Status, Suggestion, sync_lead_deadline
from tests.factories import DeputyFactory, StationFactory, UserFactory
from tests.suggestions.lists import many_suggestions

API = "/api/v1"


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- who sees what -------------------------------------------------------------------------------
def test_staff_see_their_region_and_below(world, api_for):
    mine = world.submit()
    theirs = world.submit(region=world.other_township, by=world.other_staff)
    assert ids(api_for(world.staff).get(f"{API}/suggestions/")) == {mine.pk}
    assert ids(api_for(world.city_staff).get(f"{API}/suggestions/")) == {mine.pk, theirs.pk}
    assert api_for(world.staff).get(f"{API}/suggestions/{theirs.pk}/").status_code == 404


def test_unit_officers_see_what_is_assigned_to_their_unit(world, api_for):
    assigned = world.drive(world.submit(), Status.ASSIGNED)
    world.submit()  # not assigned
    assert ids(api_for(world.officer).get(f"{API}/suggestions/")) == {assigned.pk}
    assert ids(api_for(world.co_officer).get(f"{API}/suggestions/")) == {assigned.pk}
    assert ids(api_for(world.foreign_officer).get(f"{API}/suggestions/")) == set()
    assert api_for(world.foreign_officer).get(f"{API}/suggestions/{assigned.pk}/").status_code == 404
    lead = assigned.assignments.get(role="lead")
    assert ids(api_for(world.officer).get(f"{API}/assignments/")) == {lead.pk}
    assert api_for(world.co_officer).get(f"{API}/assignments/{lead.pk}/").status_code == 404
    assert api_for(world.foreign_officer).get(f"{API}/assignments/{lead.pk}/").status_code == 404


def test_deputies_see_their_own_and_co_signed_suggestions(world, api_for):
    co_signer_user = UserFactory(role=Role.DEPUTY)
    co_signer = DeputyFactory(region=world.township, user=co_signer_user)
    own = world.submit(kind="deputy_suggestion", deputies=[world.deputy, co_signer])
    received = world.submit()  # an opinion the deputy received
    other = world.submit(deputies=[])
    assert ids(api_for(world.deputy_user).get(f"{API}/suggestions/")) == {own.pk, received.pk}
    assert ids(api_for(co_signer_user).get(f"{API}/suggestions/")) == {own.pk}
    assert api_for(world.other_deputy_user).get(f"{API}/suggestions/{own.pk}/").status_code == 404
    assert api_for(world.deputy_user).get(f"{API}/suggestions/{other.pk}/").status_code == 404


def test_anonymous_callers_are_401(world, api_for):
    assert api_for().get(f"{API}/suggestions/").status_code == 401
    assert api_for().get(f"{API}/assignments/").status_code == 401
    assert api_for().get(f"{API}/notifications/").status_code == 401


# --- what a row shows ----------------------------------------------------------------------------
def test_submitter_name_and_phone_are_masked_for_those_who_may_not_see_them(world, api_for):
    suggestion = world.drive(world.submit(submitter_phone="13900001111"), Status.ASSIGNED)
    for user in (world.staff, world.deputy_user):  # staff in scope; the deputy who received it
        full = api_for(user).get(f"{API}/suggestions/{suggestion.pk}/").json()
        assert full["submitter_phone"] == "13900001111" and full["submitter_name"] == "王小明"
    for user in (world.officer, world.co_officer, world.other_deputy_user):
        client = api_for(user)
        response = client.get(f"{API}/suggestions/")
        for row in response.json()["results"]:
            assert (row["submitter_name"], row["submitter_phone"]) == ("王**", "139****1111")
    masked = api_for(world.officer).get(f"{API}/suggestions/{suggestion.pk}/").json()
    assert (masked["submitter_name"], masked["submitter_phone"]) == ("王**", "139****1111")


def test_a_row_has_the_contract_fields(world, api_for):
    suggestion = world.drive(world.submit(), Status.HANDLING)
    body = api_for(world.staff).get(f"{API}/suggestions/{suggestion.pk}/").json()
    for field in (
        "code", "kind", "title", "content", "category", "region", "station", "reception", "submitter_name",
        "submitter_phone", "deputies", "status", "supervision", "deadline", "is_overdue", "overdue_tier",
        "assignments", "events", "evaluation",
    ):
        assert field in body, field
    assert body["code"] == suggestion.code and body["region"] == world.township.code
    assert body["deputies"] == [{"id": world.deputy.pk, "name": world.deputy.name, "role": "lead", "consent": "confirmed"}]
    assert body["status"] == "handling" and body["overdue_tier"] == "on_track" and body["is_overdue"] is False
    assert [e["action"] for e in body["events"]] == ["submit", "accept", "assign", "sign"]
    assert body["evaluation"] is None
    assert [a["role"] for a in body["assignments"]] == ["lead", "co"]  # the lead unit first
    lead = body["assignments"][0]
    assert lead["unit_name"] == "潞州区住建局" and lead["status"] == "signed"


def test_overdue_suggestions_are_flagged_and_filtered(world, api_for):
    late = world.drive(world.submit(), Status.ASSIGNED)
    late.assignments.filter(role="lead").update(deadline=timezone.localdate() - datetime.timedelta(days=3))
    sync_lead_deadline(late)
    on_time = world.drive(world.submit(), Status.ASSIGNED)
    client = api_for(world.staff)
    body = client.get(f"{API}/suggestions/{late.pk}/").json()
    assert body["is_overdue"] is True and body["overdue_tier"] == "overdue"
    assert ids(client.get(f"{API}/suggestions/", {"overdue": "true"})) == {late.pk}
    assert ids(client.get(f"{API}/suggestions/", {"overdue": "false"})) == {on_time.pk}
    assert ids(client.get(f"{API}/suggestions/", {"overdue_tier": "overdue"})) == {late.pk}
    assert ids(client.get(f"{API}/assignments/", {"overdue": "true"})) == set(
        late.assignments.filter(role="lead").values_list("pk", flat=True)
    )


# --- filters -------------------------------------------------------------------------------------
def test_filters(world, api_for):
    station = StationFactory(region=world.township)
    first = world.drive(world.submit(station=station), Status.ASSIGNED)
    second = world.submit(kind="deputy_suggestion", title="关于加强学校周边交通管理的建议")
    third = world.submit(region=world.county, deputies=[], title="菜市场噪音扰民")
    Suggestion.objects.filter(pk=third.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    client = api_for(world.staff)
    today = timezone.localdate()

    def find(**params):
        return ids(client.get(f"{API}/suggestions/", params))

    assert find(status="assigned") == {first.pk}
    assert find(kind="deputy_suggestion") == {second.pk}
    assert find(region=world.township.code) == {first.pk, second.pk}
    assert find(region=world.county.code) == {first.pk, second.pk, third.pk}
    assert find(station=station.pk) == {first.pk}
    assert find(unit=world.unit.pk) == {first.pk} == find(unit=world.co_unit.pk)
    assert find(deputy=world.deputy.pk) == {first.pk, second.pk}
    assert find(category=world.category.pk) == {first.pk, second.pk, third.pk}
    assert find(supervision="none") == {first.pk, second.pk, third.pk}
    assert find(created_after=(today - datetime.timedelta(days=1)).isoformat()) == {first.pk, second.pk}
    assert find(created_before=(today - datetime.timedelta(days=30)).isoformat()) == {third.pk}
    assert find(q="学校周边") == {second.pk}
    assert find(q=first.code) == {first.pk}


@pytest.mark.parametrize(
    "params",
    [
        {"status": "lost"},
        {"kind": "letter"},
        {"region": "14x4"},
        {"unit": "abc"},
        {"unit": str(2**70)},
        {"created_after": "yesterday"},
        {"q": "x" * 101},
        {"q": "路\x00灯"},
        {"page_size": "500"},
    ],
)
def test_bad_filters_are_400(world, api_for, params):
    assert api_for(world.staff).get(f"{API}/suggestions/", params).status_code == 400


# --- create ---------------------------------------------------------------------------------------
def test_staff_create_an_opinion(world, api_for):
    response = api_for(world.staff).post(f"{API}/suggestions/", {
        "title": "小区门口路灯不亮", "content": "晚上出行不安全。", "region": world.township.code,
        "category": world.category.pk, "submitter_name": "王小明", "submitter_phone": "13900001111",
        "deputies": [world.deputy.pk],
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["kind"] == "opinion" and len(body["code"]) == 12
    assert [e["action"] for e in body["events"]] == ["submit"]
    assert Suggestion.objects.get(pk=body["id"]).source == "api"


def test_a_deputy_creates_a_suggestion_with_co_signers_lead_first(world, api_for):
    co_signer = DeputyFactory(region=world.township)
    response = api_for(world.deputy_user).post(f"{API}/suggestions/", {
        "kind": "deputy_suggestion", "title": "关于加强学校周边交通管理的建议", "content": "上下学时段拥堵。",
        "region": world.county.code, "deputies": [co_signer.pk],
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    # the co-signer is asked, and is one of the deputies only once they confirm (附议)
    assert [(d["id"], d["role"]) for d in body["deputies"]] == [(world.deputy.pk, "lead")]
    assert [(d["id"], d["consent"]) for d in body["cosign_requests"]] == [(co_signer.pk, "asked")]


def test_who_may_not_create_gets_403(world, api_for):
    body = {"title": "标题", "content": "内容", "region": world.township.code}
    assert api_for(world.officer).post(f"{API}/suggestions/", body, format="json").status_code == 403
    response = api_for(world.staff).post(f"{API}/suggestions/", {**body, "region": world.other_township.code}, format="json")
    assert response.status_code == 403
    assert Suggestion.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"content": ""}, "content"),
        ({"region": "99"}, "region"),
        ({"region": "14-04"}, "region"),
        ({"category": 999999}, "category"),
        ({"category": 2**70}, "category"),
        ({"deputies": "7"}, "deputies"),
        ({"deputies": [999999]}, "deputies"),
        ({"kind": "letter"}, "kind"),
        ({"submitter_phone": "call me"}, "submitter_phone"),
        ({"kind": "deputy_suggestion", "deputies": []}, "deputies"),
    ],
)
def test_bad_input_is_400_with_field_errors(world, api_for, body, field):
    data = {"title": "标题", "content": "内容", "region": world.township.code, **body}
    response = api_for(world.staff).post(f"{API}/suggestions/", data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert Suggestion.objects.count() == 0


# --- constant queries -----------------------------------------------------------------------------
def _queries(django_assert_max_num_queries, client, path, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(path, {"page_size": 200})
    assert response.status_code == 200
    return len(captured.captured_queries), response.json()["count"]


@pytest.mark.parametrize("who", ["staff", "officer", "deputy_user"])
def test_suggestion_list_runs_a_constant_number_of_queries(world, api_for, django_assert_max_num_queries, who):
    client = api_for(getattr(world, who))
    many_suggestions(world, 5)
    few, count = _queries(django_assert_max_num_queries, client, f"{API}/suggestions/", 14)
    assert count == 5
    many_suggestions(world, 45)
    many, count = _queries(django_assert_max_num_queries, client, f"{API}/suggestions/", 14)
    assert count == 50
    assert many == few


def test_assignment_and_notification_lists_run_a_constant_number_of_queries(world, api_for, django_assert_max_num_queries):
    client = api_for(world.officer)
    many_suggestions(world, 5)
    few = [_queries(django_assert_max_num_queries, client, f"{API}/{p}/", 8)[0] for p in ("assignments", "notifications")]
    many_suggestions(world, 45)
    many = [_queries(django_assert_max_num_queries, client, f"{API}/{p}/", 8)[0] for p in ("assignments", "notifications")]
    assert many == few


def test_leaders_read_their_region_and_superusers_everything(world, api_for):
    mine = world.submit()
    theirs = world.submit(region=world.other_township, by=world.other_staff)
    assert ids(api_for(world.leader).get(f"{API}/suggestions/")) == {mine.pk}
    root = UserFactory(username="root", role=Role.STAFF, is_superuser=True)
    assert ids(api_for(root).get(f"{API}/suggestions/")) == {mine.pk, theirs.pk}
    full = api_for(world.leader).get(f"{API}/suggestions/{mine.pk}/").json()
    assert full["submitter_phone"] == "13900001111"  # a leader of the region sees it in full
    response = api_for(world.leader).post(f"{API}/suggestions/{mine.pk}/accept/", {}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_the_openapi_schema_validates_without_warnings(db, tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text(encoding="utf-8")
    for path in ("/api/v1/suggestions/{id}/resolve-on-spot/", "/api/v1/assignments/{id}/return/",
                 "/api/v1/public/track/{code}/", "/api/v1/notifications/{id}/read/"):
        assert path in text
