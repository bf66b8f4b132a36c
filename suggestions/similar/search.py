"""Finding similar items: candidates by an index, scored with reasons (scoring.py).

Candidates are the items of the same area (the region's code down to `SIMILAR_AREA_DIGITS`,
the township or street by default) that are still open or closed recently, among a queryset
the caller may see. On PostgreSQL the GIN index over `to_tsvector('simple', similar_terms)`
keeps only those sharing a term with the text; on SQLite the area's newest items are scanned.
Either way at most `SIMILAR_CANDIDATES` rows (the newest) are scored.

On PostgreSQL the index (migration 0011_issue18b_similar_document) is over
`similar_document(similar_terms, region_id, status, closed_at)`: the terms plus tokens for the
region's prefixes, the status and the 30-day period of `closed_at`, so one GIN probe finds
area AND status AND a shared term, and only those rows' heap pages are read. The exact filters
(status, closed since, region prefix, the caller's scope) stay in the query: the tokens only
narrow what the index hands over, they decide nothing.
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
#: Region code lengths (province … village) that have a token in the index's document.
REGION_TOKEN_LENGTHS = (2, 4, 6, 9, 12)
#: The period of the `c…` token of `closed_at` (30 days, in seconds; as in the migration).
CLOSED_PERIOD = 30 * 86400
DOCUMENT = "similar_document(suggestions_suggestion.similar_terms, suggestions_suggestion.region_id, " \
    "suggestions_suggestion.status, suggestions_suggestion.closed_at)"


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


def _status_window(public: bool) -> tuple[Q, list[str]]:
    """The statuses a candidate may have, as a filter and as the index's tokens."""
    if public:
        return Q(status__in=PUBLIC_STATUSES), [f"s{s}" for s in PUBLIC_STATUSES]
    recent = timezone.now() - datetime.timedelta(days=int(setting("SIMILAR_RECENT_DAYS")))
    first, last = int(recent.timestamp()) // CLOSED_PERIOD, int(timezone.now().timestamp()) // CLOSED_PERIOD
    tokens = [f"s{s}" for s in OPEN_STATUSES] + [f"c{p}" for p in range(first, last + 1)]
    return Q(status__in=OPEN_STATUSES) | Q(status=Status.CLOSED, closed_at__gte=recent), tokens


def _window_query(area: str, status_tokens: list[str]) -> str:
    """The tsquery part for "this area, this status window" (area only when it has a token)."""
    window = "(" + " | ".join(status_tokens) + ")"
    return f"r{area} & {window}" if len(area) in REGION_TOKEN_LENGTHS and area.isdigit() else window


def candidate_rows(queryset: QuerySet, probe: Probe, bag, *, public: bool = False) -> tuple[list[dict], int | None]:
    """The rows worth scoring: same area, open (or, for signed-in users, closed recently),
    sharing a term with the probe (PostgreSQL); and how many the area holds when the index
    chose them (None when the rows are the area's own, newest first)."""
    status_q, status_tokens = _status_window(public)
    area = area_of(probe.region)
    if queryset.query.is_empty():
        return [], None
    rows = queryset.filter(status_q, region__code__startswith=area)
    if probe.exclude is not None:
        rows = rows.exclude(pk=probe.exclude)
    pool_size = None
    if connection.vendor == "postgresql":
        window = _window_query(area, status_tokens)
        pool_size = _pool_size(queryset, rows, area, public, window, probe.exclude)
        words = [t.lstrip(CONCEPT_MARK) for t, _w in bag.most_common(MAX_QUERY_TERMS)]
        words = list(dict.fromkeys(w for w in words if w))
        if not words:
            return [], pool_size
        terms = " | ".join(f"'{w}'" for w in words)
        rows = rows.extra(
            where=[f"{DOCUMENT} @@ to_tsquery('simple'::regconfig, %s)"], params=[f"{window} & ({terms})"],
        )
    limit = int(setting("SIMILAR_CANDIDATES"))
    fields = ("pk", "similar_terms", "region_id", "category_id", "station_id")
    return list(rows.order_by("-created_at").values(*fields)[:limit]), pool_size


def _pool_size(scope: QuerySet, rows: QuerySet, area: str, public: bool, window: str, exclude) -> int:
    """How many items the area holds (the idf's N), cached for ten minutes: it moves slowly,
    and counting costs a second pass over the area's rows (found by the same index).

    The key names the caller's scope, not `rows`' SQL: that holds the "closed since" instant,
    which changes every call (the cache never answered while the key held it)."""
    digest = hashlib.sha1(str(scope.query).encode(), usedforsecurity=False).hexdigest()
    key = f"similar:pool:{area}:{int(public)}:{exclude}:{digest}"
    size = cache.get(key)
    if size is None:
        size = rows.extra(where=[f"{DOCUMENT} @@ to_tsquery('simple'::regconfig, %s)"], params=[window]).count()
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
