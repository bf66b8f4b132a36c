"""Submissions at the door (issue 17): a public opinion costs a fixed handful of statements, its
receipt is written without looking for one first, and the delivery sweeps are asked for once
for many commits (`suggestions.tasks.kick`) without ever leaving a committed message behind."""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError, transaction

from suggestions import outbox, tasks
from suggestions.models import MessageChannel, MessageKind, OutboundMessage, Suggestion
from tests.suggestions.test_outbox import public_opinion

API = "/api/v1"


@pytest.fixture
def broker(monkeypatch):
    """The two delivery tasks' `delay`, recorded instead of sent."""
    asked: list[str] = []
    monkeypatch.setattr("suggestions.tasks.deliver_outbox.delay", lambda: asked.append("outbox"))
    monkeypatch.setattr("suggestions.tasks.deliver_notifications.delay", lambda: asked.append("notifications"))
    return asked


def test_many_commits_ask_the_broker_once_until_the_sweep_starts(world, broker, django_capture_on_commit_callbacks):
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            public_opinion(world, submitter_phone=f"1390000111{n}")
    assert broker == ["notifications", "outbox"]
    assert OutboundMessage.objects.filter(kind=MessageKind.RECEIPT).count() == 3


def test_a_commit_after_the_sweep_started_asks_again(world, broker, django_capture_on_commit_callbacks, settings):
    settings.LIAISON = {**settings.LIAISON, "SMS_BACKEND": "tests.suggestions.test_outbox.RecordingBackend"}
    with django_capture_on_commit_callbacks(execute=True):
        public_opinion(world)
    tasks.deliver_outbox()  # the run asked for starts: it takes the mark away first
    with django_capture_on_commit_callbacks(execute=True):
        later = public_opinion(world, submitter_phone="13900002222")
    assert broker == ["notifications", "outbox", "outbox"]
    # ... and that run finds the message committed after the first one started.
    assert tasks.deliver_outbox()["sent"] == 1
    assert OutboundMessage.objects.get(suggestion=later).state == "sent"


def test_a_broker_that_refuses_leaves_no_mark_so_the_next_commit_asks_again(world, monkeypatch,
                                                                            django_capture_on_commit_callbacks):
    calls = []

    def down():
        calls.append(1)
        raise ConnectionError("broker down")

    monkeypatch.setattr("suggestions.tasks.deliver_outbox.delay", down)
    for n in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            public_opinion(world, submitter_phone=f"1390000333{n}")  # committed although the broker is down
    assert calls == [1, 1]
    assert OutboundMessage.objects.filter(kind=MessageKind.RECEIPT, state="pending").count() == 2


def test_a_new_receipt_is_inserted_without_a_lookup_and_the_key_still_refuses_a_second(world,
                                                                                       django_assert_num_queries):
    suggestion = public_opinion(world)
    OutboundMessage.objects.filter(suggestion=suggestion).delete()
    with django_assert_num_queries(1):
        rows = outbox.voter_receipt(suggestion, new=True)
    assert [r.channel for r in rows] == [MessageChannel.SMS] and suggestion.code in rows[0].body
    with pytest.raises(IntegrityError), transaction.atomic():
        outbox.voter_receipt(suggestion, new=True)
    assert outbox.voter_receipt(suggestion) == rows  # without `new`: found, not doubled
    assert OutboundMessage.objects.filter(suggestion=suggestion).count() == 1


def test_a_public_opinion_costs_a_fixed_number_of_statements(world, api_for, django_assert_num_queries):
    body = {"title": "公交站台缺少遮雨棚", "content": "雨天候车老人孩子淋雨。", "region": world.township.code,
            "submitter_name": "赵小红", "submitter_phone": "13912345678"}
    client = api_for()
    client.post(f"{API}/public/opinions/", body, format="json")  # warm
    # the region; the savepoint around the submission; the suggestion, its event; the staff
    # to tell and their notice; the receipt; the release of the savepoint.
    with django_assert_num_queries(8):
        response = client.post(f"{API}/public/opinions/", {**body, "submitter_phone": "13912345679"}, format="json")
    assert response.status_code == 201
    assert Suggestion.objects.filter(code=json.loads(response.content)["code"]).count() == 1


def test_the_sweep_takes_the_earliest_due_message_first_whatever_its_state(world, settings):
    """The claim's order (next_attempt_at, id over pending and failed messages) is the partial
    index outbound_due_order's, so each claim reads one index entry instead of sorting the backlog."""
    from datetime import timedelta

    from django.utils import timezone

    settings.LIAISON = {**settings.LIAISON, "SMS_BACKEND": "tests.suggestions.test_outbox.RecordingBackend"}
    early, late = public_opinion(world), public_opinion(world, submitter_phone="13900004444")
    now = timezone.now()
    OutboundMessage.objects.filter(suggestion=late).update(next_attempt_at=now - timedelta(hours=2))
    OutboundMessage.objects.filter(suggestion=early).update(state="failed", attempts=1,
                                                            next_attempt_at=now - timedelta(hours=3))
    OutboundMessage.objects.filter(suggestion__in=[early, late]).exclude(kind=MessageKind.RECEIPT).delete()
    sent_before = OutboundMessage.objects.filter(state="sent").count()
    assert outbox.deliver_due(batch_size=1).sent == 1
    assert OutboundMessage.objects.get(suggestion=early, kind=MessageKind.RECEIPT).state == "sent"
    assert OutboundMessage.objects.get(suggestion=late, kind=MessageKind.RECEIPT).state == "pending"
    assert OutboundMessage.objects.filter(state="sent").count() == sent_before + 1
