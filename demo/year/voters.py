"""The voters' own ratings (群众评价) by tracking code: some voters whose opinion was answered
(and not yet rated) open the tracking page a few days later and rate the reply, proving it is
theirs with their phone's last four digits. A few are 不满意; staff check those and send some
back to the unit (退回重办, the `rehandle` step), which answers again within its new deadline."""

from __future__ import annotations

import datetime

from django.db.models import Max
from django.utils import timezone

from demo.clock import local_moment
from suggestions.models import Rating, Status, Suggestion, SuggestionKind
from suggestions.services import closing, voters

RATED_SHARE = 0.05  # of the answered opinions no one has rated yet
COMMENTS = {
    Rating.SATISFIED: "办得快，谢谢！",
    Rating.BASICALLY_SATISFIED: "基本解决了，希望以后多巡查。",
    Rating.UNSATISFIED: "答复说已处理，但现场没有变化，问题依旧。",
}


def build_voter_ratings(year) -> None:
    city = year.city
    last_step = (Suggestion.objects.filter(
        kind=SuggestionKind.OPINION, status__in=(Status.REPLIED, Status.CLOSED), evaluations__isnull=True,
        submitter_phone__gt="", created_at__gte=local_moment(year.start, 0),
    ).annotate(last=Max("events__created_at")).order_by("pk").values_list("pk", "last"))
    candidates = [(pk, last) for pk, last in last_step
                  if timezone.localtime(last).date() + datetime.timedelta(days=3) < year.today]
    if not candidates:
        return
    chosen = sorted(city.rng.sample(candidates, k=min(len(candidates), max(6, round(len(candidates) * RATED_SHARE)))))
    counts = {"rated": 0, "unsatisfied": 0, "rehandled": 0}
    replied_seen = 0
    for index, (pk, last) in enumerate(chosen):
        suggestion = Suggestion.objects.get(pk=pk)
        answered_by_unit = suggestion.status == Status.REPLIED
        replied_seen += answered_by_unit
        unsatisfied = replied_seen % 3 == 1 if answered_by_unit else index % 7 == 3
        rating = Rating.UNSATISFIED if unsatisfied else city.pick({Rating.SATISFIED: 75, Rating.BASICALLY_SATISFIED: 25})
        day = timezone.localtime(last).date() + datetime.timedelta(days=2)
        year.clock.at(local_moment(day, 20, 15))
        voters.voter_rate(suggestion=suggestion, rating=rating, comment=COMMENTS[rating],
                          phone_last4=suggestion.submitter_phone[-4:])
        counts["rated"] += 1
        if not unsatisfied:
            continue
        counts["unsatisfied"] += 1
        if answered_by_unit and counts["unsatisfied"] % 3 != 0:  # most are sent back; the rest wait on staff's list
            year.clock.at(local_moment(day + datetime.timedelta(days=1), 10))
            closing.suggestion_rehandle(suggestion=suggestion, by=year.staff_for(suggestion.handling_region_id),
                                        reason="群众评价不满意，经电话核实问题仍未解决，请重新办理。")
            counts["rehandled"] += 1
    year.counts["voter_ratings"] = counts
