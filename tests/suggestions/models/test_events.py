"""What the database itself guarantees about the audit trail: events never change."""

import pytest
from django.db.models import ProtectedError

from suggestions.models import Event, ImmutableError, Status
from tests.factories import SuggestionFactory


def test_an_event_can_be_written_but_never_changed_or_deleted(db):
    suggestion = SuggestionFactory()
    event = Event.objects.create(suggestion=suggestion, action="submit", to_status=Status.SUBMITTED)
    event.note = "改写历史"
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()
    with pytest.raises(ImmutableError):
        Event.objects.filter(pk=event.pk).update(note="改写历史")
    with pytest.raises(ImmutableError):
        Event.objects.filter(pk=event.pk).delete()
    with pytest.raises(ProtectedError):
        suggestion.delete()  # the audit trail keeps its suggestion
    assert Event.objects.get(pk=event.pk).note == ""
