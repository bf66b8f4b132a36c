"""Who sees a voter's name and phone (suggestions/privacy.py, DOMAIN.md "Personal data"): the
one rule, asked by the API, the pages, the record books and the public tracking.

Before the rule, `submitter_name` went in full to every caller of the API (co-units, co-signing
deputies), the 意见建议登记簿 showed the full name to whoever opened it, and the staff's own
page masked it: each test below failed then."""

from __future__ import annotations

import datetime
import json
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from suggestions import books
from suggestions.models import Status, SuggestionKind
from suggestions.privacy import may_see_submitter, submitter_for
from tests.factories import DeputyFactory, ReceptionFactory, StationFactory, UserFactory

API = "/api/v1"
FULL = ("王小明", "13900001111")
MASKED = ("王**", "139****1111")


def shown(user, suggestion) -> tuple[str, str]:
    who = submitter_for(user, suggestion)
    return who.name, who.phone


@pytest.fixture
def consent(world, monkeypatch):
    """The voter ticked "办理单位可以联系我": `world.submit` records the consent."""
    submit = world.submit
    monkeypatch.setattr(world, "submit", lambda **kwargs: submit(**{"contact_consent": True, **kwargs}))


# --- the rule -----------------------------------------------------------------------------------
def test_staff_and_leaders_in_scope_see_the_voter_in_full_others_masked(world):
    suggestion = world.submit()
    for user in (world.staff, world.city_staff, world.leader):
        assert shown(user, suggestion) == FULL, user
    for user in (world.other_staff, world.other_leader):
        assert shown(user, suggestion) == MASKED, user


def test_the_public_sees_the_voter_masked(world):
    suggestion = world.submit()
    assert shown(None, suggestion) == MASKED
    from django.contrib.auth.models import AnonymousUser

    assert shown(AnonymousUser(), suggestion) == MASKED


def test_the_deputy_who_received_an_opinion_sees_the_voter_other_deputies_do_not(world):
    suggestion = world.submit(by=world.deputy_user)  # written to this deputy
    assert shown(world.deputy_user, suggestion) == FULL
    assert shown(world.other_deputy_user, suggestion) == MASKED


def test_a_co_signing_deputy_does_not_see_the_voter_of_a_deputys_suggestion(world):
    co_signer = DeputyFactory(region=world.township, user=UserFactory(role="deputy"))
    suggestion = world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, deputies=[world.deputy, co_signer],
                              by=world.staff)
    assert shown(world.deputy_user, suggestion) == FULL  # the lead: the voter raised it with them
    assert shown(co_signer.user, suggestion) == MASKED


def test_the_deputies_of_the_reception_see_the_voter_raised_there(world):
    at_reception = DeputyFactory(region=world.township, user=UserFactory(role="deputy"))
    reception = ReceptionFactory(station=StationFactory(region=world.township), deputies=[at_reception])
    suggestion = world.submit(reception=reception, deputies=[])
    assert shown(at_reception.user, suggestion) == FULL
    assert shown(world.deputy_user, suggestion) == MASKED


def test_unit_officers_see_the_voter_masked_without_consent(world):
    suggestion = world.drive(world.submit(), Status.HANDLING)
    assert shown(world.officer, suggestion) == MASKED
    assert shown(world.co_officer, suggestion) == MASKED
    assert shown(world.foreign_officer, suggestion) == MASKED


def test_with_consent_only_the_lead_officer_sees_the_voter_and_each_viewing_is_logged(world, consent, caplog):
    suggestion = world.drive(world.submit(), Status.HANDLING)
    with caplog.at_level(logging.INFO, logger="liaison.privacy"):
        assert shown(world.officer, suggestion) == FULL
    assert [r.getMessage() for r in caplog.records if r.name == "liaison.privacy"] == [
        f"personal data of suggestion {suggestion.pk} shown to unit officer {world.officer.username} "
        f"(user id {world.officer.pk})"
    ]
    assert shown(world.co_officer, suggestion) == MASKED
    assert shown(world.foreign_officer, suggestion) == MASKED


def test_with_consent_the_lead_officer_no_longer_sees_the_voter_once_handling_is_over(world, consent):
    suggestion = world.drive(world.submit(), Status.HANDLING)
    assert may_see_submitter(world.officer, suggestion)
    suggestion = world.drive(world.submit(), Status.REPLIED)
    assert not may_see_submitter(world.officer, suggestion)
    assert shown(world.officer, suggestion) == MASKED


