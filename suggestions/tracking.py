"""The public tracking view (一事一码): what a tracking code shows anyone, with no names, phones
or notes. Re-exported by `suggestions.selectors`, where the pages and the API read it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .models import Action, Status, Suggestion

# --- the public tracking view (一事一码) ----------------------------------------------------
# What the public timeline shows: the stages, not the internal traffic (reminders, contacts,
# returns between offices), and never who did it or their notes.
PUBLIC_ACTIONS = frozenset(
    {
        Action.SUBMIT,
        Action.ACCEPT,
        Action.DECLINE,
        Action.RESOLVE_ON_SPOT,
        Action.REOPEN,
        Action.MERGE,
        Action.CONVERT,
        Action.ESCALATE,
        Action.ASSIGN,
        Action.SIGN,
        Action.REPLY,
        Action.SUPERVISE,
        Action.EVALUATE,
        Action.CLOSE,
        Action.FEEDBACK,
        Action.PUBLISH,
        Action.VOTER_RATE,
        Action.REHANDLE,
    }
)
MAX_MERGE_HOPS = 10


@dataclass(frozen=True)
class TimelineEntry:
    action: str
    label: str
    status: str
    status_label: str
    at: datetime.datetime
    result: str = ""
    code: str = ""  # which suggestion the step belongs to (the target's, after a merge)


@dataclass
class TrackView:
    """What the public sees for a tracking code: no names, phones or notes."""

    suggestion: Suggestion  # the one the code belongs to
    current: Suggestion  # the one that is being handled (the merge target, if merged)
    timeline: list[TimelineEntry] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.current.status


def _public_entries(suggestion: Suggestion, until: datetime.datetime | None = None) -> list[TimelineEntry]:
    events = suggestion.events.filter(action__in=PUBLIC_ACTIONS).order_by("created_at", "id")
    if until is not None:
        events = events.filter(created_at__lte=until)
    labels = dict(Status.choices)
    return [
        TimelineEntry(
            action=e.action,
            label=str(Action(e.action).label),
            status=e.to_status,
            status_label=str(labels.get(e.to_status, "")),
            at=e.created_at,
            result=(e.data or {}).get("result", "") if e.action == Action.REPLY else "",
            code=suggestion.code,
        )
        for e in events
    ]


def track(code: str) -> TrackView | None:
    """The public view of a tracking code. A merged (并案) or converted suggestion shows its own
    steps up to the merge, then the steps of the suggestion it went into."""
    code = (code or "").strip().upper()
    suggestion = Suggestion.objects.filter(code=code).select_related("category", "region").first()
    if suggestion is None:
        return None
    timeline: list[TimelineEntry] = []
    current = suggestion
    for _hop in range(MAX_MERGE_HOPS):
        if current.status != Status.MERGED or current.merged_into_id is None:
            break
        merge_event = current.events.filter(action__in=[Action.MERGE, Action.CONVERT]).order_by("-created_at").first()
        timeline += _public_entries(current, until=merge_event.created_at if merge_event else None)
        current = Suggestion.objects.select_related("category", "region").get(pk=current.merged_into_id)
    timeline += _public_entries(current)
    return TrackView(suggestion=suggestion, current=current, timeline=timeline)
