"""The score of a candidate against a text, and why: tf-idf cosine over the terms, raised a
little by the same village/community, station and category. Pure Python over plain records,
so the database path (search.py) and the evaluation score alike."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .text import CONCEPT_MARK

CONCEPT_WEIGHT = 1.6  # a folded concept (#信号灯) says more than any one bigram
SAME_REGION_BOOST = 0.15
SAME_STATION_BOOST = 0.10
SAME_CATEGORY_BOOST = 0.10


@dataclass
class Record:
    """What scoring needs of an item (a candidate or the text being written)."""

    bag: Counter
    region: str = ""
    category: int | None = None
    station: int | None = None
    ref: object = None  # the candidate row, handed back untouched


@dataclass
class Scored:
    ref: object
    score: float
    shared_terms: list[str] = field(default_factory=list)
    same_region: bool = False
    same_station: bool = False
    same_category: bool = False

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if self.shared_terms:
            reasons.append(_("相同词语：%(terms)s") % {"terms": "、".join(self.shared_terms)})
        if self.same_station:
            reasons.append(_("同一站点"))
        if self.same_region:
            reasons.append(_("同一区划"))
        else:
            reasons.append(_("同一片区"))
        if self.same_category:
            reasons.append(_("同一类别"))
        return reasons


def idf_table(bags: list[Counter], *, pool_size: int | None = None) -> dict[str, float]:
    """Inverse document frequency over the candidate pool (smoothed: a small pool still works).

    `pool_size`: how many items the area holds when `bags` are only those sharing a term with
    the query (the index's candidates); their document frequencies are still exact for the
    query's terms, which are the ones the score adds up."""
    df: Counter = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = max(len(bags), pool_size or 0)
    return {term: math.log(1 + (n + 1) / (count + 1)) for term, count in df.items()}


def _weights(bag: Counter, idf: dict[str, float], default_idf: float) -> dict[str, float]:
    weights = {}
    for term, tf in bag.items():
        w = (1 + math.log(tf)) * idf.get(term, default_idf)
        weights[term] = w * CONCEPT_WEIGHT if term.startswith(CONCEPT_MARK) else w
    return weights


def _norm(weights: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in weights.values())) or 1.0


def score_all(query: Record, candidates: list[Record], *, pool_size: int | None = None) -> list[Scored]:
    """Every candidate scored against the query, best first."""
    idf = idf_table([c.bag for c in candidates], pool_size=pool_size)
    default_idf = math.log(1 + (max(len(candidates), pool_size or 0) + 1))
    q = _weights(query.bag, idf, default_idf)
    q_norm = _norm(q)
    out = []
    for c in candidates:
        cw = _weights(c.bag, idf, default_idf)
        shared = q.keys() & cw.keys()
        if not shared:
            continue
        text = sum(q[t] * cw[t] for t in shared) / (q_norm * _norm(cw))
        same_region = bool(query.region) and query.region == c.region
        same_station = query.station is not None and query.station == c.station
        same_category = query.category is not None and query.category == c.category
        boost = 1 + SAME_REGION_BOOST * same_region + SAME_STATION_BOOST * same_station + SAME_CATEGORY_BOOST * same_category
        top = sorted(shared, key=lambda t: -(q[t] * cw[t]))[:5]
        out.append(
            Scored(
                ref=c.ref, score=round(min(1.0, text * boost), 4),
                shared_terms=[t.lstrip(CONCEPT_MARK) for t in top],
                same_region=same_region, same_station=same_station, same_category=same_category,
            )
        )
    out.sort(key=lambda s: -s.score)
    return out