# --- the API ------------------------------------------------------------------------------------
def test_api_shows_the_voter_masked_to_units_and_co_signers(world, api_for):
    co_signer = DeputyFactory(region=world.township, user=UserFactory(role="deputy"))
    opinion = world.drive(world.submit(), Status.HANDLING)
    suggestion = world.drive(
        world.submit(kind=SuggestionKind.DEPUTY_SUGGESTION, deputies=[world.deputy, co_signer]), Status.HANDLING
    )
    for user in (world.officer, world.co_officer):
        rows = api_for(user).get(f"{API}/suggestions/").json()["results"]
        assert {(r["submitter_name"], r["submitter_phone"]) for r in rows} == {MASKED}, user
        detail = api_for(user).get(f"{API}/suggestions/{opinion.pk}/").json()
        assert (detail["submitter_name"], detail["submitter_phone"]) == MASKED
    detail = api_for(co_signer.user).get(f"{API}/suggestions/{suggestion.pk}/").json()
    assert (detail["submitter_name"], detail["submitter_phone"]) == MASKED


def test_api_shows_the_voter_in_full_to_staff_and_the_receiving_deputy(world, api_for):
    opinion = world.submit()
    for user in (world.staff, world.deputy_user):
        detail = api_for(user).get(f"{API}/suggestions/{opinion.pk}/").json()
        assert (detail["submitter_name"], detail["submitter_phone"]) == FULL, user


def test_public_tracking_api_shows_neither_name_nor_phone(world, api_for):
    suggestion = world.drive(world.submit(), Status.HANDLING)
    body = api_for().get(f"{API}/public/track/{suggestion.code}/").json()
    text = json.dumps(body, ensure_ascii=False)
    assert body["submitter"] == "王**"
    assert "王小明" not in text and "1111" not in text


# --- the pages ----------------------------------------------------------------------------------
def test_suggestion_page_shows_the_voter_to_staff_and_masks_it_for_the_co_unit(world, client):
    suggestion = world.drive(world.submit(), Status.HANDLING)
    url = reverse("suggestions:detail", args=[suggestion.pk])
    client.force_login(world.staff)
    page = client.get(url).content.decode()
    assert "王小明" in page and "13900001111" in page
    client.force_login(world.co_officer)
    page = client.get(url).content.decode()
    assert "王**" in page and "139****1111" in page
    assert "王小明" not in page and "13900001111" not in page


def test_public_tracking_page_shows_neither_name_nor_phone(world, client):
    suggestion = world.drive(world.submit(), Status.HANDLING)
    page = client.get(reverse("suggestions:track_detail", args=[suggestion.code])).content.decode()
    assert suggestion.code in page
    assert "王小明" not in page and "13900001111" not in page and "139****1111" not in page


def test_notices_about_an_opinion_never_carry_the_voters_name_or_phone(world):
    from suggestions.models import Notification

    world.drive(world.submit(), Status.CLOSED)
    notices = list(Notification.objects.values_list("title", "body"))
    assert notices
    assert not any("王小明" in f"{title}{body}" or "13900001111" in f"{title}{body}" for title, body in notices)


# --- the record books ---------------------------------------------------------------------------
def _book_rows(kind, station, viewer):
    today = timezone.localdate()
    book = books.build(kind, station=station, start=today - datetime.timedelta(days=1), end=today, viewer=viewer)
    return [dict(zip(book.columns, row, strict=True)) for row in book.rows]


def test_record_book_shows_the_voter_only_to_those_the_rule_names(world):
    station = StationFactory(region=world.township)
    world.submit(station=station)
    staff_row, = _book_rows("suggestions", station, world.staff)
    assert (staff_row["提出人"], staff_row["联系电话"]) == FULL
    for viewer in (None, world.other_leader, world.co_officer):
        row, = _book_rows("suggestions", station, viewer)
        assert (row["提出人"], row["联系电话"]) == MASKED, viewer


def test_feedback_book_masks_the_voter_for_those_outside_the_rule(world):
    from suggestions.services.closing import suggestion_feedback

    station = StationFactory(region=world.township)
    suggestion = world.drive(world.submit(station=station), Status.REPLIED)
    suggestion_feedback(suggestion=suggestion, by=world.staff, channel="phone", note="已电话告知")
    assert _book_rows("feedback", station, world.staff)[0]["提出人"] == "王小明"
    assert _book_rows("feedback", station, world.other_staff)[0]["提出人"] == "王**"


def test_record_book_page_and_workbook_pass_the_signed_in_viewer_to_the_rule(world, client):
    import io

    from openpyxl import load_workbook

    station = StationFactory(region=world.township)
    world.submit(station=station, region=world.other_township, by=world.city_staff)  # outside the county's scope
    client.force_login(world.staff)
    page = client.get(reverse("stats:book", args=[station.pk, "suggestions"])).content.decode()
    assert "王**" in page and "王小明" not in page
    client.force_login(world.city_staff)
    page = client.get(reverse("stats:book", args=[station.pk, "suggestions"])).content.decode()
    assert "王小明" in page
    workbook = client.get(reverse("stats:book_xlsx", args=[station.pk, "suggestions"]))
    cells = [c for row in load_workbook(io.BytesIO(workbook.content)).active.iter_rows(values_only=True) for c in row]
    assert "王小明" in cells and "13900001111" in cells
