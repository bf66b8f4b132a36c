"""Co-signing (附议): deputies' own suggestions between sessions (闭会期间), written in their
own name with colleagues asked to co-sign. Most asked confirm (only then are they co-signers);
the last request, to the demo's deputy login, still waits for an answer. Made before the
voters' opinions: these are collected too, and the volume fills what is left of the year."""

from __future__ import annotations

import datetime

from demo.clock import local_moment
from demo.network import COUNTY_CODE
from deputies.models import Level
from stations.models import Region
from suggestions.models import Route, Session, SuggestionKind
from suggestions.services import handling, intake, routing

SUGGESTIONS = 3  # each asks two deputies to co-sign


def build_cosign(year) -> None:
    city = year.city
    login = year.users.get("deputy")
    others = [p for p in city.people if p.deputy.user_id and (login is None or p.deputy.user_id != login.pk)]
    pool = [p.deputy for p in others if "city" in p.levels]
    if len(pool) < SUGGESTIONS * 3:  # a small demo city: any deputies
        pool = [p.deputy for p in others]
    if len(pool) < SUGGESTIONS * 3:
        return
    staff = year.users["staff"]
    county = []
    if login is not None and getattr(login, "deputy", None) is not None:
        county = [p.deputy for p in city.people if Level.COUNTY in p.levels and p.deputy.user_id
                  and p.deputy.user_id != login.pk and p.home.parent_id == COUNTY_CODE][:2]
        county = county if len(county) == 2 else []
    chosen = city.rng.sample(pool, k=SUGGESTIONS * 3)
    made, pending = [], 0
    for index in range(SUGGESTIONS):
        lead, *cosigners = chosen[index * 3: index * 3 + 3]
        last = index == SUGGESTIONS - 1
        region = city.city
        if last and county:  # 潞州区's deputies ask the demo's deputy login, who has yet to answer
            lead, cosigners, region = county[0], [county[1], login.deputy], Region.objects.get(pk=COUNTY_CODE)
        category = year.categories[(index * 3 + 2) % len(year.categories)]
        title, text = city.rng.choice(year.category_issues[category])
        day = year.today - datetime.timedelta(days=40 - index * 15)
        year.clock.at(local_moment(day, 20, 10))
        suggestion = intake.suggestion_submit(
            kind=SuggestionKind.DEPUTY_SUGGESTION, title=f"关于进一步{title}的建议",
            content=f"{text}建议有关部门深入调研，拿出切实可行的办法。", region=region, by=lead.user,
            category=category, deputies=[lead, *cosigners], session=Session.INTERIM,
            route_proposal=Route.DISTRICT,  # to the government's departments (区级联动)
        )
        for n, cosigner in enumerate(cosigners):
            if last and n == len(cosigners) - 1:
                pending += 1
                continue
            year.clock.at(local_moment(day + datetime.timedelta(days=1 + n), 9, 30))
            routing.suggestion_cosign(suggestion=suggestion, by=cosigner.user, agree=True, note="同意附议。")
        if not last:
            year.clock.at(local_moment(day + datetime.timedelta(days=4), 10))
            intake.suggestion_accept(suggestion=suggestion, by=staff)
            unit = year.category_unit[category]
            year.clock.at(local_moment(day + datetime.timedelta(days=5), 10))
            handling.suggestion_assign(suggestion=suggestion, by=staff, route=year.route_for(unit), lead_unit=unit)
        made.append(suggestion)
    year.counts["cosign"] = {"suggestions": len(made), "pending": pending}
