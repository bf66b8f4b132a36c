"""Every state of the workflow, at least once, through the real services on the simulated clock:
a lead unit's return (退回) and the reassignment, a re-handling after 不满意, a merger (并案) and
the merged opinion's feedback, an escalation (转报上级) from 潞州区 to the city, an on-the-spot
resolution rated unsatisfied and then assigned, an overdue assignment that was urged (催办),
a declined opinion, an opinion a deputy took up (转为闭会建议), three-meetings contacts (三见面)
and published results (结果公示).

Each case is a short script of (days after it came in, hour, step); the cases start at fixed
points in the year, so the same seed and day give the same cases."""

from __future__ import annotations

import datetime

from demo.clock import local_moment
from suggestions.models import (
    ContactKind,
    FeedbackChannel,
    Rating,
    Route,
    SuggestionKind,
    Supervision,
)
from suggestions.redaction import publish_preview
from suggestions.services import closing, handling, intake, oversight

from .catalogue import DECLINE_REASON, REPLIES


class _Case:
    def __init__(self, year, days_ago: int, region, station=None, category_index: int = 0, issue: int = 0):
        self.year = year
        self.day0 = year.today - datetime.timedelta(days=days_ago)
        self.region = region
        self.station = station
        self.category = year.categories[category_index % len(year.categories)]
        self.unit = year.unit_for(self.category, region.code)
        issues = year.category_issues[self.category]
        self.title, self.text = issues[issue % len(issues)]
        self.staff = year.staff_for(region.code)

    def at(self, days: int, hour: int = 10) -> None:
        self.year.clock.at(local_moment(self.day0 + datetime.timedelta(days=days), hour))

    def submit(self, *, deputy=None, title: str = "", route: str = ""):
        city = self.year.city
        self.deputy = deputy
        self.at(0, 9)
        self.suggestion = intake.suggestion_submit(
            kind=SuggestionKind.OPINION, title=title or self.title, content=f"{self.region.name}群众反映：{self.text}",
            region=self.region, by=self.staff, category=self.category, station=self.station,
            submitter_name=city.person_name("male"), submitter_phone=city.mobile(),
            deputies=[deputy] if deputy is not None else [], route_proposal=route or self.year.route_for(self.unit),
        )
        return self.suggestion

    def assign(self, days: int, unit=None, route="", accept=True):
        if accept:
            self.at(days - 1 if days > 0 else 0, 9)
            intake.suggestion_accept(suggestion=self.suggestion, by=self.staff)
        self.at(days, 10)
        unit = unit or self.unit
        handling.suggestion_assign(suggestion=self.suggestion, by=self.staff, route=route or self.year.route_for(unit),
                                   lead_unit=unit)
        return self.lead()

    def lead(self):
        return self.suggestion.assignments.filter(role="lead").exclude(status="returned").order_by("-pk").first()

    def officer(self, assignment):
        return self.year.officer_of(assignment.unit)

    def sign(self, days: int):
        lead = self.lead()
        self.at(days, 9)
        handling.assignment_sign(assignment=lead, by=self.officer(lead))

    def reply(self, days: int, result: str = "A"):
        lead = self.lead()
        self.at(days, 16)
        handling.assignment_reply(assignment=lead, by=self.officer(lead), result=result, content=REPLIES[result])

    def evaluate(self, days: int, rating=Rating.SATISFIED, comment: str = ""):
        self.at(days, 10)
        closing.suggestion_evaluate(suggestion=self.suggestion, by=self.staff, rating=rating, comment=comment)

    def feedback(self, days: int, suggestion=None, by=None):
        self.at(days, 15)
        closing.suggestion_feedback(suggestion=suggestion or self.suggestion, by=by or self.staff,
                                    channel=FeedbackChannel.PHONE)

    def publish(self, days: int):
        """公示 with the title and text staff checked on the redaction preview."""
        self.at(days, 17)
        preview = publish_preview(self.suggestion)
        closing.suggestion_publish(suggestion=self.suggestion, by=self.staff, public_title=preview.title,
                                   public_content=preview.content)


