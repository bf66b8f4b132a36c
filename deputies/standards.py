"""Station standards: the checklist a station is held to (八有 by default, 十有 where the region
chose it: stations/models.py `checklist_for`) and its star rating (星级).

The derived rating — the documented rule:

1. checklist stars = ⌊5 × items ticked ÷ items on the region's checklist⌋ (all ticked: 5);
2. activity caps it by the receptions recorded at the station in the 12 months up to the day:
   12 or more (about one a month) → no cap; 6–11 → at most 4; 3–5 → at most 3; 1–2 → at most
   2; none → at most 1;
3. stars = min(checklist stars, activity cap).

Staff in scope may set the rating by hand with a reason (`star_override`); the nightly refresh
(`stars_refresh`) then leaves that station alone until the override is cleared.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.activities import NotPermitted
from deputies.models import ReceptionStatus
from liaison.models import Role
from liaison.regions import within
from liaison.scoping import in_scope
from liaison.text import clean_text
from stations.models import Station, checklist_for

ACTIVITY_CAPS = ((12, 5), (6, 4), (3, 3), (1, 2), (0, 1))  # receptions in 12 months → most stars


def activity_cap(receptions: int) -> int:
    return next(stars for least, stars in ACTIVITY_CAPS if receptions >= least)


def derived_stars(*, ticked: int, total: int, receptions: int) -> int:
    checklist_stars = (5 * ticked) // total if total else 0
    return min(checklist_stars, activity_cap(receptions))


@dataclass
class StationStanding:
    station: Station
    checklist: str
    items: list[tuple[str, bool]]
    receptions: int
    derived: int

    @property
    def ticked(self) -> int:
        return sum(1 for _label, ok in self.items if ok)


def standings(*, region: str, day: datetime.date | None = None, stations=None) -> list[StationStanding]:
    """Each station of the region: its checklist, items, receptions in the last 12 months and
    the derived rating (one query for the stations with their receptions, one per checklist region)."""
    day = day or timezone.localdate()
    since = day - datetime.timedelta(days=365)
    if stations is None:
        stations = Station.objects.filter(within(region)) if region else Station.objects.all()
    stations = stations.annotate(recent=Count(
        "receptions", filter=Q(receptions__status=ReceptionStatus.RECORDED, receptions__date__gt=since,
                               receptions__date__lte=day),
    )).select_related("region").order_by("region_id", "name", "id")
    lists: dict[str, tuple[str, list]] = {}
    result = []
    for station in stations:
        if station.region_id not in lists:
            lists[station.region_id] = checklist_for(station.region_id)
        checklist, fields = lists[station.region_id]
        items = [(str(label), bool(getattr(station, name))) for name, label in fields]
        ticked = sum(1 for _label, ok in items if ok)
        result.append(StationStanding(station, checklist, items, station.recent,
                                      derived_stars(ticked=ticked, total=len(items), receptions=station.recent)))
    return result


def stars_refresh(*, region: str = "", day: datetime.date | None = None) -> int:
    """Set each station's star rating to the derived one, except where staff set it by hand.
    Returns how many changed."""
    changed = 0
    for standing in standings(region=region, day=day, stations=Station.objects.filter(
            within(region) if region else Q(), star_rating_overridden=False)):
        if standing.station.star_rating != standing.derived:
            Station.objects.filter(pk=standing.station.pk).update(star_rating=standing.derived)
            changed += 1
    return changed


def _require_staff(by, station: Station) -> None:
    if not (by.is_superuser or (by.role == Role.STAFF and in_scope(by, station.region_id))):
        raise NotPermitted(_("只有本区划的工作人员可以评定星级。"))


@transaction.atomic
def star_override(*, by, station: Station, stars: int | None, reason: str = "") -> Station:
    """人工评定星级 with a reason; `stars=None` clears the override and returns to the rule."""
    _require_staff(by, station)
    station = Station.objects.select_for_update().get(pk=station.pk)
    if stars is None:
        [standing] = standings(region="", stations=Station.objects.filter(pk=station.pk))
        station.star_rating, station.star_rating_overridden, station.star_rating_reason = standing.derived, False, ""
    else:
        reason = clean_text(reason)
        if not 0 <= stars <= 5:
            raise ValidationError({"stars": _("星级应为 0 到 5。")})
        if not reason:
            raise ValidationError({"reason": _("人工评定星级须说明理由。")})
        station.star_rating, station.star_rating_overridden, station.star_rating_reason = stars, True, reason[:200]
    station.save(update_fields=["star_rating", "star_rating_overridden", "star_rating_reason", "updated_at"])
    return station
