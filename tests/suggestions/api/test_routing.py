"""API.md "Additions: intake and routing" over the API: route_proposal, the lead rule and 附议
consent, `?session=`, resolve-on-spot by the receiving deputy, reopen, escalate, the route rule
at assign, batch-assign, and the statistics' session split, single counting and 本届."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from liaison.models import Role
from suggestions.models import Consent, Route, Status, Suggestion, SuggestionKind, Term
from suggestions.services.intake import suggestion_convert_to_deputy_suggestion
from tests.factories import DeputyFactory, UserFactory

API = "/api/v1"


def post(client, path, body=None):
    return client.post(f"{API}/{path}", body or {}, format="json")


# --- create ------------------------------------------------------------------------------------
def test_a_reception_issue_is_created_with_its_class(world, api_for):
    response = post(api_for(world.deputy_user), "suggestions/", {
        "kind": "opinion", "title": "路灯不亮", "content": "晚上很黑。", "region": world.township.code,
        "route_proposal": "on_spot", "submitter_name": "王小明",
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["route_proposal"] == "on_spot" and body["route"] == ""
    assert [d["id"] for d in body["deputies"]] == [world.deputy.pk]  # the recording deputy received it


def test_an_unknown_class_is_400(world, api_for):
    response = post(api_for(world.staff), "suggestions/", {
        "title": "路灯", "content": "不亮", "region": world.township.code, "route_proposal": "city",
    })
    assert response.status_code == 400 and "route_proposal" in response.json()["errors"]


def test_a_deputy_naming_another_lead_gets_400_and_nothing_is_created(world, api_for):
    other = DeputyFactory(region=world.township)
    before = Suggestion.objects.count()
    response = post(api_for(world.deputy_user), "suggestions/", {
        "kind": "deputy_suggestion", "title": "建议", "content": "内容", "region": world.county.code,
        "deputies": [other.pk, world.deputy.pk],
    })
    assert response.status_code == 400 and "deputies" in response.json()["errors"]
    assert Suggestion.objects.count() == before


def test_a_co_signer_appears_only_after_confirming(world, api_for):
    co = DeputyFactory(region=world.township, user=UserFactory(role=Role.DEPUTY))
    created = post(api_for(world.deputy_user), "suggestions/", {
        "kind": "deputy_suggestion", "title": "建议", "content": "内容", "region": world.county.code,
        "deputies": [world.deputy.pk, co.pk], "session": "in_session",
    }).json()
    assert [d["id"] for d in created["deputies"]] == [world.deputy.pk]
    assert created["cosign_requests"] == [{"id": co.pk, "name": co.name, "role": "co_signer", "consent": "asked"}]
    # only the deputy asked answers
    assert post(api_for(world.other_deputy_user), f"suggestions/{created['id']}/cosign/", {"agree": True}).status_code == 404
    assert post(api_for(world.deputy_user), f"suggestions/{created['id']}/cosign/", {"agree": True}).status_code == 403
    assert post(api_for(co.user), f"suggestions/{created['id']}/cosign/", {}).status_code == 400
    response = post(api_for(co.user), f"suggestions/{created['id']}/cosign/", {"agree": True})
    assert response.status_code == 200, response.content
    lead_view = api_for(world.deputy_user).get(f"{API}/suggestions/{created['id']}/").json()
    assert [(d["id"], d["role"], d["consent"]) for d in lead_view["deputies"]] == [
        (world.deputy.pk, "lead", "confirmed"), (co.pk, "co_signer", "confirmed"),
    ]
    assert lead_view["cosign_requests"] == []


# --- ?session= -----------------------------------------------------------------------------------
def test_the_session_filter(world, api_for):
    in_session = world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, session="in_session")
    interim = world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, session="interim")
    client = api_for(world.staff)
    ids = {row["id"] for row in client.get(f"{API}/suggestions/", {"session": "in_session"}).json()["results"]}
    assert ids == {in_session.pk}
    ids = {row["id"] for row in client.get(f"{API}/suggestions/", {"session": "interim"}).json()["results"]}
    assert ids == {interim.pk}
    response = client.get(f"{API}/suggestions/", {"session": "bogus"})
    assert response.status_code == 400 and "session" in response.json()["errors"]


# --- 代表即办 and reopen ---------------------------------------------------------------------------
def test_the_receiving_deputy_resolves_on_the_spot_and_staff_reopen(world, api_for):
    opinion = world.submit(route_proposal=Route.ON_SPOT)
    assert post(api_for(world.other_deputy_user), f"suggestions/{opinion.pk}/resolve-on-spot/",
                {"note": "x"}).status_code == 404  # not theirs: not even visible
    response = post(api_for(world.deputy_user), f"suggestions/{opinion.pk}/resolve-on-spot/", {"note": "当场修好"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "replied" and response.json()["route"] == "on_spot"
    assert post(api_for(world.deputy_user), f"suggestions/{opinion.pk}/reopen/", {}).status_code == 403
    response = post(api_for(world.staff), f"suggestions/{opinion.pk}/reopen/", {"note": "需部门办理"})
    assert response.status_code == 200 and response.json()["status"] == "accepted"


def test_reopen_of_an_item_a_unit_answered_is_409(world, api_for):
    replied = world.drive(world.submit(), Status.REPLIED)
    response = post(api_for(world.staff), f"suggestions/{replied.pk}/reopen/", {})
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"


# --- escalate ------------------------------------------------------------------------------------
def test_escalation_reaches_the_citys_review_queue(world, api_for):
    suggestion = world.submit(route_proposal=Route.ESCALATE)
    response = post(api_for(world.staff), f"suggestions/{suggestion.pk}/escalate/", {"note": "涉及市级事权"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["escalated_to"] == world.city.code and body["escalated_to_name"] == world.city.name
    assert body["status"] == "submitted" and "accept" not in body["allowed_actions"]
    city_view = api_for(world.city_staff).get(f"{API}/suggestions/{suggestion.pk}/").json()
    assert "accept" in city_view["allowed_actions"]
    assert [e["action"] for e in city_view["events"]] == ["submit", "escalate"]
    response = post(api_for(world.city_staff), f"suggestions/{suggestion.pk}/escalate/", {"to_region": world.city.code})
    assert response.status_code == 400 and "to_region" in response.json()["errors"]


# --- assign and batch-assign ----------------------------------------------------------------------
def test_a_wrong_level_assignment_is_400_naming_the_rule(world, api_for):
    suggestion = world.drive(world.submit(), Status.ACCEPTED)
    response = post(api_for(world.staff), f"suggestions/{suggestion.pk}/assign/",
                    {"route": "township", "lead_unit": world.unit.pk})
    assert response.status_code == 400
    assert "ROUTE_UNIT_LEVELS" in response.json()["errors"]["route"][0]
    assert Suggestion.objects.get(pk=suggestion.pk).status == Status.ACCEPTED


def test_batch_assign_reports_each_item(world, api_for):
    ready = [world.drive(world.submit(title=f"建议{i}"), Status.ACCEPTED) for i in range(2)]
    not_yet = world.submit(title="未受理")
    hidden = Suggestion.objects.create(kind="opinion", title="外区", content="x", region=world.other_township)
    ids = [ready[0].pk, not_yet.pk, hidden.pk, ready[1].pk]
    response = post(api_for(world.staff), "suggestions/batch-assign/", {
        "suggestions": ids, "route": "district", "lead_unit": world.unit.pk, "requirements": "会后统一交办",
    })
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(r["id"], r["status"]) for r in body["results"]] == [
        (ready[0].pk, 200), (not_yet.pk, 409), (hidden.pk, 404), (ready[1].pk, 200),
    ]
    assert body["results"][1]["code"] == "invalid_transition"
    assert body["assigned"] == 2 and body["failed"] == 2
    assert {s.status for s in Suggestion.objects.filter(pk__in=[r.pk for r in ready])} == {Status.ASSIGNED}
    assert Suggestion.objects.get(pk=not_yet.pk).status == Status.SUBMITTED
    assert not not_yet.assignments.exists()


def test_batch_assign_checks_the_route_per_item_and_the_body_as_a_whole(world, api_for):
    item = world.drive(world.submit(), Status.ACCEPTED)
    client = api_for(world.staff)
    body = post(client, "suggestions/batch-assign/", {"suggestions": [item.pk], "route": "grassroots",
                                                      "lead_unit": world.unit.pk}).json()
    assert body["results"][0]["status"] == 400 and body["results"][0]["code"] == "route_unit_level"
    assert not item.assignments.exists()
    assert post(client, "suggestions/batch-assign/", {"suggestions": [], "lead_unit": world.unit.pk}).status_code == 400
    assert post(client, "suggestions/batch-assign/", {"suggestions": [item.pk], "lead_unit": 999999}).status_code == 400
    # a unit officer does not see the accepted item: reported as 404, nothing assigned
    officer = post(api_for(world.officer), "suggestions/batch-assign/", {"suggestions": [item.pk], "route": "district",
                                                                        "lead_unit": world.unit.pk})
    assert officer.status_code == 200 and officer.json()["results"][0]["status"] == 404
    # a deputy who sees it (they received it) may not assign: 403 for the item
    deputy = post(api_for(world.deputy_user), "suggestions/batch-assign/", {"suggestions": [item.pk], "route": "district",
                                                                           "lead_unit": world.unit.pk})
    assert deputy.status_code == 400  # a deputy sees no units: the body names none they may use
    assert not item.assignments.exists()


# --- statistics ----------------------------------------------------------------------------------
@pytest.fixture
def stats_staff(world):
    return world.city_staff


def _summary(client, **params):
    response = client.get(f"{API}/stats/summary/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_converted_opinion_is_collected_once_and_the_session_split_is_given(world, api_for, stats_staff):
    opinion = world.submit()
    suggestion_convert_to_deputy_suggestion(suggestion=opinion, by=world.deputy_user)
    world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, session="in_session")
    figures = _summary(api_for(stats_staff), region=world.city.code)
    assert figures["collected"] == 2  # the opinion once, and the session suggestion
    assert figures["deputy_suggestions"] == 2  # the converted one and the session one
    assert figures["in_session"] == 1 and figures["interim"] == 1
    assert figures["merged"] == 1


def test_an_on_spot_resolution_counts_as_on_spot(world, api_for, stats_staff):
    from suggestions.services.intake import suggestion_resolve_on_spot

    suggestion_resolve_on_spot(suggestion=world.submit(), by=world.deputy_user, note="当场解决")
    figures = _summary(api_for(stats_staff), region=world.city.code)
    assert figures["on_spot"] == 1 and figures["replied"] == 1


def test_the_term_period(world, api_for, stats_staff):
    client = api_for(stats_staff)
    response = client.get(f"{API}/stats/summary/", {"period": "term"})
    assert response.status_code == 400 and "period" in response.json()["errors"]
    today = timezone.localdate()
    Term.objects.create(name="长治市第十五届", region=world.city, start_on=today - datetime.timedelta(days=900))
    figures = _summary(client, period="term")
    assert figures["period_start"] == (today - datetime.timedelta(days=900)).isoformat()
    assert figures["period_end"] == today.isoformat()


def test_the_schema_documents_the_additions(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in ("batch-assign/", "{id}/cosign/", "{id}/reopen/", "{id}/escalate/", "{id}/resolve-on-spot/"):
        assert f"/api/v1/suggestions/{path}" in paths, path
    fields = schema["components"]["schemas"]["SuggestionDetail"]["properties"]
    assert {"route_proposal", "escalated_to", "cosign_requests", "session"} <= set(fields)
    assert "route_proposal" in schema["components"]["schemas"]["SuggestionCreateRequest"]["properties"]
    batch = paths["/api/v1/suggestions/batch-assign/"]["post"]
    assert {"200", "400"} <= set(batch["responses"])
    assert "409" in paths["/api/v1/suggestions/{id}/reopen/"]["post"]["responses"]
    assert {p["name"] for p in paths["/api/v1/suggestions/"]["get"]["parameters"]} >= {"session"}
    assert Consent.ASKED in str(schema)
