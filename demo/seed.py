"""The demo city (示范数据): a city shaped like 长治市, built from the real regions.

`seed_demo()` builds, from the shipped 山西省/长治市 regions, what a city standing committee
runs: the city hub (总站), one liaison station (联络站) per township, about 391 village and
community points (联络点), a few deputies' homes (代表之家), specialised studios and an industry
station; 8,984 deputies of the five levels with their mandates, every one grouped into a station
(混合编组进站) with one station head each; professional groups; a year of reception days
(recorded before today, scheduled after it); handling units; and one login per role.

Everything comes from one `random.Random(seed)`, drawn in a fixed order, so the same seed,
scale and day give the same city. It spans the apps (the units are `suggestions` models): the
demo is the one place that knows all of them, and nothing imports it but commands.

Each part has its module in this app: `names` (the draws), `network` (hub, stations, points),
`occupations` and `deputies`, `units`, `accounts`, `receptions`; `_DemoCity` here puts them
together and builds them in order.
"""

import datetime
import random
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from demo.accounts import AccountBuilder
from demo.deputies import LEVEL_ORDER, DeputyBuilder
from demo.network import CITY_CODE, HUB_NAME, NetworkBuilder
from demo.receptions import ReceptionBuilder
from demo.units import UnitBuilder
from demo.year import build_year
from deputies.models import ReceptionStatus
from liaison.errors import Conflict, DomainError
from liaison.regions import within
from stations.models import Region, RegionLevel, Station, StationKind
from stations.services import SHIPPED_REGIONS_DIR, regions_load

DEMO_SEED = 1404


class DemoConflict(Conflict):
    code = "demo_conflict"


class DemoInProduction(DomainError):
    """The demo's accounts have a published password: production never gets them."""

    status_code = 403
    code = "demo_in_production"


def refuse_in_production() -> None:
    if settings.PRODUCTION:
        raise DemoInProduction(
            _(
                "生产环境（DJANGO_ENV=production）不能生成示范数据：演示账号的密码是公开的。"
                "请用 python manage.py createsuperuser 开设第一个账号。"
            )
        )


def demo_exists() -> bool:
    """The demo is there when its city hub is."""
    return Station.objects.filter(kind=StationKind.HUB, region_id=CITY_CODE, name=HUB_NAME).exists()


@transaction.atomic
def seed_demo(
    *,
    scale: float = 1.0,
    seed: int = DEMO_SEED,
    today: datetime.date | None = None,
    if_empty: bool = False,
) -> dict:
    """生成示范数据: build the demo city once.

    Does nothing (returns {"seeded": False, "reason": …}) when the demo is already there, or,
    with `if_empty`, when there are any stations at all. `scale` shrinks or grows the number
    of stations, points and deputies (tests use a small city). Loads the shipped regions first
    when 长治市 is missing. Receptions run from a year before `today` to two months after it.
    Refused in production (`settings.PRODUCTION`): the demo accounts' password is public.
    """
    refuse_in_production()
    if if_empty and Station.objects.exists():
        return {"seeded": False, "reason": _("已有站点数据，未生成示范数据。")}
    if demo_exists():
        return {"seeded": False, "reason": _("示范数据已存在，未做改动。")}
    if scale <= 0:
        raise ValueError("scale must be positive")
    if Station.objects.filter(within(CITY_CODE)).exists():
        raise DemoConflict(_("长治市已有站点数据，不能在其上生成示范数据。"))
    if not Region.objects.filter(within(CITY_CODE, "code"), level=RegionLevel.TOWNSHIP).exists():
        regions_load(directory=SHIPPED_REGIONS_DIR)
    city = _DemoCity(rng=random.Random(seed), scale=scale, today=today or timezone.localdate())
    return city.build()


class _DemoCity(NetworkBuilder, DeputyBuilder, UnitBuilder, AccountBuilder, ReceptionBuilder):
    """The whole city, built part by part in a fixed order (the draws depend on it)."""

    def build(self) -> dict:
        self.load_regions()
        self.build_stations()
        self.build_deputies()
        self.build_memberships()
        self.build_groups()
        self.build_units()
        self.build_accounts()
        self.build_receptions()
        self.year = build_year(self)
        return self.summary()

    def summary(self) -> dict:
        statuses: dict[str, int] = defaultdict(int)
        for reception, _present in self.reception_plans:
            statuses[reception.status] += 1
        mandates: dict[str, int] = defaultdict(int)
        for person in self.people:
            for level in person.levels:
                mandates[level] += 1
        return {
            "seeded": True,
            "stations": {
                StationKind.HUB.value: 1,
                StationKind.STATION.value: len(self.township_stations)
                + sum(1 for s in self.special_stations if s.kind == StationKind.STATION),
                StationKind.POINT.value: len(self.points),
                StationKind.HOME.value: sum(
                    1 for s in self.special_stations if s.kind == StationKind.HOME
                ),
                StationKind.STUDIO.value: sum(
                    1 for s in self.special_stations if s.kind == StationKind.STUDIO
                ),
            },
            "deputies": len(self.people),
            "mandates": {level.value: mandates[level] for level in LEVEL_ORDER},
            "leading_officials": sum(1 for p in self.people if p.deputy.is_leading_official),
            "memberships": self.membership_count,
            "groups": self.group_count,
            "receptions": {status.value: statuses[status] for status in ReceptionStatus},
            "reception_deputies": self.reception_link_count,
            "units": self.unit_count,
            "accounts": list(self.accounts),
            "year": self.year,
        }
