"""What every part of the demo year shares: the city it stands on, its random source, its
clock, the people who act, and the figures it aims at."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from demo.clock import SimulatedClock, local_moment
from demo.network import COUNTY_CODE
from suggestions.conf import route_unit_levels
from suggestions.models import Route

from .catalogue import ON_SPOT_NOTES

# 长治's year as the city reported it (DOMAIN.md): opinions and suggestions collected, fed back,
# the deputies' suggestions during the session (大会期间) and those under key supervision.
COLLECTED = 7144
FED_BACK = 5880
IN_SESSION = 175
KEY_SUPERVISED = 53
ACTIVE_DEPUTIES = 34  # deputies with duty activities recorded outside receptions


def year_start(today: datetime.date) -> datetime.date:
    """The first day of the twelve months up to and including `today`."""
    try:
        return today.replace(year=today.year - 1) + datetime.timedelta(days=1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28) + datetime.timedelta(days=1)


@dataclass
class DemoYear:
    city: object  # the _DemoCity being built (stations, people, draws)
    rng: random.Random
    today: datetime.date
    scale: float
    clock: SimulatedClock = None
    users: dict = field(default_factory=dict)
    officers: dict = field(default_factory=dict)  # unit id -> User
    categories: list = field(default_factory=list)
    units: dict = field(default_factory=dict)  # name -> Unit
    counts: dict = field(default_factory=dict)
    _deputies: dict | None = None

    def __post_init__(self):
        self.start = year_start(self.today)
        self.clock = SimulatedClock(local_moment(self.start, 9))
        User = get_user_model()
        self.users = {u.username: u for u in User.objects.filter(
            username__in=["admin", "staff", "county", "leader", "deputy", "officer"])}

    @property
    def targets(self) -> dict:
        return {"collected": self.scaled(COLLECTED), "fed_back": self.scaled(FED_BACK),
                "in_session": self.scaled(IN_SESSION, 4), "key_supervised": self.scaled(KEY_SUPERVISED, 2),
                "active_deputies": self.scaled(ACTIVE_DEPUTIES, 3)}

    def deputy_at(self, station):
        """A deputy grouped into `station` (or its parent station), not the demo's own deputy
        login: the receiving deputy of an opinion brought there (setup gave each an account)."""
        if self._deputies is None:
            self._deputies = {}
            demo_login = self.users.get("deputy")
            for person in self.city.people:
                if demo_login is None or person.deputy.user_id != demo_login.pk:
                    for s in person.stations:
                        self._deputies.setdefault(s.pk, []).append(person.deputy)
            self._anyone = [p.deputy for p in self.city.people
                            if demo_login is None or p.deputy.user_id != demo_login.pk]
        pool = self._deputies.get(station.pk) or self._deputies.get(station.parent_id) or self._anyone
        return self.city.rng.choice(pool) if pool else None

    def scaled(self, count: int, minimum: int = 1) -> int:
        return max(minimum, round(count * self.scale))

    def staff_for(self, region_code: str):
        """The staff account whose office handles a region (the county's for 潞州区)."""
        if region_code.startswith(COUNTY_CODE) and "county" in self.users:
            return self.users["county"]
        return self.users["staff"]

    def unit_for(self, category, region_code: str):
        """The lead unit for an issue of `category` in `region_code`: 潞州区's own government
        (or its housing bureau) when 潞州区's staff handle it, else the category's city unit."""
        if self.staff_for(region_code) is self.users.get("county"):
            name = "潞州区住房和城乡建设局" if category.name == "城乡建设" else "潞州区人民政府"
            if name in self.units:
                return self.units[name]
        return self.category_unit[category]

    @staticmethod
    def route_for(unit) -> str:
        """The class (五分类) an item handed to `unit` is given at intake, by the rule at 交办
        (setting ROUTE_UNIT_LEVELS): a township's or village's unit 基层受理, a county's or
        city's department 区级联动."""
        for route in (Route.GRASSROOTS, Route.TOWNSHIP, Route.DISTRICT):
            if unit.region.level in (route_unit_levels(route) or ()):
                return route
        return Route.DISTRICT

    def officer_of(self, unit):
        return self.officers[unit.pk]

    def rng_choice_on_spot(self) -> str:
        return self.rng.choice(ON_SPOT_NOTES)

    def day(self, offset: int) -> datetime.date:
        return self.start + datetime.timedelta(days=offset)

    @property
    def days(self) -> int:
        return (self.today - self.start).days + 1
