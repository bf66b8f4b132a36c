"""The suggested lead unit (主办单位) on assignment: three units, each with its reasons and record.

Learned from this deployment's own history, nothing else: the lead assignments of items in the
same county (the region's first 6 digits) — which units led the items most like this one
(the similar-items score over title and content), which units lead this category, which units
sent such items back (退回), how its items were evaluated — and each unit's record: replies on
time and the evaluations of its items. Staff still choose; this only orders the list.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from suggestions.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Evaluation,
    Rating,
    Suggestion,
    Unit,
)

from .scoring import Record, score_all
from .search import Probe, probe_of
from .text import parse_stored, stored_terms

HISTORY_ITEMS = 3000  # the newest lead assignments of the county that are read
NEIGHBOURS = 15  # the most similar past items that vote
NEIGHBOUR_MIN_SCORE = 0.12
SIMILAR_WEIGHT, CATEGORY_WEIGHT, RETURN_PENALTY = 0.65, 0.35, 0.5
SATISFACTION_WEIGHT, MIN_EVALUATED = 0.2, 3
COUNTY_DIGITS = 6
SUGGESTED = 3


@dataclass
class UnitRecord:
    replied: int = 0
    on_time: int = 0
    evaluated: int = 0
    satisfied: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time / self.replied, 3) if self.replied else None

    @property
    def satisfaction_rate(self) -> float | None:
        return round(self.satisfied / self.evaluated, 3) if self.evaluated else None


@dataclass
class Suggested:
    unit: Unit
    score: float
    reasons: list[str] = field(default_factory=list)
    record: UnitRecord = field(default_factory=UnitRecord)


def _history(region: str, *, before=None, exclude: int | None = None) -> list[dict]:
    rows = Assignment.objects.filter(
        role=AssignmentRole.LEAD, region__code__startswith=region[:COUNTY_DIGITS]
    )
    if before is not None:
        rows = rows.filter(created_at__lt=before)
    if exclude is not None:
        rows = rows.exclude(suggestion_id=exclude)
    return list(
        rows.order_by("-created_at").values(
            "unit_id", "status", "suggestion_id", "region_id", terms=F("suggestion__similar_terms"),
            title=F("suggestion__title"), category=F("suggestion__category_id"),
        )[:HISTORY_ITEMS]
    )


def rank_units(probe: Probe, eligible: QuerySet, *, before=None, limit: int = SUGGESTED) -> list[Suggested]:
    """The `limit` eligible units most likely to lead the probe's matter, best first."""
    history = _history(probe.region, before=before, exclude=probe.exclude)
    eligible_ids = set(eligible.values_list("pk", flat=True))
    led = [h for h in history if h["status"] != AssignmentStatus.RETURNED and h["unit_id"] in eligible_ids]
    returned = Counter(h["unit_id"] for h in history if h["status"] == AssignmentStatus.RETURNED
                       and h["category"] == probe.category and probe.category is not None)

    # Which units led the items most like this one.
    query = Record(bag=parse_stored(stored_terms(probe.title, probe.content)), region=probe.region,
                   category=probe.category, station=probe.station)
    candidates = [Record(bag=parse_stored(h["terms"]), region=h["region_id"], category=h["category"], ref=h) for h in led]
    neighbours = [s for s in score_all(query, candidates) if s.score >= NEIGHBOUR_MIN_SCORE][:NEIGHBOURS]
    similar_votes: dict[int, float] = defaultdict(float)
    examples: dict[int, list[str]] = defaultdict(list)
    for s in neighbours:
        similar_votes[s.ref["unit_id"]] += s.score
        examples[s.ref["unit_id"]].append(s.ref["title"])
    similar_total = sum(similar_votes.values()) or 1.0

    # Which units lead this category here.
    in_category = Counter(h["unit_id"] for h in led if probe.category is not None and h["category"] == probe.category)
    category_total = sum(in_category.values()) or 1

    scores = {}
    candidates_ids = set(similar_votes) | set(in_category)
    records = unit_records(candidates_ids)
    for unit_id in candidates_ids:
        score = SIMILAR_WEIGHT * similar_votes[unit_id] / similar_total + CATEGORY_WEIGHT * in_category[unit_id] / category_total
        if returned[unit_id]:
            score *= RETURN_PENALTY
        # How its items were evaluated weighs a little, once there are a few evaluations.
        record = records[unit_id]
        if record.evaluated >= MIN_EVALUATED:
            score *= 1 - SATISFACTION_WEIGHT + SATISFACTION_WEIGHT * record.satisfaction_rate
        scores[unit_id] = score
    best = sorted(scores, key=lambda u: (-scores[u], u))[:limit]
    units = Unit.objects.in_bulk(best)
    out = []
    for unit_id in best:
        reasons = []
        if similar_votes[unit_id]:
            n = len(examples[unit_id])
            reasons.append(_("主办过 %(n)s 件相似事项，如《%(title)s》") % {"n": n, "title": examples[unit_id][0][:40]})
        if in_category[unit_id]:
            reasons.append(_("本地同类别事项 %(share)s%% 由其主办（%(n)s 件）")
                           % {"share": round(100 * in_category[unit_id] / category_total), "n": in_category[unit_id]})
        if returned[unit_id]:
            reasons.append(_("曾退回同类别事项 %(n)s 件") % {"n": returned[unit_id]})
        out.append(Suggested(unit=units[unit_id], score=round(scores[unit_id], 3), reasons=reasons, record=records[unit_id]))
    return out


def unit_records(unit_ids) -> dict[int, UnitRecord]:
    """Each unit's lead replies on time (by its deadline) and its items' evaluations."""
    records = {u: UnitRecord() for u in unit_ids}
    replied = Assignment.objects.filter(unit_id__in=list(unit_ids), role=AssignmentRole.LEAD, replied_at__isnull=False)
    for unit_id, deadline, replied_at in replied.values_list("unit_id", "deadline", "replied_at"):
        records[unit_id].replied += 1
        records[unit_id].on_time += replied_at.date() <= deadline
    good = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED)
    led = dict(
        Assignment.objects.filter(unit_id__in=list(unit_ids), role=AssignmentRole.LEAD)
        .exclude(status=AssignmentStatus.RETURNED).values_list("suggestion_id", "unit_id")
    )
    for suggestion_id, rating in Evaluation.objects.filter(suggestion_id__in=list(led)).values_list("suggestion_id", "rating"):
        records[led[suggestion_id]].evaluated += 1
        records[led[suggestion_id]].satisfied += rating in good
    return records


def suggested_units(suggestion: Suggestion, eligible: QuerySet) -> list[Suggested]:
    """For the assign step of an existing item: its own assignment history left out."""
    return rank_units(probe_of(suggestion), eligible)


def lead_unit_of(suggestion_id: int) -> int | None:
    """The unit that led (or leads) an item: its newest lead assignment not sent back."""
    return (
        Assignment.objects.filter(suggestion_id=suggestion_id, role=AssignmentRole.LEAD)
        .filter(~Q(status=AssignmentStatus.RETURNED)).order_by("-created_at").values_list("unit_id", flat=True).first()
    )