def build_cases(year) -> None:
    city = year.city
    stations = city.township_stations
    first = stations[0]
    luzhou = [s for s in stations if s.region_id.startswith("140403")] or stations
    other = [s for s in stations if not s.region_id.startswith("140403")] or stations
    units = list(year.units.values())
    year.cases = {}

    # Published results (结果公示): answered, rated, fed back and published.
    for n in range(6):
        station = stations[(n * 7) % len(stations)]
        case = _Case(year, 200 - n * 20, station.region, station, category_index=n, issue=n)
        case.submit(deputy=year.deputy_at(station))
        case.assign(2)
        case.sign(3)
        at_station = year.deputy_at(station)
        lead = case.lead()
        case.at(5, 10)
        handling.assignment_contact(assignment=lead, by=case.officer(lead), kind=ContactKind.BEFORE,
                                    note=f"与{at_station.name if at_station else '代表'}代表见面，了解诉求。")
        case.reply(20)
        case.evaluate(24)
        case.feedback(25)
        case.publish(26)
        year.cases.setdefault("published", []).append(case.suggestion)

    # Returned by the first unit (not its business) and reassigned.
    case = _Case(year, 120, other[0].region, other[0], category_index=1)
    case.submit(deputy=year.deputy_at(other[0]))
    wrong = next(u for u in units if u.pk != case.unit.pk and u.region_id == case.unit.region_id)
    lead = case.assign(2, unit=wrong)
    case.at(4, 11)
    handling.assignment_return(assignment=lead, by=case.officer(lead), reason="该事项不属于本单位职责，建议交办交通运输部门。")
    case.assign(6, accept=False)
    case.sign(7)
    case.reply(25, "B")
    case.evaluate(30, Rating.BASICALLY_SATISFIED)
    case.feedback(31, by=case.officer(case.lead()))  # the unit's officer told the voter (反馈 by the unit)
    year.cases["returned"] = [case.suggestion]

    # Re-handled (重新办理): rated unsatisfied, answered again, then satisfied.
    case = _Case(year, 150, other[1 % len(other)].region, other[1 % len(other)], category_index=0, issue=1)
    case.submit(deputy=year.deputy_at(case.station))
    case.assign(2)
    case.sign(3)
    case.reply(20, "C")
    case.evaluate(24, Rating.UNSATISFIED, "问题没有解决，积水依旧，请实地查看后重新办理。")
    case.reply(45, "A")
    case.evaluate(50)
    case.feedback(51)
    year.cases["rehandled"] = [case.suggestion]

    # Merged (并案): the same problem raised twice; the second follows the first.
    station = other[2 % len(other)]
    case = _Case(year, 90, station.region, station, category_index=1, issue=1)
    into = case.submit(deputy=year.deputy_at(station))
    twin = _Case(year, 89, station.region, station, category_index=1, issue=1)
    twin.submit(deputy=year.deputy_at(station))
    twin.at(1, 11)
    intake.suggestion_merge(suggestion=twin.suggestion, by=twin.staff, into=into, note="同一路口，并案办理。")
    case.assign(2)
    case.sign(3)
    case.reply(18)
    case.evaluate(21)
    case.feedback(22)
    case.feedback(22, suggestion=twin.suggestion)
    year.cases["merged"] = [twin.suggestion]

    # Escalated (转报上级): 潞州区 cannot solve it alone; the city assigns it.
    station = luzhou[0]
    case = _Case(year, 60, station.region, station, category_index=3)
    case.submit(deputy=year.deputy_at(station))
    case.at(1, 11)
    intake.suggestion_escalate(suggestion=case.suggestion, by=case.staff,  # to the city: the default target
                               note="涉及市属医院，超出区级职权，转报市人大常委会。")
    case.staff = year.users["staff"]
    case.unit = year.category_unit[case.category]
    case.assign(3)
    case.sign(4)
    year.cases["escalated"] = [case.suggestion]

    # 即办 rated unsatisfied: back to staff, then assigned and answered.
    station = other[3 % len(other)]
    case = _Case(year, 100, station.region, station, category_index=7)
    case.submit(deputy=year.deputy_at(station), route=Route.ON_SPOT)
    case.at(0, 11)
    intake.suggestion_resolve_on_spot(suggestion=case.suggestion, by=case.deputy.user, note="代表当场答复政策。")
    case.evaluate(3, Rating.UNSATISFIED, "只是解释了政策，问题没有解决。")
    case.assign(5, accept=False)
    case.sign(6)
    case.reply(26, "B")
    year.cases["on_spot_rehandled"] = [case.suggestion]

    # Overdue (超期): assigned months ago, never answered; the leader urged it and supervises it.
    for n in range(3):
        station = other[(4 + n) % len(other)]
        case = _Case(year, 90 + n * 15, station.region, station, category_index=4 + n)
        case.submit(deputy=year.deputy_at(station))
        case.assign(2)
        case.sign(3)
        leader = year.users.get("leader")
        if leader is not None:
            case.at(40, 10)
            oversight.suggestion_supervise(suggestion=case.suggestion, by=leader, level=Supervision.NORMAL)
            case.at(45, 10)
            oversight.suggestion_urge(suggestion=case.suggestion, by=leader, note="已超过办理期限，请尽快答复。")
        year.cases.setdefault("overdue", []).append(case.suggestion)

    # Waiting: accepted two days ago and not yet assigned; assigned yesterday, not yet signed.
    station = other[6 % len(other)]
    case = _Case(year, 2, station.region, station, category_index=5)
    case.submit(deputy=year.deputy_at(station))
    case.at(1, 9)
    intake.suggestion_accept(suggestion=case.suggestion, by=case.staff)
    year.cases["accepted"] = [case.suggestion]
    station = other[7 % len(other)]
    case = _Case(year, 3, station.region, station, category_index=8)
    case.submit(deputy=year.deputy_at(station))
    case.assign(2)
    year.cases["assigned"] = [case.suggestion]

    # Declined (不予受理).
    case = _Case(year, 40, first.region, first, category_index=9)
    case.submit()
    case.at(1, 10)
    intake.suggestion_decline(suggestion=case.suggestion, by=case.staff, reason=DECLINE_REASON)
    year.cases["declined"] = [case.suggestion]

    # Converted (转为闭会建议): a deputy takes a voter's opinion up as a suggestion.
    station = other[5 % len(other)]
    case = _Case(year, 70, station.region, station, category_index=2)
    deputy = year.deputy_at(station)
    case.submit(deputy=deputy)
    if deputy is not None:
        case.at(2, 10)
        converted = intake.suggestion_convert_to_deputy_suggestion(
            suggestion=case.suggestion, by=case.staff, deputies=[deputy], note="代表将此意见转为闭会期间建议。")
        year.cases["converted"] = [case.suggestion, converted]
