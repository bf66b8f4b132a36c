"""Many suggestions at once for the query-count pins: rows with every related table a list
shows (deputies, assignments with contacts, events, evaluations, feedback, notifications),
written with factories so that fifty of them take a moment, not a minute."""

from suggestions.models import (
    AssignmentStatus,
    Contact,
    Evaluation,
    Event,
    Feedback,
    Status,
)
from tests.factories import (
    AssignmentFactory,
    NotificationFactory,
    SuggestionDeputyFactory,
    SuggestionFactory,
)


def many_suggestions(world, count: int) -> list:
    """`count` suggestions in `world`'s township: each the deputy's, assigned to the unit (lead)
    and the co-unit, with a timeline, an evaluation, a feedback and a notice to the officer."""
    made = []
    for i in range(count):
        suggestion = SuggestionFactory(
            region=world.township, category=world.category, status=Status.REPLIED, title=f"批量意见{i}"
        )
        SuggestionDeputyFactory(suggestion=suggestion, deputy=world.deputy)
        lead = AssignmentFactory(suggestion=suggestion, unit=world.unit, status=AssignmentStatus.SIGNED)
        AssignmentFactory(suggestion=suggestion, unit=world.co_unit, role="co")
        Contact.objects.create(assignment=lead, kind="before", note="见面沟通")
        Event.objects.bulk_create(
            [
                Event(suggestion=suggestion, action="submit", to_status=Status.SUBMITTED),
                Event(suggestion=suggestion, action="accept", from_status=Status.SUBMITTED, to_status=Status.ACCEPTED),
            ]
        )
        Evaluation.objects.create(suggestion=suggestion, rating="satisfied", round=0)
        Feedback.objects.create(suggestion=suggestion, channel="phone")
        NotificationFactory(recipient=world.officer, suggestion=suggestion, assignment=lead)
        made.append(suggestion)
    return made
