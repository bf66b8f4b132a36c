"""Top-3 accuracy of the suggested lead unit on held-out history.

`measure(items)` takes the history's items in time order, holds out the newest share, and for
each held-out item ranks the units from what came before it only (`rank_units(before=…)`):
a hit when the unit that really led it is among the three. Beside it, the baseline staff have
today without help: the three units that most often led the item's category.

`synthetic_history` writes a history for when a database has none (the command's --synthetic):
the texts of the labelled similar-items set in a scratch county, each problem led by the unit
that would lead it in a Chinese county (信号灯 → 公安局交通警察大队, 路灯 → 城市管理局 …),
with noise: one in ten to the street office, one in ten to a random unit. It measures the
method, not a deployment; a deployment runs the command on its own history.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from suggestions.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Category,
    Status,
    Suggestion,
    Unit,
)

from . import evaluation
from .lead_units import rank_units
from .search import Probe

UNIT_BY_KEY = {
    "a1": "公安局交通警察大队", "a2": "公安局交通警察大队", "a3": "城市管理局", "a4": "城市管理局", "a5": "住房和城乡建设局",
    "a6": "生态环境分局", "a7": "交通运输局", "a8": "住房和城乡建设局", "a9": "教育局", "a10": "卫生健康局",
    "a11": "人力资源和社会保障局", "a12": "公安局交通警察大队", "a13": "住房和城乡建设局", "a14": "交通运输局",
    "a15": "住房和城乡建设局", "a16": "消防救援大队", "a17": "生态环境分局", "a18": "交通运输局", "a19": "水务局",
    "a20": "城市管理局", "a21": "公安局交通警察大队", "a22": "城市管理局", "b1": "公安局交通警察大队",
    "b2": "水务局", "b3": "交通运输局", "b4": "城市管理局", "b5": "卫生健康局", "b6": "教育局", "b7": "生态环境分局",
    "b8": "民政局", "b9": "交通运输局", "b10": "水务局", "b11": "生态环境分局", "b12": "公安局交通警察大队",
}
STREET_OFFICE = "街道办事处"


@dataclass
class Accuracy:
    held_out: int = 0
    top1: int = 0
    top3: int = 0
    baseline_top3: int = 0

    def rate(self, n: int) -> float:
        return n / self.held_out if self.held_out else 0.0


def synthetic_history(count: int = 600, seed: int = 18) -> None:
    rng = random.Random(seed)
    pairs = evaluation.read()
    codes = evaluation.area_codes([c["area"] for c in pairs["corpus"]])
    county = next(iter(codes.values()))[:6]
    units = {name: Unit.objects.get_or_create(name=name, region_id=county)[0]
             for name in {*UNIT_BY_KEY.values(), STREET_OFFICE}}
    texts = [(c["title"], c["content"], c["area"], c["category"], UNIT_BY_KEY[c["key"]]) for c in pairs["corpus"]]
    texts += [(q["title"], q["content"], q["area"], q["category"], UNIT_BY_KEY[q["relevant"][0]])
              for q in pairs["queries"] if q["relevant"]]
    start = timezone.now() - datetime.timedelta(days=count)
    for i in range(count):
        title, content, area, category, unit_name = rng.choice(texts)
        roll = rng.random()
        if roll < 0.1:
            unit_name = STREET_OFFICE
        elif roll < 0.2:
            unit_name = rng.choice(sorted(units))
        created = start + datetime.timedelta(days=i)
        suggestion = Suggestion.objects.create(
            title=title, content=content, region_id=codes[area], status=Status.CLOSED, closed_at=created,
            lead_deadline=created.date() + datetime.timedelta(days=30),
            category=Category.objects.get_or_create(name=category)[0] if category else None, created_at=created,
        )
        Assignment.objects.create(
            suggestion=suggestion, unit=units[unit_name], role=AssignmentRole.LEAD, status=AssignmentStatus.REPLIED,
            deadline=suggestion.lead_deadline, created_at=created, result="A",
            replied_at=created + datetime.timedelta(days=rng.uniform(5, 40)),
        )


def measure(*, holdout: float = 0.2, region_prefix: str = "") -> Accuracy:
    """Hold out the newest `holdout` share of the lead assignments under `region_prefix`."""
    rows = list(
        Assignment.objects.filter(role=AssignmentRole.LEAD, suggestion__region__code__startswith=region_prefix)
        .exclude(status=AssignmentStatus.RETURNED).select_related("suggestion").order_by("created_at", "pk")
    )
    cut = int(len(rows) * (1 - holdout))
    accuracy = Accuracy()
    eligible = Unit.objects.filter(is_active=True)
    for row in rows[cut:]:
        s = row.suggestion
        probe = Probe(title=s.title, content=s.content, region=s.region_id, category=s.category_id, station=s.station_id)
        ranked = [u.unit.pk for u in rank_units(probe, eligible, before=row.created_at)]
        accuracy.held_out += 1
        accuracy.top1 += ranked[:1] == [row.unit_id]
        accuracy.top3 += row.unit_id in ranked
        earlier = Counter(
            a.unit_id for a in rows[:cut] if a.suggestion.category_id == s.category_id and a.created_at < row.created_at
        )
        accuracy.baseline_top3 += row.unit_id in [u for u, _n in earlier.most_common(3)]
    return accuracy
