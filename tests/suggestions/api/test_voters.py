"""The voter's side over the API (issue 14): the tracking fields, `public/track/{code}/rate/`,
the consent on the create endpoints, `publish-preview/` and `publish/` with the public text,
and 选民满意率 in `stats/summary/`."""

from __future__ import annotations

import json

import pytest

from suggestions.models import Evaluation, Status, Suggestion
from suggestions.services.closing import suggestion_feedback

API = "/api/v1"


def rate(api_for, code, **body):
    return api_for().post(f"{API}/public/track/{code}/rate/", body, format="json")


def test_tracking_shows_unit_expected_date_reply_and_the_voters_rating(world, api_for):
    suggestion = world.drive(world.submit(), Status.HANDLING)
    body = api_for().get(f"{API}/public/track/{suggestion.code}/").json()
    lead = suggestion.assignments.get(role="lead")
    assert (body["unit"], body["expected_on"], body["reply"], body["rating"]) == (
        world.unit.name, lead.deadline.isoformat(), "", "")
    assert body["rateable"] is False and body["needs_phone_last4"] is True
    replied = world.drive(world.submit(), Status.REPLIED)
    assert rate(api_for, replied.code, rating="basically_satisfied", phone_last4="1111").status_code == 201
    body = api_for().get(f"{API}/public/track/{replied.code}/").json()
    assert body["rating"] == "basically_satisfied" and body["rateable"] is False and body["expected_on"] is None
    assert [e["action"] for e in body["timeline"]][-1] == "voter_rate"
    assert all(e["at"] for e in body["timeline"])


def test_rate_answers_201_then_409_for_the_same_reply(world, api_for):
    suggestion = world.drive(world.submit(), Status.REPLIED)
    response = rate(api_for, suggestion.code, rating="unsatisfied", comment="灯还是不亮", phone_last4="1111")
    assert response.status_code == 201, response.content
    assert response.json() == {"code": suggestion.code, "rating": "unsatisfied", "round": 0}
    again = rate(api_for, suggestion.code.lower(), rating="satisfied", phone_last4="1111")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"rating": "satisfied"}, 400, "phone_last4"),
    ({"rating": "unsatisfied", "phone_last4": "1111"}, 400, "comment"),
    ({"rating": "wonderful", "phone_last4": "1111"}, 400, "rating"),
    ({"rating": "satisfied", "phone_last4": "12345"}, 400, "phone_last4"),
    ({"rating": "satisfied", "phone_last4": "2222"}, 403, None),
])
def test_bad_ratings_are_refused_and_change_nothing(world, api_for, body, status, field):
    suggestion = world.drive(world.submit(), Status.REPLIED)
    response = rate(api_for, suggestion.code, **body)
    assert response.status_code == status, response.content
    if field:
        assert field in response.json()["errors"]
    else:
        assert "1111" not in json.dumps(response.json(), ensure_ascii=False)
    assert not Evaluation.objects.filter(suggestion=suggestion).exists()


def test_rating_an_unanswered_item_is_409_and_an_unknown_code_404(world, api_for):
    suggestion = world.drive(world.submit(), Status.HANDLING)
    assert rate(api_for, suggestion.code, rating="satisfied", phone_last4="1111").status_code == 409
    assert rate(api_for, "NOSUCHCODE22", rating="satisfied", phone_last4="1111").status_code == 404
    assert rate(api_for, "no-such-code!", rating="satisfied").status_code == 404


def test_ratings_have_their_own_throttle(world, api_for, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "voter_rate": "2/min"},
    }
    suggestion = world.drive(world.submit(), Status.REPLIED)
    client = api_for()
    codes = [client.post(f"{API}/public/track/{suggestion.code}/rate/", {"rating": "satisfied", "phone_last4": d},
                         format="json").status_code for d in ("0000", "0001", "0002")]
    assert codes == [403, 403, 429]
    assert client.get(f"{API}/public/track/{suggestion.code}/").status_code == 200  # lookups are not spent


def test_public_and_staff_create_record_consent_and_email(world, api_for):
    body = {"title": "路灯不亮", "content": "请修复", "region": world.township.code, "submitter_name": "王小明",
            "submitter_phone": "13900001111", "submitter_email": "v@example.cn", "contact_consent": True}
    code = api_for().post(f"{API}/public/opinions/", body, format="json").json()["code"]
    suggestion = Suggestion.objects.get(code=code)
    assert suggestion.contact_consent is True and suggestion.submitter_email == "v@example.cn"
    response = api_for(world.staff).post(f"{API}/suggestions/", {**body, "kind": "opinion"}, format="json")
    assert response.status_code == 201 and response.json()["contact_consent"] is True
    assert response.json()["submitter_email"] == "v@example.cn"
    bad = api_for().post(f"{API}/public/opinions/", {**body, "submitter_email": "not-an-address"}, format="json")
    assert bad.status_code == 400 and "submitter_email" in bad.json()["errors"]


