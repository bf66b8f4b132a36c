"""Finding similar items: candidates by an index, scored with reasons (scoring.py).

Candidates are the items of the same area (the region's code down to `SIMILAR_AREA_DIGITS`,
the township or street by default) that are still open or closed recently, among a queryset
the caller may see. On PostgreSQL the GIN index over `to_tsvector('simple', similar_terms)`
keeps only those sharing a term with the text; on SQLite the area's newest items are scanned.
Either way at most `SIMILAR_CANDIDATES` rows (the newest) are scored.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from suggestions.conf import setting
from suggestions.models import Status, Suggestion

from .scoring import Record, Scored, score_all
from .text import CONCEPT_MARK, parse_stored, stored_terms

#: Open, in the sense of "someone is, or will be, working on it".
OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.HANDLING, Status.REPLIED)
#: What a voter may be shown as "already being handled": accepted by staff, not yet closed.
PUBLIC_STATUSES = (Status.ACCEPTED, Status.ASSIGNED, Status.HANDLING, Status.REPLIED)
MAX_QUERY_TERMS = 48


@dataclass(frozen=True)
class Probe:
    """The text being written (or an existing item's), and where it is."""

    title: str
    content: str
    region: str
    category: int | None = None
    station: int | None = None
    exclude: int | None = None  # an existing item's own id


def area_of(region_code: str) -> str:
    digits = int(setting("SIMILAR_AREA_DIGITS"))
    return region_code[:digits] if len(region_code) > digits else region_code


def candidate_rows(queryset: QuerySet, probe: Probe, bag, *, public: bool = False) -> tuple[list[dict], int | None]:
    """The rows worth scoring: same area, open (or, for signed-in users, closed recently),
    sharing a term with the probe (PostgreSQL); and how many the area holds when the index
    chose them (None when the rows are the area's own, newest first)."""
    if public:
        status_q = Q(status__in=PUBLIC_STATUSES)
    else:
        recent = timezone.now() - datetime.timedelta(days=int(setting("SIMILAR_RECENT_DAYS")))
        status_q = Q(status__in=OPEN_STATUSES) | Q(status=Status.CLOSED, closed_at__gte=recent)
    rows = queryset.filter(status_q, region__code__startswith=area_of(probe.region))
    if probe.exclude is not None:
        rows = rows.exclude(pk=probe.exclude)
    pool_size = None
    if connection.vendor == "postgresql":
        pool_size = _pool_size(rows, area_of(probe.region), public)
        words = [t.lstrip(CONCEPT_MARK) for t, _w in bag.most_common(MAX_QUERY_TERMS)]
        words = list(dict.fromkeys(w for w in words if w))
        if not words:
            return [], pool_size
        rows = rows.extra(
            where=["to_tsvector('simple'::regconfig, suggestions_suggestion.similar_terms) @@ to_tsquery('simple'::regconfig, %s)"],
            params=[" | ".join(f"'{w}'" for w in words)],
        )
    limit = int(setting("SIMILAR_CANDIDATES"))
    fields = ("pk", "similar_terms", "region_id", "category_id", "station_id")
    return list(rows.order_by("-created_at").values(*fields)[:limit]), pool_size


def _pool_size(rows: QuerySet, area: str, public: bool) -> int:
    """How many items the area holds (the idf's N), cached for ten minutes: it moves slowly,
    and counting costs a second pass over the area's rows."""
    digest = hashlib.sha1(str(rows.query).encode(), usedforsecurity=False).hexdigest()
    key = f"similar:pool:{area}:{int(public)}:{digest}"
    size = cache.get(key)
    if size is None:
        size = rows.count()
        cache.set(key, size, 600)
    return size


def similar(queryset: QuerySet, probe: Probe, *, public: bool = False, limit: int = 10, threshold=None) -> list[Scored]:
    """Up to `limit` items of `queryset` like the probe, best first, each at or above the
    threshold; `Scored.ref` is the row's primary key."""
    bag = parse_stored(stored_terms(probe.title, probe.content))
    if not bag:
        return []
    rows, pool_size = candidate_rows(queryset, probe, bag, public=public)
    query = Record(bag=bag, region=probe.region, category=probe.category, station=probe.station)
    candidates = [
        Record(bag=parse_stored(r["similar_terms"]), region=r["region_id"], category=r["category_id"],
               station=r["station_id"], ref=r["pk"])
        for r in rows
    ]
    threshold = float(setting("SIMILAR_THRESHOLD")) if threshold is None else threshold
    return [s for s in score_all(query, candidates, pool_size=pool_size) if s.score >= threshold][:limit]


def with_rows(scored: list[Scored], queryset: QuerySet) -> list[tuple[Suggestion, Scored]]:
    """The scored matches with their rows (one query), in score order."""
    rows = queryset.filter(pk__in=[s.ref for s in scored]).select_related("region", "category", "station").in_bulk()
    return [(rows[s.ref], s) for s in scored if s.ref in rows]


def probe_of(suggestion: Suggestion) -> Probe:
    return Probe(
        title=suggestion.title, content=suggestion.content, region=suggestion.region_id,
        category=suggestion.category_id, station=suggestion.station_id, exclude=suggestion.pk,
    )
