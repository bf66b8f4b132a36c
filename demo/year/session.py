"""The deputies' suggestions of the people's congress session (大会期间): 175 at scale 1, 53
of them under key supervision (重点督办) by the leader, each through the real services on the
simulated clock — submitted on the session's days, assigned with the district route, signed,
answered, evaluated by the lead deputy, fed back, the best of them published. A step whose day
has not come yet (a session a few weeks ago) is not taken: the suggestion stays where it is."""

from __future__ import annotations

import datetime

from demo.clock import local_moment
from suggestions.models import FeedbackChannel, Rating, Route, Session, SuggestionKind, Supervision
from suggestions.services import closing, handling, intake, oversight

from .catalogue import REPLIES

SESSION_MONTH, SESSION_DAY = 1, 8  # the city's congress meets in the second week of January


def session_day(year) -> datetime.date:
    """The latest session opening inside the demo year (its first day when none is)."""
    day = datetime.date(year.today.year, SESSION_MONTH, SESSION_DAY)
    if day > year.today - datetime.timedelta(days=2):
        day = day.replace(year=day.year - 1)
    return max(day, year.start)


def build_session(year) -> None:
    city = year.city
    opened = session_day(year)
    staff, leader = year.users["staff"], year.users.get("leader")
    login = year.users.get("deputy")
    others = [p for p in city.people if login is None or p.deputy.user_id != login.pk]  # not the demo login
    city_deputies = [p.deputy for p in others if "city" in p.levels]
    if len(city_deputies) < 3:
        city_deputies = [p.deputy for p in others]
    count, key = year.targets["in_session"], year.targets["key_supervised"]
    year.session_suggestions = []
    for index in range(count):
        category = year.categories[index % len(year.categories)]
        title, text = city.rng.choice(year.category_issues[category])
        deputies = city.rng.sample(city_deputies, k=min(len(city_deputies), city.rng.choice((1, 2, 3, 5))))
        lead_deputy = deputies[0]
        unit = year.category_unit[category]
        co_unit = city.rng.choice([u for u in year.units.values() if u.pk != unit.pk and u.region_id == unit.region_id])

        def at(days: int, hour: int, minute: int = index % 60) -> bool:
            day = opened + datetime.timedelta(days=days)
            if day >= year.today:
                return False
            year.clock.at(local_moment(day, hour, minute))
            return True

        at(index % 4, 10)
        suggestion = intake.suggestion_submit(
            kind=SuggestionKind.DEPUTY_SUGGESTION, title=f"关于{title}的建议",
            content=f"{text}建议市政府统筹研究，列入年度重点工作。", region=year.city.city, by=staff,
            category=category, deputies=deputies, session=Session.IN_SESSION, route_proposal=year.route_for(unit),
        )
        year.session_suggestions.append(suggestion)
        if not at(10, 9):
            continue
        intake.suggestion_accept(suggestion=suggestion, by=staff)
        if not at(12, 10):
            continue
        handling.suggestion_assign(suggestion=suggestion, by=staff, route=Route.DISTRICT, lead_unit=unit,
                                   co_units=[co_unit] if index % 3 == 0 else [])
        if index < key and at(13, 15):
            oversight.suggestion_supervise(suggestion=suggestion, by=staff, level=Supervision.KEY, leader=leader)
        if not at(15, 9):
            continue
        for assignment in suggestion.assignments.order_by("role", "pk"):
            handling.assignment_sign(assignment=assignment, by=year.officer_of(assignment.unit))
        result = city.pick({"A": 55, "B": 30, "C": 10, "D": 5})
        if not at(40 + index % 50, 16):
            continue
        for assignment in suggestion.assignments.order_by("role", "pk"):  # co-units ("co") first, then the lead
            handling.assignment_reply(assignment=assignment, by=year.officer_of(assignment.unit),
                                      result=result, content=REPLIES[result])
        suggestion.refresh_from_db()
        if not at(50 + index % 50, 10):
            continue
        rating = city.pick({Rating.SATISFIED: 85, Rating.BASICALLY_SATISFIED: 15})
        closing.suggestion_evaluate(suggestion=suggestion, by=staff, rating=rating, deputy=lead_deputy,
                                    comment="答复认真，措施具体。" if rating == Rating.SATISFIED else "")
        if not at(52 + index % 50, 10):
            continue
        closing.suggestion_feedback(suggestion=suggestion, by=staff, channel=FeedbackChannel.LETTER)
        if index % 4 == 0 and at(60 + index % 50, 11):
            closing.suggestion_publish(suggestion=suggestion, by=staff)