def test_the_email_follows_the_privacy_rule(world, api_for):
    suggestion = world.drive(world.submit(submitter_email="v@example.cn", contact_consent=True), Status.HANDLING)
    assert api_for(world.officer).get(f"{API}/suggestions/{suggestion.pk}/").json()["submitter_email"] == "v@example.cn"
    assert api_for(world.co_officer).get(f"{API}/suggestions/{suggestion.pk}/").json()["submitter_email"] == ""
    no_consent = world.drive(world.submit(submitter_email="v@example.cn"), Status.HANDLING)
    detail = api_for(world.officer).get(f"{API}/suggestions/{no_consent.pk}/").json()
    assert (detail["submitter_name"], detail["submitter_email"]) == ("王**", "")


def test_publish_preview_masks_and_publish_takes_the_edited_text(world, api_for):
    suggestion = world.drive(world.submit(content="我叫王小明，电话13900001111，身份证140403199001011234。"), Status.REPLIED)
    preview = api_for(world.staff).get(f"{API}/suggestions/{suggestion.pk}/publish-preview/")
    assert preview.status_code == 200
    body = preview.json()
    assert body["public_content"] == "我叫王**，电话***********，身份证1*****************。"
    assert sorted(body["masked"]) == ["id_number", "mobile", "name"] and body["can_publish"] is False
    refused = api_for(world.staff).post(f"{API}/suggestions/{suggestion.pk}/publish/", {}, format="json")
    assert refused.status_code == 409  # replied, not yet fed back
    suggestion_feedback(suggestion=suggestion, by=world.staff, channel="phone")
    assert api_for(world.staff).get(f"{API}/suggestions/{suggestion.pk}/publish-preview/").json()["can_publish"] is True
    response = api_for(world.staff).post(
        f"{API}/suggestions/{suggestion.pk}/publish/",
        {"public_title": "路灯不亮", "public_content": "某小区路灯不亮，已修复。"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["public_title"], response.json()["is_public"]) == ("路灯不亮", True)


def test_publish_preview_is_for_staff_in_scope(world, api_for):
    suggestion = world.drive(world.submit(), Status.CLOSED)
    assert api_for(world.officer).get(f"{API}/suggestions/{suggestion.pk}/publish-preview/").status_code == 403
    assert api_for(world.deputy_user).get(f"{API}/suggestions/{suggestion.pk}/publish-preview/").status_code == 403
    assert api_for(world.other_staff).get(f"{API}/suggestions/{suggestion.pk}/publish-preview/").status_code == 404
    assert api_for().get(f"{API}/suggestions/{suggestion.pk}/publish-preview/").status_code in (401, 403)


def test_rehandle_step_over_the_api(world, api_for):
    suggestion = world.drive(world.submit(), Status.REPLIED)
    url = f"{API}/suggestions/{suggestion.pk}/rehandle/"
    assert api_for(world.officer).post(url, {"reason": "x"}, format="json").status_code in (403, 404)
    assert api_for(world.staff).post(url, {}, format="json").status_code == 400
    response = api_for(world.staff).post(url, {"reason": "群众不满意"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "handling"
    assert api_for(world.staff).post(url, {"reason": "again"}, format="json").status_code == 409


def test_stats_summary_gives_the_voters_satisfaction_beside_the_deputies(world, api_for):
    from suggestions.services.voters import voter_rate

    satisfied = world.drive(world.submit(), Status.CLOSED)  # the deputy: satisfied
    voter_rate(suggestion=satisfied, rating="unsatisfied", comment="没修好", phone_last4="1111")
    other = world.drive(world.submit(), Status.REPLIED)
    voter_rate(suggestion=other, rating="satisfied", phone_last4="1111")
    body = api_for(world.staff).get(f"{API}/stats/summary/", {"region": world.county.code}).json()
    assert (body["evaluated"], body["satisfaction_rate"]) == (1, 1.0)
    assert (body["voter_evaluated"], body["voter_satisfied"], body["voter_satisfaction_rate"]) == (2, 1, 0.5)


def test_staff_filter_the_items_a_voter_rated_unsatisfied(world, api_for):
    from suggestions.services.voters import voter_rate

    unsatisfied = world.drive(world.submit(), Status.REPLIED)
    voter_rate(suggestion=unsatisfied, rating="unsatisfied", comment="没修好", phone_last4="1111")
    satisfied = world.drive(world.submit(), Status.REPLIED)
    voter_rate(suggestion=satisfied, rating="satisfied", phone_last4="1111")
    rows = api_for(world.staff).get(f"{API}/suggestions/", {"voter_unsatisfied": "true"}).json()["results"]
    assert [r["id"] for r in rows] == [unsatisfied.pk]
    rows = api_for(world.staff).get(f"{API}/suggestions/", {"voter_unsatisfied": "false"}).json()["results"]
    assert unsatisfied.pk not in [r["id"] for r in rows] and satisfied.pk in [r["id"] for r in rows]
