"""Notices written by the services: delivered after commit only, kept when the broker is down,
never for inactive users."""

from __future__ import annotations

import pytest

from suggestions.models import Notification
from suggestions.workflow import ActionNotPermitted
from tests.factories import UserFactory
from tests.suggestions.services.readback import notified


# --- notices ----------------------------------------------------------------------------------
def test_notices_are_delivered_after_commit_only(world, django_capture_on_commit_callbacks, monkeypatch):
    calls = []
    monkeypatch.setattr("suggestions.tasks.deliver_notifications.delay", lambda: calls.append(1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        world.submit()
    # One for the notices; one for the voter's receipt (suggestions/outbox.py, tests/suggestions/test_outbox.py).
    assert len(callbacks) == 2 and calls == [1]
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ActionNotPermitted):
        world.submit(region=world.other_township)
    assert calls == [1]  # a refused step enqueues nothing


def test_a_broker_that_is_down_does_not_break_a_committed_step(world, django_capture_on_commit_callbacks, monkeypatch):
    def down():
        raise ConnectionError("broker down")

    monkeypatch.setattr("suggestions.tasks.deliver_notifications.delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = world.submit()
    assert Notification.objects.filter(suggestion=suggestion, emailed_at__isnull=True).exists()  # the outbox keeps it


def test_inactive_users_get_no_notices(world):
    world.staff.is_active = False
    world.staff.save(update_fields=["is_active"])
    other = UserFactory(role="staff", region=world.county)
    suggestion = world.submit(by=other)
    assert notified(suggestion=suggestion) == {other.username}
