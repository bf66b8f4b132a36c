"""The labelled evaluation of similar items: hit@3 and precision on a pairs file.

The file (tests/suggestions/similar/pairs.json, or another one of the same shape) has a
`corpus` of items in named areas and `queries`, each with the corpus keys a reviewer would
merge it with (`relevant`, empty for an unrelated matter). `load` puts the corpus in the
database under a scratch province (code 99: never a real one), `measure` runs every query
through the same search the API uses. Callers wrap both in a transaction they roll back
(the `similar_eval` command, the test).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from stations.models import LEVEL_BY_CODE_LENGTH, Region
from suggestions.models import Category, Status, Suggestion, SuggestionKind

from .search import Probe, similar

PAIRS = Path(__file__).resolve().parents[2] / "tests" / "suggestions" / "similar" / "pairs.json"
SCRATCH_PROVINCE = "99"
TOP = 3


@dataclass
class Metrics:
    queries: int = 0
    with_match: int = 0
    hits: int = 0
    shown: int = 0
    shown_relevant: int = 0
    unrelated_false: list = field(default_factory=list)
    misses: list = field(default_factory=list)

    @property
    def hit_at_3(self) -> float:
        return self.hits / self.with_match if self.with_match else 0.0

    @property
    def precision(self) -> float:
        return self.shown_relevant / self.shown if self.shown else 0.0


def read(path=None) -> dict:
    return json.loads(Path(path or PAIRS).read_text(encoding="utf-8"))


def _region(code: str, name: str, parent) -> Region:
    region, _created = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": LEVEL_BY_CODE_LENGTH[len(code)], "parent": parent}
    )
    return region


def area_codes(areas: list[str]) -> dict[str, str]:
    """Area names to village codes: names sharing their first letter share a township
    ("A1", "A2" → two villages of township A; "B" → a village of township B)."""
    province = _region(SCRATCH_PROVINCE, "评测省", None)
    city = _region(SCRATCH_PROVINCE + "01", "评测市", province)
    county = _region(city.code + "01", "评测县", city)
    towns: dict[str, Region] = {}
    codes = {}
    for n, area in enumerate(sorted(set(areas)), start=1):
        town_key = area[0]
        if town_key not in towns:
            towns[town_key] = _region(f"{county.code}{len(towns) + 1:03d}", f"评测乡镇{town_key}", county)
        codes[area] = _region(f"{towns[town_key].code}{n:03d}", f"评测村{area}", towns[town_key]).code
    return codes


def load(pairs: dict) -> tuple[dict[str, int], dict[str, str]]:
    """The corpus into the database (all accepted, i.e. open): corpus key → id, area → code."""
    codes = area_codes([c["area"] for c in pairs["corpus"]] + [q["area"] for q in pairs["queries"]])
    ids = {}
    now = timezone.now()
    for item in pairs["corpus"]:
        category = Category.objects.get_or_create(name=item["category"])[0] if item.get("category") else None
        ids[item["key"]] = Suggestion.objects.create(
            kind=SuggestionKind.OPINION, title=item["title"], content=item["content"], category=category,
            region_id=codes[item["area"]], status=Status.ACCEPTED, created_at=now,
        ).pk
    return ids, codes


def measure(pairs: dict, ids: dict[str, int], codes: dict[str, str], *, threshold=None) -> Metrics:
    metrics = Metrics()
    by_id = {v: k for k, v in ids.items()}
    everything = Suggestion.objects.all()
    for q in pairs["queries"]:
        category = Category.objects.filter(name=q["category"]).first() if q.get("category") else None
        probe = Probe(title=q["title"], content=q["content"], region=codes[q["area"]],
                      category=category.pk if category else None)
        found = [by_id.get(s.ref) for s in similar(everything, probe, limit=TOP, threshold=threshold)]
        metrics.queries += 1
        metrics.shown += len(found)
        metrics.shown_relevant += sum(key in q["relevant"] for key in found)
        if q["relevant"]:
            metrics.with_match += 1
            if any(key in q["relevant"] for key in found):
                metrics.hits += 1
            else:
                metrics.misses.append((q["id"], q["title"], found))
        elif found:
            metrics.unrelated_false.append((q["id"], q["title"], found))
    return metrics
