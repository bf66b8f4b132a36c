"""The ordinary paths an opinion takes, each step a call of the real service on the simulated
clock (`demo.clock`), a fixed number of days after the opinion came in.

The volume of the demo year (demo/year/volume.py) runs each path once per group through these
functions and copies the result (demo/year/clone.py); the special cases (demo/year/cases.py)
call the services themselves.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from demo.clock import local_moment
from suggestions.models import FeedbackChannel, Rating, Route, SuggestionKind
from suggestions.services import closing, handling, intake

from .catalogue import DECLINE_REASON, REPLIES

# Path name: (fed back?, days from submission to its last step).
PATHS = {
    "on_spot_fed_back": (True, 3),
    "answered_fed_back": (True, 26),
    "on_spot_closed": (False, 12),
    "replied": (False, 15),
    "handling": (False, 3),
    "declined": (False, 1),
    "submitted": (False, 0),
}
FED_BACK_PATHS = tuple(name for name, (fed, _days) in PATHS.items() if fed)


@dataclass
class Opinion:
    """What a voter brings to a station, and how it will be answered."""

    day: datetime.date
    title: str
    content: str
    region: object
    station: object
    category: object
    unit: object | None
    deputy: object | None
    submitter_name: str
    submitter_phone: str
    result: str = "A"
    rating: str = Rating.SATISFIED
    channel: str = FeedbackChannel.PHONE
    reception: object | None = None  # the reception day it was raised at


def run_path(year, path: str, opinion: Opinion):
    """Take `opinion` along `path` through the services; returns the suggestion."""
    clock, staff = year.clock, year.staff_for(opinion.region.code)
    day = opinion.day

    def at(days: int, hour: int, minute: int = 0):
        clock.at(local_moment(day + datetime.timedelta(days=days), hour, minute))

    on_spot = path.startswith("on_spot")
    route = Route.ON_SPOT if on_spot else year.route_for(opinion.unit)
    at(0, 9, 30)
    suggestion = intake.suggestion_submit(
        kind=SuggestionKind.OPINION, title=opinion.title, content=opinion.content, region=opinion.region,
        by=staff, category=opinion.category, station=opinion.station,
        submitter_name=opinion.submitter_name, submitter_phone=opinion.submitter_phone,
        deputies=[opinion.deputy] if opinion.deputy is not None else [], reception=opinion.reception,
        route_proposal=route,
    )
    if path == "submitted":
        return suggestion
    if path == "declined":
        at(1, 10)
        return intake.suggestion_decline(suggestion=suggestion, by=staff, reason=DECLINE_REASON)
    if on_spot:  # 代表即办: the receiving deputy settles it in their own name
        at(0, 11)
        suggestion = intake.suggestion_resolve_on_spot(
            suggestion=suggestion, by=opinion.deputy.user, note=year.rng_choice_on_spot(), result=opinion.result)
        if path == "on_spot_closed":
            at(12, 17)
            return closing.suggestion_close(suggestion=suggestion, by=staff, note="代表即办，群众未再评价。")
        at(3, 10)
        suggestion = closing.suggestion_evaluate(suggestion=suggestion, by=staff, rating=opinion.rating)
        at(3, 15)
        return closing.suggestion_feedback(suggestion=suggestion, by=staff, channel=opinion.channel)

    at(1, 9)
    suggestion = intake.suggestion_accept(suggestion=suggestion, by=staff)
    at(2, 10)
    suggestion = handling.suggestion_assign(
        suggestion=suggestion, by=staff, route=route, lead_unit=opinion.unit)
    lead = suggestion.assignments.get()
    officer = year.officer_of(opinion.unit)
    at(3, 9)
    handling.assignment_sign(assignment=lead, by=officer)
    if path == "handling":
        return suggestion
    at(15 if path == "replied" else 20, 16)
    handling.assignment_reply(assignment=lead, by=officer, result=opinion.result, content=REPLIES[opinion.result])
    suggestion.refresh_from_db()
    if path == "replied":
        return suggestion
    at(25, 10)
    suggestion = closing.suggestion_evaluate(suggestion=suggestion, by=staff, rating=opinion.rating)
    at(26, 10)
    return closing.suggestion_feedback(suggestion=suggestion, by=staff, channel=opinion.channel)
